from sozialdash.ui.page import coming_soon, setup_page

setup_page("Karte")
coming_soon("Karte", "x", [])
