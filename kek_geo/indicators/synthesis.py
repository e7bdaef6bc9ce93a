"""Indicators of the synthesis theme (registered on import)."""
