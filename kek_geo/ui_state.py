"""Pure helpers for the app's session state, unit-testable without Streamlit.

A map component keeps returning its last click on every rerun. To let a list choice win over
an old click, the app remembers which click it has already applied and only acts on a new one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

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
