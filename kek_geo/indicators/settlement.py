"""Indicators of the settlement theme (registered on import)."""
