"""GTFS timetables: departures per stop and ÖV-Güteklassen (to be implemented)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_feed(imports_dir: Path) -> Any:
    """The imported GTFS feed, or ``None`` if none has been imported."""
    if not (imports_dir / "gtfs").is_dir():
        return None
    raise NotImplementedError


def import_gtfs(
    path: Path, imports_dir: Path, geodata_dir: Path, *, date: str | None = None
) -> str:
    """Import a GTFS zip (to be implemented)."""
    raise NotImplementedError(f"{path} {imports_dir} {geodata_dir} {date}")
