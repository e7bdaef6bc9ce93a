"""Analysis: pure functions on GeoDataFrames and arrays (no I/O, no Streamlit)."""
