"""The view in the address bar: a shared link opens the same view, a reload keeps it.

A page names the widgets that make up its view (:class:`UrlField`). Before it draws them,
:func:`restore` copies values from the link into the session; after, :func:`publish` writes
the current values back into the link. A value from the link is applied once: only when it
differs from what this session last wrote, so it never overrides a later choice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from kek_geo.ui_state import parse_choice, parse_number, show_number

_WRITTEN = "_url_written"


@dataclass(frozen=True)
class UrlField:
    """One part of a view kept in the link.

    Attributes
    ----------
    param
        Name in the link, e.g. ``"indikator"``.
    state_key
        Session key of the widget (or of a value such as the chosen municipality).
    parse
        Text from the link → value, or ``None`` if it is not valid here.
    show
        Value → text for the link.
    """

    param: str
    state_key: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str] = str


def choice_field(param: str, state_key: str, choices: Iterable[str]) -> UrlField:
    """A field holding one of a few keys (an indicator, a municipality).

    Parameters
    ----------
    param
        Name in the link.
    state_key
        Session key.
    choices
        Valid keys.

    Returns
    -------
    UrlField
        The field.
    """
    valid = tuple(choices)
    return UrlField(param, state_key, lambda text: parse_choice(text, valid))


def number_field(param: str, state_key: str, low: float, high: float) -> UrlField:
    """A field holding a number within bounds (a threshold).

    Parameters
    ----------
    param
        Name in the link.
    state_key
        Session key.
    low, high
        Valid range.

    Returns
    -------
    UrlField
        The field.
    """
    return UrlField(param, state_key, lambda text: parse_number(text, low, high), show_number)


def list_field(param: str, state_key: str, choices: Iterable[str]) -> UrlField:
    """A field holding several keys, written comma-separated (layers shown).

    Parameters
    ----------
    param
        Name in the link.
    state_key
        Session key.
    choices
        Valid keys.

    Returns
    -------
    UrlField
        The field.
    """
    valid = tuple(choices)

    def parse(text: str) -> list[str]:
        return [k for k in text.split(",") if k in valid]

    return UrlField(param, state_key, parse, ",".join)


def restore(fields: Sequence[UrlField]) -> None:
    """Copy values from the link into the session, before the widgets are drawn.

    Parameters
    ----------
    fields
        The view's fields.
    """
    written: dict[str, str | None] = st.session_state.setdefault(_WRITTEN, {})
    for field in fields:
        text = st.query_params.get(field.param)
        if text is None or text == written.get(field.param):
            continue
        written[field.param] = text
        value = field.parse(text)
        if value is not None:
            st.session_state[field.state_key] = value


def publish(fields: Sequence[UrlField]) -> None:
    """Write the current values of the fields into the link (replacing its other values).

    Parameters
    ----------
    fields
        The view's fields (with the language).
    """
    written: dict[str, str | None] = st.session_state.setdefault(_WRITTEN, {})
    values: dict[str, str] = {}
    for field in fields:
        value = st.session_state.get(field.state_key)
        text = None if value is None else field.show(value)
        written[field.param] = text
        if text is not None:
            values[field.param] = text
    if st.query_params.to_dict() != values:
        st.query_params.from_dict(values)
