"""The data pipeline: raw open data → the snapshot in ``geodata/``."""

from kek_geo.pipeline.build import build_layers, build_snapshot

__all__ = ["build_layers", "build_snapshot"]
