"""Streamlit layout pieces of the map page, called by app.py (library logic stays in putuo_geo)."""
