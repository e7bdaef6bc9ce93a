"""Indicators of the mobility theme (registered on import)."""
