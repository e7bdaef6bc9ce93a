"""The data page's import status: absent imports are missing, present ones show their source."""

from __future__ import annotations

from typing import ClassVar

import pandas as pd

from kek_geo.imports import import_status
from tests.helpers import MemorySource


class _Net:
    meta: ClassVar[dict[str, object]] = {
        "source": "kreis.osm",
        "licence": "ODbL, © OpenStreetMap contributors",
        "nodes": 3,
        "note": "imported by an older version without edge shapes",
    }


class _Feed:
    meta: ClassVar[dict[str, object]] = {
        "source_file": "feed.zip",
        "publisher": "DELFI",
        "service_date": "2025-01-08",
        "licence": "CC BY 4.0",
        "attribution": "DELFI e.V.",
    }


def test_nothing_imported() -> None:
    statuses = import_status(MemorySource())
    assert [s.key for s in statuses] == ["osm_walk", "gtfs", "broadband_current"]
    assert not any(s.imported for s in statuses)
    assert all(s.attribution == "" for s in statuses)


def test_imported_data_show_source_and_credit() -> None:
    releases = pd.DataFrame({"segment": ["households", "households"], "release": ["2024-12"] * 2})
    source = MemorySource(
        extras={"walk_network": _Net(), "gtfs": _Feed(), "broadband_releases": releases}
    )
    net, feed, bb = import_status(source)
    assert net.imported and "source: kreis.osm" in net.details
    assert "note: imported by an older version without edge shapes" in net.details
    assert net.attribution == "ODbL, © OpenStreetMap contributors"
    assert feed.imported and feed.attribution == "DELFI e.V."
    assert "service_date: 2025-01-08" in feed.details
    assert bb.imported and bb.details == ("households: 2024-12",)
