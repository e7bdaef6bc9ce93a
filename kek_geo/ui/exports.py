"""Download buttons for council papers on the theme pages (map sheet, table, GeoPackage).

A file is made only when its button is pressed (Streamlit calls the data function then), and
kept per theme, place, format, thresholds and language, so a second download is instant.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from kek_geo.export import FORMATS, export_file, file_name
from kek_geo.i18n import register_texts, t
from kek_geo.settings import KREIS_AGS
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
        "exports.kreis": ("Kreis Herford gesamt", "Kreis Herford total"),
        "exports.pdf": ("Kartenblatt PDF", "Map sheet PDF"),
        "exports.png": ("Kartenblatt PNG", "Map sheet PNG"),
        "exports.xlsx": ("Tabelle XLSX", "Table XLSX"),
        "exports.gpkg": ("Ebenen GeoPackage", "Layers GeoPackage"),
    }
)


@st.cache_data(show_spinner="Erstelle Datei …", max_entries=32)
def export_data(theme: str, ags: str, fmt: str, params: cache.ParamItems, lang: str) -> bytes:
    """The bytes of one export (cached by its small inputs)."""
    return export_file(
        cache.snapshot(), theme, ags, fmt, lang=lang, settings=cache.settings(),
        params=dict(params),
    ).data  # fmt: skip


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
        ags = st.selectbox(
            t("exports.area", lang),
            [KREIS_AGS, *names],
            format_func=lambda a: t("exports.kreis", lang) if a == KREIS_AGS else names[a],
            key=f"{theme}_export_area",
        )
        items = cache.param_items(params)
        columns = st.columns(len(FORMATS))
        for column, (fmt, mime) in zip(columns, FORMATS.items(), strict=True):
            column.download_button(
                t(f"exports.{fmt}", lang),
                data=partial(export_data, theme, ags, fmt, items, lang),
                file_name=export_name(theme, ags, fmt, names),
                mime=mime,
                key=f"{theme}_export_{fmt}",
                use_container_width=True,
            )


def export_name(theme: str, ags: str, fmt: str, names: dict[str, str]) -> str:
    """The file name the button suggests (the same as ``kek-geo export`` writes)."""
    return file_name(theme, names.get(ags, "Kreis Herford"), fmt)
