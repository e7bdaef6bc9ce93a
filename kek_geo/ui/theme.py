"""The common layout of a thematic page: thresholds, map, table with CSV, method notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from kek_geo.csvfile import file_name
from kek_geo.district import municipality_names
from kek_geo.i18n import fmt_number, t
from kek_geo.indicators import REGISTRY, THEME_IMPORTS, Indicator, Threshold
from kek_geo.indicators.registry import ordered_params
from kek_geo.maps import changing_script
from kek_geo.method_notes import split_shared
from kek_geo.overview import rank_table
from kek_geo.thematic import restyle_script
from kek_geo.ui import cache, frame, selection, url_state
from kek_geo.ui.exports import export_section
from kek_geo.ui.mapview import MapPayload, layers_script, prepare_map
from kek_geo.views import SECTION_MAPS, ThemeView
from kek_geo.views import view as theme_view


@dataclass(frozen=True)
class ThemeState:
    """What a thematic page chose and computed, for its own extra sections."""

    view: ThemeView
    lang: str
    params: dict[str, float]
    table: pd.DataFrame
    indicator: Indicator


def unique_thresholds(indicators: list[Indicator]) -> list[Threshold]:
    """Thresholds of several indicators, each parameter once, in first-seen order.

    Parameters
    ----------
    indicators
        The indicators.

    Returns
    -------
    list of Threshold
        The thresholds.
    """
    seen: dict[str, Threshold] = {}
    for ind in indicators:
        for th in ind.thresholds:
            seen.setdefault(th.key, th)
    return list(seen.values())


def threshold_slider(th: Threshold, key: str, lang: str, *, without: str | None = None) -> float:
    """One slider for a threshold; its help says where the default comes from.

    Parameters
    ----------
    th
        The threshold.
    key
        Widget key.
    lang
        Language.
    without
        Why it has no effect here (e.g. no timetable imported): the slider is then disabled.

    Returns
    -------
    float
        The chosen value.
    """
    label = f"{th.label(lang)} ({th.unit_in(lang)})" if th.unit else th.label(lang)
    whole = float(th.step).is_integer() and float(th.default).is_integer()
    source = f"{t('theme.default', lang)}: {fmt_number(th.default, 0, lang)} – {th.source(lang)}"
    # a value from a link or the session is the widget's own; the default only starts it
    if key not in st.session_state:
        st.session_state[key] = float(th.default)
    return float(
        st.slider(
            label,
            min_value=float(th.min_value),
            max_value=float(th.max_value),
            step=float(th.step),
            format="%d" if whole else None,
            key=key,
            disabled=without is not None,
            help=source if without is None else f"{without} {source}",
        )
    )


def _reset(keys: list[str]) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def threshold_inputs(view: ThemeView, lang: str) -> dict[str, float]:
    """Sliders for the theme's thresholds; each says where its default comes from.

    A threshold that must not exceed another is capped at it (and the page says so); one
    without effect on this snapshot is disabled with the reason; a button restores the
    defaults.

    Parameters
    ----------
    view
        The theme.
    lang
        Language.

    Returns
    -------
    dict
        Parameter name → value used.
    """
    params: dict[str, float] = {}
    thresholds = unique_thresholds(view.indicators())
    if not thresholds:
        return params
    keys = [f"{view.key}_{th.key}" for th in thresholds]
    snap = cache.snapshot()
    with st.expander(t("theme.thresholds", lang), expanded=False):
        for th, key in zip(thresholds, keys, strict=True):
            missing = th.needs is not None and snap.extra(th.needs) is None
            without = t(f"theme.needs.{th.needs}", lang) if missing else None
            params[th.key] = threshold_slider(th, key, lang, without=without)
        params, capped = ordered_params(thresholds, params)
        by_key = {th.key: th for th in thresholds}
        for th in capped:
            limit = by_key[str(th.at_most)]
            st.caption(
                t(
                    "theme.capped",
                    lang,
                    name=th.label(lang),
                    limit=limit.label(lang),
                    value=f"{fmt_number(params[th.key], 0, lang)} {th.unit_in(lang)}".strip(),
                )
            )
        st.button(t("theme.reset", lang), key=f"{view.key}_reset", on_click=_reset, args=(keys,))
    return params


def method_notes(indicators: list[Indicator], lang: str, dates: dict[str, str]) -> None:
    """Method notes of a page's indicators, each sentence and each threshold once.

    Every indicator gets its own sentences and its data date; the sentences several
    indicators share follow once, then every threshold once with its default and source.

    Parameters
    ----------
    indicators
        The page's indicators.
    lang
        Language.
    dates
        Data date of each indicator, by key.
    """
    own, shared = split_shared([ind.method(lang) for ind in indicators])
    for ind, text in zip(indicators, own, strict=True):
        as_of = f"{t('overview.as_of', lang)}: {dates[ind.key]}"
        body = f"{text} " if text else ""
        st.markdown(f"**{ind.header(lang)}** – {body}_{as_of}_")
    if shared:
        st.markdown(f"**{t('theme.methods_shared', lang)}:** {' '.join(shared)}")
    for th in unique_thresholds(indicators):
        default = f"{fmt_number(th.default, 0, lang)} {th.unit_in(lang)}".strip()
        st.caption(f"{th.label(lang)}: {t('theme.default', lang)} {default} – {th.source(lang)}")


@st.cache_data(show_spinner=False, max_entries=64)
def theme_payload(
    theme: str, indicator_key: str, params: cache.ParamItems, lang: str, compared: bool = False
) -> tuple[MapPayload, tuple[str, ...]]:
    """A theme page's whole map drawn in one go (the kiosk's stories, which never change it).

    The planner pages draw :func:`base_payload` once and :func:`map_overlay` over it.

    Parameters
    ----------
    theme
        Theme key.
    indicator_key
        Indicator for the colours.
    params
        Thresholds as sorted pairs.
    lang
        Language.
    compared
        Colour the difference to the district value.

    Returns
    -------
    tuple
        The payload and the snapshot layers shown.
    """
    view = theme_view(theme)
    keys = tuple(i.key for i in view.indicators())
    table = cache.indicator_table(keys, params)
    result = view.build_map(
        cache.snapshot(),
        cache.settings(),
        indicator=REGISTRY[indicator_key],
        values=table[indicator_key],
        params=dict(params),
        lang=lang,
        compared=compared,
    )
    return prepare_map(result.map, key=theme), result.layers


@st.cache_data(show_spinner=False, max_entries=32)
def base_payload(theme: str, lang: str) -> tuple[MapPayload, tuple[str, ...]]:
    """A theme page's map as drawn once per page and language (see :func:`map_overlay`).

    Parameters
    ----------
    theme
        Theme key.
    lang
        Language.

    Returns
    -------
    tuple
        The payload and the snapshot layers shown.
    """
    view = theme_view(theme)
    first = view.map_choices(cache.snapshot())[0]
    result = view.base_map(cache.snapshot(), cache.settings(), indicator=first, lang=lang)
    return prepare_map(result.map, key=theme), result.layers


@st.cache_data(show_spinner=False, max_entries=64)
def changing_overlay(theme: str, indicator_key: str, params: cache.ParamItems, lang: str) -> str:
    """Script that swaps in a theme map's changing layers for the thresholds.

    Parameters
    ----------
    theme
        Theme key.
    indicator_key
        Indicator on the map (only for views whose changing layers depend on it).
    params
        Thresholds as sorted pairs.
    lang
        Language.

    Returns
    -------
    str
        JavaScript for the map's overlay.
    """
    view = theme_view(theme)
    part = view.changing(
        cache.snapshot(), indicator=REGISTRY[indicator_key], params=dict(params), lang=lang
    )
    legend = "" if part.legend is None else part.legend.body_html
    return changing_script(layers_script(part.layers), legend)


@st.cache_data(show_spinner=False, max_entries=64)
def recolouring(
    theme: str, indicator_key: str, params: cache.ParamItems, lang: str, compared: bool = False
) -> str:
    """Script that recolours a theme map for an indicator at the thresholds, in place.

    Parameters
    ----------
    theme
        Theme key.
    indicator_key
        Indicator for the colours.
    params
        Thresholds as sorted pairs.
    lang
        Language.
    compared
        Colour the difference to the district value.

    Returns
    -------
    str
        JavaScript (see :func:`kek_geo.thematic.restyle_script`).
    """
    keys = tuple(i.key for i in theme_view(theme).indicators())
    values = cache.indicator_table(keys, params)[indicator_key]
    indicator = REGISTRY[indicator_key]
    return restyle_script(cache.snapshot(), indicator, values, lang, compared=compared)


def map_overlay(
    view: ThemeView, indicator_key: str, params: cache.ParamItems, lang: str, compared: bool
) -> str:
    """What a theme page draws over its map: the colours and the changing layers.

    The map itself (:func:`base_payload`) is drawn once per page and language; another
    indicator, threshold or the Kreisvergleich only changes this overlay, so the map keeps
    its frame and view.

    Parameters
    ----------
    view
        The theme.
    indicator_key
        Indicator on the map.
    params
        Thresholds as sorted pairs.
    lang
        Language.
    compared
        Colour the difference to the district value.

    Returns
    -------
    str
        JavaScript for the map's overlay.
    """
    # views whose layers do not follow the indicator share one cached overlay
    layers_key = indicator_key
    if not view.changes_with_indicator:
        layers_key = view.map_choices(cache.snapshot())[0].key
    changing = changing_overlay(view.key, layers_key, params, lang)
    return recolouring(view.key, indicator_key, params, lang, compared) + changing


@st.cache_data(show_spinner=False, max_entries=64)
def section_payload(
    key: str, params: cache.ParamItems, lang: str
) -> tuple[MapPayload, tuple[str, ...]] | None:
    """A page's further map, rendered once per key, thresholds and language.

    Parameters
    ----------
    key
        Key of a map registered with :func:`kek_geo.views.register_section_map`.
    params
        Thresholds as sorted pairs (only those the map depends on, to share the cache).
    lang
        Language.

    Returns
    -------
    tuple or None
        The payload and the snapshot layers shown; ``None`` when the map's data are missing.
    """
    result = SECTION_MAPS[key](cache.snapshot(), cache.settings(), params=dict(params), lang=lang)
    if result is None:
        return None
    return prepare_map(result.map, key=key), result.layers


def show_section_map(
    key: str, params: cache.ParamItems = (), *, lang: str, height: int = 480
) -> bool:
    """Show a page's further map with its credits; False (nothing shown) if data are missing.

    A click inside a municipality chooses it, as on the page's main map.

    Parameters
    ----------
    key
        Registered map key.
    params
        Thresholds it depends on.
    lang
        Language.
    height
        Height in pixels.

    Returns
    -------
    bool
        Whether a map was shown.
    """
    section = section_payload(key, params, lang)
    if section is None:
        return False
    payload, layers = section
    # like the page's main map: a click inside a municipality chooses it
    selection.selecting_map(payload, height=height, below=True)
    frame.map_caption(cache.snapshot(), layers, cache.settings())
    return True


def threshold_texts(view: ThemeView, params: dict[str, float], lang: str) -> list[str]:
    """Each threshold of a theme with the value used, e.g. ``"Fußweg zur Haltestelle: 600 m"``.

    Parameters
    ----------
    view
        The theme.
    params
        Values used.
    lang
        Language.

    Returns
    -------
    list of str
        One text per threshold.
    """
    return [
        f"{th.label(lang)}: {fmt_number(params[th.key], 0, lang)} {th.unit_in(lang)}".strip()
        for th in unique_thresholds(view.indicators())
        if th.key in params
    ]


def view_fields(view: ThemeView, choices: list[str]) -> list[url_state.UrlField]:
    """What a theme page keeps in its link: indicator, thresholds, chosen municipality.

    Parameters
    ----------
    view
        The theme.
    choices
        Indicators offered for the map.

    Returns
    -------
    list of url_state.UrlField
        The fields.
    """
    fields = [
        url_state.choice_field("indikator", f"{view.key}_indicator", choices),
        frame.compare_field(f"{view.key}_compared"),
    ]
    for th in unique_thresholds(view.indicators()):
        key = f"{view.key}_{th.key}"
        fields.append(url_state.number_field(th.key, key, th.min_value, th.max_value))
    return [*fields, frame.municipality_field()]


def render_theme(view: ThemeView, note: Callable[[str], str] | None = None) -> ThemeState:
    """Lay out the common part of a thematic page and return what was chosen.

    Parameters
    ----------
    view
        The theme.
    note
        Optional text (a function of the language) shown prominently with the introduction
        under the map, e.g. the data date.

    Returns
    -------
    ThemeState
        Language, thresholds, the indicator table and the indicator on the map.
    """
    lang = frame.lang()
    st.title(t(view.title_key, lang))
    message = st.empty()
    imports = dict.fromkeys((*THEME_IMPORTS.get(view.key, ()), *view.map_imports))
    frame.import_warnings(cache.snapshot(), tuple(imports), lang)
    indicators = view.indicators()
    choices = view.map_choices(cache.snapshot())
    fields = view_fields(view, [i.key for i in choices])
    url_state.restore(fields)
    pick_col, compare_col, threshold_col = st.columns([4, 3, 4], vertical_alignment="bottom")
    key = pick_col.selectbox(
        t("theme.indicator", lang),
        [i.key for i in choices],
        format_func=lambda k: REGISTRY[k].name(lang),
        key=f"{view.key}_indicator",
    )
    with threshold_col:
        params = threshold_inputs(view, lang)
    items = cache.param_items(params)
    table = cache.indicator_table(tuple(i.key for i in indicators), items)
    indicator = REGISTRY[key]
    frame.show_key_message(message, table, indicator, lang)

    with compare_col:
        compared = frame.compare_toggle(table[key], f"{view.key}_compared", lang)
    payload, layers = base_payload(view.key, lang)
    overlay = map_overlay(view, key, items, lang, compared)
    chosen = selection.selecting_map(payload, height=frame.MAP_HEIGHT, overlay=overlay)
    frame.publish_view(fields)
    frame.map_caption(cache.snapshot(), layers, cache.settings())
    if view.uses_distances:
        network = cache.snapshot().extra("walk_network") is not None
        st.caption(t("theme.distance_network" if network else "theme.distance_straight", lang))
    # below the map, so the map and its legend fit the first screen
    st.write(t(view.intro_key, lang))
    if note is not None:
        st.info(note(lang))

    st.subheader(t("theme.table", lang))
    ordered = [indicator, *[i for i in indicators if i.key != key]]
    ranked = rank_table(table, key)
    display = frame.display_table(ranked, ordered, lang)
    if chosen is not None:
        st.caption(frame.chosen_caption(table, indicator, chosen, lang))
    frame.municipality_table(display, lang, key=f"{view.key}_table")
    dates = cache.indicator_dates(tuple(i.key for i in indicators), lang)
    dates_line = frame.data_dates_caption(ordered, lang, dates)
    st.caption(dates_line)
    full = frame.display_table(ranked, ordered, lang, rounded=False)
    frame.csv_download(
        full,
        file_name(view.key, params),
        key=f"{view.key}_csv",
        notes=frame.export_notes(
            f"KEK Geo – {t(view.title_key, lang)}, {cache.snapshot().district.name}",
            threshold_texts(view, params, lang),
            dates_line,
            layers,
            lang,
        ),
    )
    names = municipality_names(table)
    export_section(view.key, params, lang, names)
    with st.expander(t("theme.methods", lang)):
        method_notes(indicators, lang, dates)
    return ThemeState(view=view, lang=lang, params=params, table=table, indicator=indicator)
