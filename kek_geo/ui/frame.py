"""Shared page furniture: language, headers, map captions, tables with CSV download."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from kek_geo.csvfile import csv_bytes
from kek_geo.district import district_key
from kek_geo.i18n import fmt_number, round_half_up, t, unit_notes
from kek_geo.imports import problem_text
from kek_geo.indicators import Indicator
from kek_geo.key_messages import key_message, versus_kreis
from kek_geo.settings import Settings
from kek_geo.snapshot import Snapshot
from kek_geo.tables import styled
from kek_geo.thematic import comparable
from kek_geo.ui import cache, map_first, selection, url_state
from kek_geo.ui.cache import indicator_dates
from kek_geo.ui.cache import settings as cached_settings

LANG_KEY = "lang"
LANG_TOGGLE_KEY = "lang_en"


def init_session(settings: Settings) -> None:
    """Set session defaults once per session.

    Parameters
    ----------
    settings
        Settings (default language).
    """
    st.session_state.setdefault(LANG_KEY, settings.default_lang)
    st.session_state.setdefault(LANG_TOGGLE_KEY, settings.default_lang == "en")


#: The language in the link (``?lang=en``), so a reload or a shared link keeps it.
LANG_FIELD = url_state.UrlField(
    "lang",
    LANG_TOGGLE_KEY,
    parse={"de": False, "en": True}.get,
    show=lambda english: "en" if english else "de",
)


def language_toggle() -> str:
    """Sidebar switch between German and English; returns the active language.

    A language in the link (``?lang=en``) is applied first.

    Returns
    -------
    str
        ``"de"`` or ``"en"``.
    """
    url_state.restore([LANG_FIELD])
    english = st.sidebar.toggle(
        t("app.language", "de"), key=LANG_TOGGLE_KEY, help=t("app.language_help", "de")
    )
    chosen = "en" if english else "de"
    if st.session_state.get(LANG_KEY) != chosen:
        relabel_choices(st.session_state)
    st.session_state[LANG_KEY] = chosen
    return lang()


def publish_view(fields: Iterable[url_state.UrlField] = ()) -> None:
    """Write the page's view and the language into the link (call after the widgets).

    Parameters
    ----------
    fields
        The page's fields; the chosen municipality is added where the page has one.
    """
    url_state.publish([*fields, LANG_FIELD])


def compare_field(key: str) -> url_state.UrlField:
    """The colour mode in the link (``?farben=kreis`` for "compared with the district").

    Parameters
    ----------
    key
        Session key of the page's toggle.

    Returns
    -------
    url_state.UrlField
        The field.
    """
    return url_state.UrlField(
        "farben",
        key,
        parse={"kreis": True, "klassen": False}.get,
        show=lambda compared: "kreis" if compared else "klassen",
    )


def compare_toggle(values: pd.Series, key: str, language: str) -> bool:
    """A switch: colour the map by the difference to the district value.

    Disabled, with the reason, for counts (their district value is their sum).

    Parameters
    ----------
    values
        The indicator's values by AGS, district row included.
    key
        Widget key.
    language
        Language.

    Returns
    -------
    bool
        Whether the map compares with the district.
    """
    able = comparable(values)
    on = st.toggle(
        t("compared.toggle", language),
        key=key,
        disabled=not able,
        help=t("compared.help" if able else "compared.not_for_counts", language),
    )
    return bool(on) and able


def municipality_field() -> url_state.UrlField:
    """The chosen municipality in the link (``?gemeinde=<AGS>``).

    Returns
    -------
    url_state.UrlField
        The field.
    """
    return url_state.choice_field(
        "gemeinde", selection.SELECTED_KEY, sorted(selection.municipalities())
    )


#: Planners' pages: less empty space above the title, so that title, key message, indicator
#: and the map with its legend fit a projector's first 1280×720 screen.
PLANNER_CSS = """
.stMainBlockContainer, .block-container {padding-top: 3.75rem !important;}
.stMainBlockContainer h1 {padding-top: 0 !important; padding-bottom: 0.5rem !important;
    font-size: 2.25rem !important;}
"""


#: Height of a page's main map: with title, key message and indicator above it, the map and
#: its legend fit a 1280×720 screen (``bench/first_screen.py`` measures it).
MAP_HEIGHT = 420


def planner_frame() -> None:
    """Style the planners' pages (see :data:`PLANNER_CSS`)."""
    st.html(f"<style>{PLANNER_CSS}</style>")


def _is_choice(value: object) -> bool:
    """Whether a session value looks like the choice of a selectbox, radio, pills or multiselect.

    Texts and numbers (and lists of them) are; booleans are not, because buttons hold them and
    a button's value cannot be set.
    """

    def plain(v: object) -> bool:
        return isinstance(v, str | int | float) and not isinstance(v, bool)

    if plain(value):
        return True
    return isinstance(value, list | tuple) and all(plain(v) for v in value)


def relabel_choices(state: Any) -> None:
    """Make every choice widget send its selection to the browser again, in the new language.

    A keyed selectbox keeps its identity when its labels change, and the browser keeps showing
    the label it last had: after a language switch the selected value would stay German.
    Writing the value back marks it as set by the app, so the browser gets the option's label
    in the new language (numbers too: ``≥ 1.000 Mbit/s`` becomes ``≥ 1,000 Mbit/s``). Only
    texts and numbers are written back (choices, text and number inputs, sliders); buttons,
    uploads and maps hold other values and could not be set.

    Parameters
    ----------
    state
        The session state (``st.session_state``).
    """
    for key in list(state.keys()):
        if key in (LANG_KEY, LANG_TOGGLE_KEY) or not _is_choice(state[key]):
            continue
        state[key] = state[key]


def planner_only() -> None:
    """Stop a planners' page at once in the kiosk (where it is not even registered).

    The kiosk never lists these pages; this guard also covers a server started without
    ``kek-geo serve``, where Streamlit may run a page script straight from ``pages/``.
    """
    if cached_settings().kiosk:
        st.stop()


def lang() -> str:
    """The active language of this session.

    Returns
    -------
    str
        ``"de"`` or ``"en"``.
    """
    value = st.session_state.get(LANG_KEY, "de")
    return "en" if value == "en" else "de"


def map_caption(snap: Snapshot, layers: tuple[str, ...], settings: Settings) -> None:
    """Attribution line under a map: the credit_line of every layer shown, plus the basemap.

    Parameters
    ----------
    snap
        Snapshot (for the credit lines in its manifest).
    layers
        Snapshot layers visible on the map.
    settings
        Settings (basemap attribution).
    """
    credit_line = snap.attribution(*layers)
    if settings.tiles_url and settings.tiles_attribution:
        credit_line += " · " + settings.tiles_attribution
    st.caption(f"{t('map.attribution', lang())}: {credit_line}")


def missing_layers(snap: Snapshot, names: Iterable[str], language: str) -> bool:
    """Say which of a page's layers the snapshot lacks and how to get them.

    Parameters
    ----------
    snap
        Snapshot.
    names
        Layers the page needs.
    language
        Language.

    Returns
    -------
    bool
        True if one is missing (the page then shows only what it can without it).
    """
    missing = [n for n in names if not snap.available(n)]
    for name in missing:
        record = snap.record(name)
        title = record.title_en if language == "en" else record.title_de
        method = record.method_en if language == "en" else record.method_de
        st.info(f"**{title}:** {method}", icon=":material/info:")
    return bool(missing)


def import_warnings(snap: Snapshot, names: Iterable[str], language: str) -> None:
    """A warning for each damaged import among those a page uses (nothing if all are fine).

    It points to "Über die Daten" for how to import it again (no commands on a theme page).

    Parameters
    ----------
    snap
        Snapshot.
    names
        Import names the page's figures depend on.
    language
        Language.
    """
    for name in names:
        problem = snap.import_problem(name)
        if problem is not None:
            st.warning(problem_text(problem, language, repair=False), icon=":material/warning:")


def display_table(
    table: pd.DataFrame, indicators: list[Indicator], language: str, *, rounded: bool = True
) -> pd.DataFrame:
    """Turn an indicator table into a display table with localized headers and rounding.

    Parameters
    ----------
    table
        From :func:`kek_geo.indicators.compute_table`.
    indicators
        Indicators in column order.
    language
        Language.
    rounded
        Round to each indicator's decimals (for the screen); ``False`` keeps full
        precision (for downloads).

    Returns
    -------
    pandas.DataFrame
        Columns ``Gemeinde`` and one per indicator header with unit.
    """
    out = pd.DataFrame({t("overview.municipality", language): table["gemeinde"]})
    for ind in indicators:
        values = table[ind.key]
        if rounded:
            values = values.map(lambda v, d=ind.decimals: round_half_up(float(v), d))
        out[ind.header(language)] = values
    out.index = table.index
    return out


def show_table(
    table: pd.DataFrame,
    language: str,
    *,
    key: str | None = None,
    highlight: object | None = None,
    **options: Any,
) -> Any:
    """Show a table with numbers in the language's format and missing values as "–".

    When a page opens, a table below its map waits until the map is drawn
    (:func:`waits_for_map`); it then returns None.

    Parameters
    ----------
    table
        Table (numbers as numbers, so columns sort by value).
    language
        Language.
    key
        Widget key.
    highlight
        Index label of a row to highlight.
    **options
        More options of ``st.dataframe`` (the index is hidden unless ``hide_index=False``).

    Returns
    -------
    object
        What ``st.dataframe`` returns (the selection, with ``on_select``).
    """
    height = _table_height(len(table), options.get("height"))
    if waits_for_map(language, height):
        return None
    options.setdefault("hide_index", True)
    with _place(height, key):
        return st.dataframe(styled(table, language, highlight), key=key, **options)


def show_chart(chart: Any, language: str, **options: Any) -> None:
    """Show an Altair chart (it waits for the map above it like a table, see :func:`show_table`).

    While it waits, its place is kept at the height the chart will take (its specification's,
    its bars' at Vega-Lite's step, or Streamlit's default for a value axis), else at
    Streamlit's default. Once shown, it keeps that place while the browser loads its code,
    if the height is known (not for layered or faceted charts).

    Parameters
    ----------
    chart
        Altair chart.
    language
        Language.
    **options
        Options of ``st.altair_chart``.
    """
    height = _chart_height(chart)
    if not waits_for_map(language, height or CHART_PX):
        with _place(height, options.get("key")):
            st.altair_chart(chart, **options)


def show_line_chart(table: pd.DataFrame, language: str, **options: Any) -> None:
    """``st.line_chart`` that waits for the map above it like a table (see :func:`show_chart`).

    Parameters
    ----------
    table
        One line per column, along the index.
    language
        Language.
    **options
        Options of ``st.line_chart`` (its height stays Streamlit's default).
    """
    if not waits_for_map(language, CHART_PX):
        with _place(CHART_PX, options.get("key")):
            st.line_chart(table, **options)


def _place(height: int | None, key: str | None = None) -> Any:
    """A place at least ``height`` px high for a table or chart (None: as high as it is).

    When a table or chart replaces the line that waited for the map, the browser may still
    have to load its code: for that moment the element has no height. The place keeps it,
    so what lies below does not jump up and back down. It is named after the element's key
    (so it stays the same place from run to run), else counted in the run.
    """
    key = map_first.place_key(key)
    if height:
        st.html(f"<style>.st-key-{key} {{min-height: {height}px}}</style>")
    return st.container(key=key)


#: Pixels of a table row in ``st.dataframe``, and of a table at its default height at most.
_ROW_PX, _TABLE_MAX_PX = 35, 400
#: Pixels of a chart at Streamlit's default height.
CHART_PX = 350


#: Vega-Lite's default pixels per bar of a nominal axis, and a bar chart's axis and legend.
_BAR_STEP_PX, _BAR_FURNITURE_PX = 20, 77


def _chart_height(chart: Any) -> int | None:
    """Pixels the chart will take (its height, its bars' steps or Streamlit's); None: unknown."""
    height = getattr(chart, "height", None)
    if isinstance(height, int):
        return height
    data = getattr(chart, "data", None)
    try:
        y = chart["encoding"]["y"].to_dict(validate=False, context={"data": data})
    except (AttributeError, KeyError, TypeError, ValueError):  # no y axis, or no Altair chart
        return None
    field = y.get("field")
    if y.get("type") == "nominal" and isinstance(data, pd.DataFrame) and field in data:
        return int(data[field].nunique()) * _BAR_STEP_PX + _BAR_FURNITURE_PX
    if y.get("type") in ("quantitative", "temporal"):
        return CHART_PX  # Streamlit's default height for a chart that sets none
    return None


def _table_height(rows: int, height: object) -> int:
    if isinstance(height, int):
        return height
    return min((rows + 1) * _ROW_PX + 2, _TABLE_MAX_PX)  # with the header row and border


def waits_for_map(language: str, height: int = CHART_PX) -> bool:
    """When a page opens, a line in place of a table or chart until the map above is drawn.

    See :mod:`kek_geo.ui.map_first`: the map is drawn sooner, and the page reruns with the
    table or chart when it is. The line keeps the content's place, so nothing below moves
    when it comes (:func:`_place` holds the place while the browser loads its code).

    Parameters
    ----------
    language
        Language.
    height
        Pixels the content will take.

    Returns
    -------
    bool
        True if the content waits (the line is shown instead).
    """
    if not map_first.content_waits():
        return False
    with st.container(height=height, border=False):
        st.caption(t("page.after_map", language))
    return True


def municipality_table(table: pd.DataFrame, language: str, *, key: str) -> None:
    """A table of municipalities: the chosen one highlighted; a click on a row chooses it.

    Parameters
    ----------
    table
        Display table indexed by AGS.
    language
        Language.
    key
        Widget key (the chosen AGS is added, so a choice made on the map clears the table's
        own row selection).
    """
    chosen = selection.selected()
    event = show_table(
        table,
        language,
        key=f"{key}_{chosen or 'kreis'}",
        highlight=chosen,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    if rows and 0 <= rows[0] < len(table):
        ags = str(table.index[rows[0]])
        if ags != chosen and ags in selection.municipalities():
            selection.choose(ags)
            st.rerun()


def export_notes(
    title: str,
    thresholds: Iterable[str],
    dates_line: str,
    layers: Iterable[str],
    language: str,
) -> list[str]:
    """What travels with a downloaded table: what it is, thresholds, data dates, sources.

    Parameters
    ----------
    title
        What the table is (page and district).
    thresholds
        One text per threshold used, e.g. ``"Fußweg zur Haltestelle: 600 m"``.
    dates_line
        The data dates (:func:`data_dates_caption`).
    layers
        Snapshot layers behind the table (their credits are written).
    language
        Language.

    Returns
    -------
    list of str
        The lines.
    """
    snap = cache.snapshot()
    lines = [title]
    used = "; ".join(thresholds)
    if used:
        lines.append(f"{t('export.thresholds', language)}: {used}")
    lines.append(dates_line)
    lines.append(f"{t('map.attribution', language)}: {snap.attribution(*layers)}")
    lines.append(t("export.made_with", language, date=pd.Timestamp.now().strftime("%Y-%m-%d")))
    return lines


def chosen_caption(table: pd.DataFrame, indicator: Indicator, ags: str, language: str) -> str:
    """One line for the chosen municipality: its value next to the district's.

    Parameters
    ----------
    table
        Indicator table with the district row.
    indicator
        Indicator on the map.
    ags
        The chosen municipality.
    language
        Language.

    Returns
    -------
    str
        E.g. ``"Gewählt: **Bünde** – 12,3 % (Kreis: 15,0 %). …"``.
    """
    district = district_key(table.index)
    return t(
        "selection.caption",
        language,
        name=str(table.loc[ags, "gemeinde"]),
        value=metric_value(float(table.loc[ags, indicator.key]), indicator, language),
        kreis=str(table.loc[district, "gemeinde"]),
        kreis_value=metric_value(float(table.loc[district, indicator.key]), indicator, language),
    )


def csv_download(table: pd.DataFrame, file_name: str, key: str, notes: Iterable[str] = ()) -> None:
    """Download button for a table as CSV that the user's spreadsheet program opens.

    In the German UI ``;`` and decimal commas (German Excel), in English ``,`` and points;
    UTF-8 with BOM either way (:func:`kek_geo.csvfile.csv_bytes`).

    Parameters
    ----------
    table
        Table to offer.
    file_name
        Suggested file name.
    key
        Widget key.
    notes
        Lines before the table: what it is, thresholds, data dates, sources.
    """
    data = csv_bytes(table, lang(), notes=tuple(notes))
    st.download_button(
        t("overview.download", lang()), data, file_name=file_name, mime="text/csv", key=key
    )


def show_key_message(slot: Any, table: pd.DataFrame, indicator: Indicator, language: str) -> None:
    """Write a page's key message (one sentence, see :mod:`kek_geo.key_messages`) into a slot.

    Parameters
    ----------
    slot
        Where it goes: an ``st.empty()`` made under the title, so the sentence opens the page
        although the indicator is chosen further down.
    table
        Indicator table with the district row.
    indicator
        The indicator on the map.
    language
        Language.
    """
    as_of = indicator_dates((indicator.key,), language)[indicator.key]
    slot.markdown(key_message(table, indicator, as_of, language).text)


def metric_value(value: float, indicator: Indicator, language: str) -> str:
    """A formatted value with unit for ``st.metric``.

    Parameters
    ----------
    value
        The value.
    indicator
        Its indicator (decimals and unit).
    language
        Language.

    Returns
    -------
    str
        E.g. ``"46.591 Einw."``.
    """
    return f"{fmt_number(value, indicator.decimals, language)} {indicator.unit_in(language)}"


#: Footnote marks that tie a key figure to its data date.
_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def key_figures_markdown(
    table: pd.DataFrame,
    indicators: list[Indicator],
    ags: str,
    language: str,
    dates: Mapping[str, str],
) -> str:
    """Key figures of one area next to the district, each marked with its data date, as Markdown.

    Parameters
    ----------
    table
        Indicator table with the district row.
    indicators
        Indicators to list.
    ags
        Area to show (a municipality or the district).
    language
        Language.
    dates
        Data date of each indicator, by key (:func:`kek_geo.indicators.data_dates`).

    Returns
    -------
    str
        Markdown table ``Kennzahl | <area> | Kreis | Im Vergleich zum Kreis`` (the last two
        only for a municipality; the comparison says better or worse, or above or below for a
        neutral figure, see :func:`kek_geo.key_messages.versus_kreis`), each figure with a
        mark, then one line ``Stand: ¹ … · ² …`` naming the date of each mark (and a line
        explaining each abbreviated unit).
    """
    distinct = list(dict.fromkeys(dates[ind.key] for ind in indicators))
    mark = {date: _MARKS[i % len(_MARKS)] for i, date in enumerate(distinct)}
    area = str(table.loc[ags, "gemeinde"])
    district = district_key(table.index)
    kreis = str(table.loc[district, "gemeinde"])
    header = f"| {t('overview.figure', language)} | {area} |"
    rule = "|---|---:|"
    if ags != district:
        header += f" {kreis} | {t('key.versus', language)} |"
        rule += "---:|---|"
    rows = [header, rule]
    for ind in indicators:
        value = metric_value(float(table.loc[ags, ind.key]), ind, language)
        row = f"| {ind.name(language)}{mark[dates[ind.key]]} | {value} |"
        if ags != district:
            row += f" {metric_value(float(table.loc[district, ind.key]), ind, language)} |"
            row += f" {versus_kreis(table, ind, ags, language)} |"
        rows.append(row)
    legend = " · ".join(f"{mark[d]} {d}" for d in distinct)
    notes = "".join(f"  \n{n}" for n in unit_notes((i.unit for i in indicators), language))
    return "\n".join(rows) + f"\n\n{t('overview.as_of', language)}: {legend}{notes}"


def data_dates_caption(indicators: list[Indicator], language: str, dates: Mapping[str, str]) -> str:
    """One line naming the data date of every indicator of a table, grouped by date.

    Parameters
    ----------
    indicators
        The table's indicators.
    language
        Language.
    dates
        Data date of each indicator, by key.

    Returns
    -------
    str
        E.g. ``Stand der Daten – Zensus 2022 (15.05.2022): Einwohner, …; Breitbandatlas …``.
    """
    groups: dict[str, list[str]] = {}
    for ind in indicators:
        groups.setdefault(dates[ind.key], []).append(ind.name(language))
    parts = [f"{date}: {', '.join(names)}" for date, names in groups.items()]
    notes = "".join(f" · {n}" for n in unit_notes((i.unit for i in indicators), language))
    return f"{t('theme.data_dates', language)} – " + "; ".join(parts) + notes
