"""Exports for council papers: a map sheet (PDF, PNG), a workbook (XLSX), a GeoPackage.

Every export is of one theme (named as in the page URLs: ``mobilitaet``, ``breitband`` …)
for one municipality or the district, optionally under a scenario. The page's download
buttons and ``kek-geo export`` both call :func:`export_file`, so they write the same file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from kek_geo.export.content import (
    THEMES,
    ExportError,
    ThemeContent,
    municipality,
    theme_content,
    theme_key,
)
from kek_geo.export.geopackage import geopackage_bytes
from kek_geo.export.sheet import figure_bytes, sheet_figure
from kek_geo.export.workbook import workbook_bytes
from kek_geo.i18n import fmt_number, t
from kek_geo.indicators import data_dates
from kek_geo.indicators.registry import LayerSource, Params
from kek_geo.scenario.model import Scenario
from kek_geo.settings import Settings, get_settings
from kek_geo.snapshot import Snapshot

__all__ = ["FORMATS", "THEMES", "ExportError", "ExportFile", "export_file", "file_name"]

#: Formats and their MIME types.
FORMATS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gpkg": "application/geopackage+sqlite3",
}


@dataclass(frozen=True)
class ExportFile:
    """An export: its suggested file name, MIME type and content."""

    name: str
    mime: str
    data: bytes


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    plain = plain.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def file_name(theme: str, area: str, fmt: str, scenario: str = "") -> str:
    """Suggested file name, e.g. ``kek-geo-mobilitaet-spenge.pdf``.

    Parameters
    ----------
    theme
        Theme key or page name.
    area
        Name of the municipality or the district.
    fmt
        File format.
    scenario
        Scenario name (added to the name).

    Returns
    -------
    str
        The file name (ASCII).
    """
    page = {v: k for k, v in THEMES.items()}[theme_key(theme)]
    parts = ["kek-geo", page, _slug(area)]
    if scenario:
        parts.append(_slug(scenario)[:40])
    return "-".join(p for p in parts if p) + f".{fmt}"


def changed_thresholds(content: ThemeContent, params: Params, lang: str) -> str:
    """The thresholds that differ from their default, e.g. ``Fußweg zur Haltestelle: 400 m``.

    Parameters
    ----------
    content
        The theme.
    params
        Thresholds as chosen.
    lang
        Language.

    Returns
    -------
    str
        ``label: value unit`` joined by ``; `` (empty when every threshold is its default).
    """
    seen: dict[str, str] = {}
    for ind in content.indicators:
        for th in ind.thresholds:
            value = params.get(th.key, th.default)
            if th.key not in seen and float(value) != float(th.default):
                number = fmt_number(float(value), 0 if float(value).is_integer() else 1, lang)
                seen[th.key] = f"{th.label(lang)}: {number} {th.unit_in(lang)}".strip()
    return "; ".join(seen.values())


def export_file(
    snapshot: Snapshot,
    theme: str,
    gemeinde: str | None,
    fmt: str,
    *,
    lang: str = "de",
    scenario: Scenario | None = None,
    settings: Settings | None = None,
    today: date | None = None,
    params: Params | None = None,
) -> ExportFile:
    """One export of a theme for a municipality (or the district).

    Parameters
    ----------
    snapshot
        The data snapshot.
    theme
        Theme as in the page URLs (``mobilitaet``) or its key (``mobility``).
    gemeinde
        Name or AGS of the municipality; ``None`` for the district.
    fmt
        ``pdf``, ``png``, ``xlsx`` or ``gpkg``.
    lang
        Language.
    scenario
        Figures under this scenario instead of today.
    settings
        Settings (default: from the environment).
    today
        Date printed on a sheet.
    params
        Thresholds as chosen on a page (default: every default); a sheet names those that
        differ from their default.

    Returns
    -------
    ExportFile
        Name, MIME type and bytes.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    source: LayerSource = snapshot
    if scenario is not None:
        from kek_geo.scenario.apply import ScenarioSource  # noqa: PLC0415 - heavy, only here

        source = ScenarioSource(snapshot, scenario)
    ags = municipality(snapshot, gemeinde)
    content = theme_content(source, settings or get_settings(), theme, lang, params)
    credit_line = snapshot.attribution(*content.layers)
    dates = data_dates(list(content.indicators), source, lang)
    name = scenario.name if scenario is not None else ""
    area = str(content.table.loc[ags, "gemeinde"])
    if fmt in {"pdf", "png"}:
        fig = sheet_figure(
            content, snapshot.geo("gemeinden"), ags, lang=lang, credit_line=credit_line,
            as_of="; ".join(dict.fromkeys(dates.values())), scenario=name, today=today,
            thresholds=changed_thresholds(content, params or {}, lang),
        )  # fmt: skip
        title = f"{t(content.title_key, lang)} – {area}"
        data = figure_bytes(fig, fmt, title=title)
    elif fmt == "xlsx":
        data = workbook_bytes(
            content.table, content.indicators, ags=ags, lang=lang, as_of=dates,
            credit_line=credit_line, scenario=name,
        )  # fmt: skip
    else:
        data = geopackage_bytes(source, snapshot, content, ags, lang=lang, credit_line=credit_line)
    return ExportFile(file_name(theme, area, fmt, name), FORMATS[fmt], data)
