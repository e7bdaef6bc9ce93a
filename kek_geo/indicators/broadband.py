"""Indicators of the broadband theme (registered on import)."""
