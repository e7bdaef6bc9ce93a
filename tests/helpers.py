"""Small builders for test data: an in-memory layer source and tiny geometries."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NoReturn

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from kek_geo.imports import ImportProblem
from kek_geo.packed import unpack
from kek_geo.settings import ANALYSIS_CRS

ROOT = Path(__file__).resolve().parents[1]
#: The ``kreis`` layer of a stand-in that brings none: the shipped district.
HERFORD_KREIS = pd.DataFrame({"ags": ["05758"], "name": ["Kreis Herford"]})


def required(switch: str) -> bool:
    """Whether an environment switch such as ``KEK_REQUIRE_RAW`` is on (set, not 0/false/no)."""
    return os.environ.get(switch, "").strip().lower() not in {"", "0", "false", "no"}


def skip_or_fail(switch: str, reason: str) -> NoReturn:
    """Skip a test whose prerequisite is missing, or fail it when ``switch`` requires it.

    CI sets the switches (see ``.ci/run``) so that a missing prerequisite cannot turn tests
    into silent skips.
    """
    if required(switch):
        pytest.fail(f"{reason} ({switch} is set: these tests must run)")
    pytest.skip(reason)


class MemorySource:
    """A stand-in for the snapshot holding hand-made layers, optional extras and problems.

    Without a ``kreis`` layer of its own it lies in the shipped district (Kreis Herford).
    """

    def __init__(
        self,
        extras: dict[str, object] | None = None,
        problems: dict[str, ImportProblem] | None = None,
        **layers: pd.DataFrame,
    ) -> None:
        self.layers = layers
        self.extras = extras or {}
        self.problems = problems or {}

    def extra(self, name: str) -> object:
        return self.extras.get(name)

    def import_problem(self, name: str) -> ImportProblem | None:
        return self.problems.get(name)

    def layer(self, name: str) -> pd.DataFrame:
        if name == "kreis" and name not in self.layers:
            return HERFORD_KREIS
        return self.layers[name]

    def geo(self, name: str) -> gpd.GeoDataFrame:
        df = self.layers[name]
        assert isinstance(df, gpd.GeoDataFrame)
        return df


def square(x0: float, y0: float, size: float) -> shapely.Polygon:
    """An axis-aligned square with its lower-left corner at (x0, y0)."""
    return shapely.box(x0, y0, x0 + size, y0 + size)


def gdf(rows: list[dict[str, object]], crs: str = ANALYSIS_CRS) -> gpd.GeoDataFrame:
    """A GeoDataFrame from dicts that each hold a 'geometry'."""
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


def shown_map(component: object) -> str:
    """What a map component draws: its script and the overlay drawn over it.

    Theme maps are drawn once and then recoloured, with their changing layers swapped in by
    the overlay (``feature_group``), so both together are what the user sees.
    """
    args = json.loads(component.proto.json_args)  # type: ignore[attr-defined]
    return str(args["script"]) + "\n" + str(args.get("feature_group") or "")


def split_packed(script: str) -> tuple[str, list[dict[str, object]]]:
    """A map script without its packed layer data, and their features unpacked.

    Returns
    -------
    tuple
        The rest of the script, and the GeoJSON features of all its packed layers (as the
        browser unpacks them, :mod:`kek_geo.packed`), in order.
    """
    decoder = json.JSONDecoder()
    features: list[dict[str, object]] = []
    rest: list[str] = []
    position = 0
    start = script.find("kekUnpack(")
    while start >= 0:
        begin = start + len("kekUnpack(")
        packed, end = decoder.raw_decode(script, begin)
        features.extend(unpack(packed)["features"])
        rest.append(script[position:begin])
        position = end
        start = script.find("kekUnpack(", end)
    rest.append(script[position:])
    return "".join(rest), features


def map_features(script: str) -> list[dict[str, object]]:
    """Every feature a map script draws, unpacked as the browser does (:mod:`kek_geo.packed`).

    Returns
    -------
    list of dict
        GeoJSON features of all its packed layers, in order.
    """
    return split_packed(script)[1]


def show_page(at: AppTest, page: str) -> AppTest:
    """Switch to ``page`` and run it as the browser does.

    A page opens with its map first and reruns when the map frame reports that the map is
    drawn (kek_geo.ui.map_first); the second run plays that report, so the page's tables
    and charts are shown.
    """
    return at.switch_page(page).run().run()
