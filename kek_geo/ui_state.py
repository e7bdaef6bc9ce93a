"""Pure helpers for the app's session state, unit-testable without Streamlit.

A map component keeps returning its last click on every rerun. To let a list choice win over
an old click, the app remembers which click it has already applied and only acts on a new one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from kek_geo.thematic import GEMEINDE_KEY


def clicked_ags(map_value: Mapping[str, Any] | None) -> str | None:
    """AGS of the municipality in a map return value, if a municipality was clicked.

    Parameters
    ----------
    map_value
        Value returned by the map component, e.g.
        ``{"last_active_drawing": {"properties": {"gemeinde_ags": "05766020", ...}}}``.

    Returns
    -------
    str or None
        The AGS, or ``None`` when nothing or something else (a stop, a school) was clicked.
    """
    if not map_value:
        return None
    feature = map_value.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return None
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        return None
    ags = props.get(GEMEINDE_KEY)
    return str(ags) if ags else None


def click_signature(map_value: Mapping[str, Any] | None) -> str:
    """A stable text that identifies one click, to recognise it on later reruns.

    Parameters
    ----------
    map_value
        Value returned by the map component.

    Returns
    -------
    str
        JSON text of the clicked feature (empty when there is none).
    """
    if not map_value or not map_value.get("last_active_drawing"):
        return ""
    return json.dumps(map_value["last_active_drawing"], sort_keys=True, default=str)


def apply_map_click(
    selected: str | None,
    seen_click: str,
    map_value: Mapping[str, Any] | None,
    valid: set[str],
) -> tuple[str | None, str]:
    """New selection after a rerun: a new municipality click wins, an old one is ignored.

    Parameters
    ----------
    selected
        Currently selected AGS (from the list or an earlier click).
    seen_click
        Signature of the last click already applied.
    map_value
        Value returned by the map component on this rerun.
    valid
        AGS that may be selected.

    Returns
    -------
    tuple
        ``(selected, seen_click)`` to store back in the session state.
    """
    signature = click_signature(map_value)
    if not signature or signature == seen_click:
        return selected, seen_click
    ags = clicked_ags(map_value)
    if ags in valid:
        return ags, signature
    return selected, signature


def clicked_point(map_value: Mapping[str, Any] | None) -> tuple[float, float] | None:
    """Where the map was clicked, whatever lies there (a patch, a stop or nothing).

    Parameters
    ----------
    map_value
        Value returned by the map component, e.g.
        ``{"last_clicked": {"lat": 52.11, "lng": 8.67}}``.

    Returns
    -------
    tuple or None
        ``(lat, lng)``, or ``None`` before the first click.
    """
    if not map_value:
        return None
    point = map_value.get("last_clicked")
    if not isinstance(point, Mapping):
        return None
    lat, lng = point.get("lat"), point.get("lng")
    if not isinstance(lat, int | float) or not isinstance(lng, int | float):
        return None
    return float(lat), float(lng)


def municipality_at(gemeinden: gpd.GeoDataFrame, lat: float, lng: float) -> str | None:
    """AGS of the municipality that contains a point given in WGS84.

    Parameters
    ----------
    gemeinden
        Municipalities with an ``ags`` column (any CRS).
    lat, lng
        The point.

    Returns
    -------
    str or None
        The AGS, or ``None`` outside every municipality.
    """
    point = gpd.GeoSeries([Point(lng, lat)], crs="EPSG:4326").to_crs(gemeinden.crs).iloc[0]
    hits = gemeinden[gemeinden.geometry.intersects(point)]
    return str(hits["ags"].iloc[0]) if len(hits) else None


def apply_point_click(
    selected: str | None,
    seen_click: str,
    map_value: Mapping[str, Any] | None,
    locate: Callable[[float, float], str | None],
) -> tuple[str | None, str]:
    """New selection after a rerun: a new click inside a municipality selects it.

    Unlike :func:`apply_map_click` this does not depend on what was drawn where the user
    clicked: a settlement patch, a stop or a label over the municipality does not hide it.

    Parameters
    ----------
    selected
        Currently selected AGS.
    seen_click
        Signature of the last click already applied.
    map_value
        Value returned by the map component on this rerun.
    locate
        ``(lat, lng) → AGS or None`` (:func:`municipality_at` bound to the municipalities).

    Returns
    -------
    tuple
        ``(selected, seen_click)`` to store back in the session state; a click outside
        every municipality keeps the selection.
    """
    point = clicked_point(map_value)
    if point is None:
        return selected, seen_click
    signature = f"{point[0]!r},{point[1]!r}"
    if signature == seen_click:
        return selected, seen_click
    ags = locate(*point)
    return (ags if ags is not None else selected), signature


def parse_choice(text: str, choices: Sequence[str]) -> str | None:
    """A key from a link if it is one of the valid ones.

    Parameters
    ----------
    text
        Text from the link.
    choices
        Valid keys.

    Returns
    -------
    str or None
        The key, or ``None`` if it is not valid here.
    """
    return text if text in choices else None


def parse_number(text: str, low: float, high: float) -> float | None:
    """A number from a link if it is finite and within bounds.

    Parameters
    ----------
    text
        Text from the link (a point as decimal separator).
    low, high
        Valid range.

    Returns
    -------
    float or None
        The number, or ``None`` if it is not a number or out of range.
    """
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def show_number(value: float) -> str:
    """A number as short as exact for a link: ``400`` rather than ``400.0``.

    Parameters
    ----------
    value
        The number.

    Returns
    -------
    str
        Its text.
    """
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)
