"""Streamlit glue shared by the pages: page setup and navigation, cached data access, URL state, widgets."""
