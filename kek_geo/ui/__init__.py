"""Streamlit glue: the only part of kek_geo that imports streamlit."""
