"""Page scripts of the dashboard (run by Streamlit, one per page)."""
