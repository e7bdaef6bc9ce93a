"""Download buttons for council papers on the theme pages (map sheet, table, GeoPackage).

A file is made only when its button is pressed (Streamlit calls the data function then), and
kept per theme, place, format, thresholds and language, so a second download is instant.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from kek_geo.export import FORMATS, THEMES, export_file, file_name
from kek_geo.i18n import register_texts, t
from kek_geo.scenario import geojson
from kek_geo.ui import cache

register_texts(
    {
        "exports.title": ("Für Ratsvorlagen exportieren", "Export for council papers"),
        "exports.intro": (
            "Kartenblatt (A4 quer), Tabelle für Excel und die Ebenen für QGIS – für die "
            "Gemeinde oder den Kreis, mit den hier gewählten Schwellenwerten.",
            "Map sheet (A4 landscape), table for Excel and the layers for QGIS – for a "
            "municipality or the district, with the thresholds chosen here.",
        ),
        "exports.area": ("Für", "For"),
        "exports.kreis": ("{kreis} gesamt", "{kreis} total"),
        "exports.pdf": ("Kartenblatt PDF", "Map sheet PDF"),
        "exports.png": ("Kartenblatt PNG", "Map sheet PNG"),
        "exports.xlsx": ("Tabelle XLSX", "Table XLSX"),
        "exports.gpkg": ("Ebenen GeoPackage", "Layers GeoPackage"),
        "exports.theme": ("Thema", "Theme"),
        "exports.scenario_title": (
            "Kartenblatt und Tabellen unter dem Szenario",
            "Map sheet and tables under the scenario",
        ),
        "exports.scenario_intro": (
            "Jedes Thema mit den Zahlen des Szenarios; das Blatt nennt den Namen des Szenarios.",
            "Any theme with the scenario's figures; the sheet names the scenario.",
        ),
    }
)


@st.cache_data(show_spinner="Erstelle Datei …", max_entries=32)
def export_data(
    theme: str, ags: str, fmt: str, params: cache.ParamItems, lang: str, *, scenario_file: str = ""
) -> bytes:
    """The bytes of one export (cached by its small inputs; a scenario by its file's text)."""
    scenario = geojson.loads(scenario_file) if scenario_file else None
    return export_file(
        cache.snapshot(), theme, ags, fmt, lang=lang, settings=cache.settings(),
        params=dict(params), scenario=scenario,
    ).data  # fmt: skip


def _area(key: str, lang: str, names: dict[str, str]) -> str:
    district = cache.snapshot().district
    whole = t("exports.kreis", lang, kreis=district.name)
    return str(
        st.selectbox(
            t("exports.area", lang),
            [district.ags, *names],
            format_func=lambda a: whole if a == district.ags else names[a],
            key=key,
        )
    )


def _buttons(
    theme: str,
    ags: str,
    lang: str,
    names: dict[str, str],
    *,
    items: cache.ParamItems = (),
    scenario_file: str = "",
) -> None:
    """One download button per format, for the thresholds ``items`` and a scenario."""
    scenario_name = geojson.loads(scenario_file).name if scenario_file else ""
    district = cache.snapshot().district.name
    for column, (fmt, mime) in zip(st.columns(len(FORMATS)), FORMATS.items(), strict=True):
        column.download_button(
            t(f"exports.{fmt}", lang),
            data=partial(export_data, theme, ags, fmt, items, lang, scenario_file=scenario_file),
            file_name=file_name(theme, names.get(ags, district), fmt, scenario_name),
            mime=mime,
            key=f"{theme}_export_{fmt}{'_scenario' if scenario_file else ''}",
            use_container_width=True,
        )


def export_section(theme: str, params: dict[str, float], lang: str, names: dict[str, str]) -> None:
    """The export expander of a theme page.

    Parameters
    ----------
    theme
        Theme key.
    params
        Thresholds chosen on the page.
    lang
        Language.
    names
        Municipality names by AGS.
    """
    with st.expander(t("exports.title", lang), icon=":material/print:"):
        st.caption(t("exports.intro", lang))
        ags = _area(f"{theme}_export_area", lang, names)
        _buttons(theme, ags, lang, names, items=cache.param_items(params))


def scenario_export_section(scenario_file: str, lang: str, names: dict[str, str]) -> None:
    """The export expander of the scenario page: any theme under the scenario.

    Parameters
    ----------
    scenario_file
        The scenario's interchange text.
    lang
        Language.
    names
        Municipality names by AGS.
    """
    with st.expander(t("exports.scenario_title", lang), icon=":material/print:"):
        st.caption(t("exports.scenario_intro", lang))
        theme_col, area_col = st.columns(2)
        with theme_col:
            theme = st.selectbox(
                t("exports.theme", lang),
                list(THEMES.values()),
                format_func=lambda k: t(f"nav.{k}", lang),
                key="scenario_export_theme",
            )
        with area_col:
            ags = _area("scenario_export_area", lang, names)
        _buttons(theme, ags, lang, names, scenario_file=scenario_file)
