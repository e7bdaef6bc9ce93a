"""Indicators of the education theme (registered on import)."""
