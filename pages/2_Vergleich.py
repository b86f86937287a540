from sozialdash.ui.page import coming_soon, setup_page

setup_page("Vergleich")
coming_soon("Vergleich", "x", [])
