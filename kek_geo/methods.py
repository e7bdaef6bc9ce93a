"""Methodenblatt: one sheet per indicator, read from the registry and the snapshot manifest.

Nothing on a sheet is written for it: the definition and calculation are the indicator's
method text, the thresholds come with their default and its source, and the data are the
snapshot layers the indicator actually reads (recorded once by computing it, see
:func:`kek_geo.scenario.compare.dependencies`), each with its title, data date, licence,
credit and the caveat its publisher's source carries (:data:`kek_geo.sources.SOURCES`). A
page shows the sheets; a PDF (A4 portrait, one page per indicator) goes with council papers.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from kek_geo.catalog import LAYERS
from kek_geo.datatext import date_text
from kek_geo.i18n import fmt_number, md_escape, pick, register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.scenario.compare import dependencies
from kek_geo.snapshot import Snapshot
from kek_geo.sources import SOURCES

register_texts(
    {
        "methods.title": ("Methodenblatt", "Method sheets"),
        "methods.intro": (
            "Für jede Kennzahl: was sie zählt und wie, ihre Schwellenwerte mit Quelle, die "
            "Daten, die sie liest, mit Stand und Lizenz, und was über diese Daten bekannt ist.",
            "For every figure: what it counts and how, its thresholds with their source, the "
            "data it reads with date and licence, and what is known about those data.",
        ),
        "methods.definition": ("Definition und Berechnung", "Definition and calculation"),
        "methods.unit": ("Einheit", "Unit"),
        "methods.direction": ("Richtung", "Direction"),
        "methods.higher": ("höher ist besser", "higher is better"),
        "methods.lower": ("niedriger ist besser", "lower is better"),
        "methods.neutral": ("neutral (weder besser noch schlechter)", "neutral"),
        "methods.thresholds": ("Schwellenwerte", "Thresholds"),
        "methods.no_thresholds": ("keine", "none"),
        "methods.default": ("Vorgabe", "default"),
        "methods.data": ("Daten", "Data"),
        "methods.as_of": ("Stand", "As of"),
        "methods.licence": ("Lizenz", "Licence"),
        "methods.credit": ("Quellenangabe", "Credit"),
        "methods.limits": ("Bekannte Grenzen der Daten", "Known limits of the data"),
        "methods.no_limits": (
            "Keine Hinweise im Datenstand.",
            "No notes in the snapshot.",
        ),
        "methods.key": ("Schlüssel", "Key"),
        "methods.theme": ("Thema", "Theme"),
        "methods.all": ("alle Kennzahlen", "every figure"),
        "methods.pdf": ("Methodenblätter als PDF", "Method sheets as PDF"),
    }
)


@dataclass(frozen=True)
class DataSource:
    """A snapshot layer an indicator reads."""

    title: str
    data_date: str
    licence: str
    credit: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class MethodSheet:
    """Everything the sheet of one indicator says."""

    key: str
    name: str
    unit: str
    direction: str
    method: str
    as_of: str
    thresholds: tuple[str, ...]
    data: tuple[DataSource, ...]


def _direction(ind: Indicator, lang: str) -> str:
    if ind.higher_is_better is None:
        return t("methods.neutral", lang)
    return t("methods.higher" if ind.higher_is_better else "methods.lower", lang)


def method_sheet(snapshot: Snapshot, ind: Indicator, lang: str) -> MethodSheet:
    """The sheet of one indicator.

    Parameters
    ----------
    snapshot
        The data snapshot (its manifest describes the layers).
    ind
        The indicator.
    lang
        Language.

    Returns
    -------
    MethodSheet
        Its texts.
    """
    reads = sorted(name for name in dependencies(snapshot)[ind.key] if name in LAYERS)
    data = []
    for name in reads:
        record = snapshot.record(name)
        data.append(
            DataSource(
                title=pick(lang, record.title_de, record.title_en),
                data_date=date_text(record.data_date, lang),
                licence=record.licence,
                credit=record.attribution,
                notes=tuple(
                    pick(lang, SOURCES[k].note_de, SOURCES[k].note_en)
                    for k in record.sources
                    if k in SOURCES and SOURCES[k].note_de
                ),
            )
        )
    thresholds = tuple(
        f"{th.label(lang)}: {fmt_number(th.default, 0, lang)} {th.unit_in(lang)} "
        f"({t('methods.default', lang)}; {th.source(lang)})"
        for th in ind.thresholds
    )
    return MethodSheet(
        key=ind.key,
        name=ind.name(lang),
        unit=ind.unit_in(lang),
        direction=_direction(ind, lang),
        method=ind.method(lang),
        as_of=ind.data_date(snapshot, lang),
        thresholds=thresholds,
        data=tuple(data),
    )


def sheet_markdown(sheet: MethodSheet, lang: str) -> str:
    """A sheet as Markdown for the page (every text escaped: they come from data files)."""
    lines = [
        f"**{t('methods.definition', lang)}:** {md_escape(sheet.method)}",
        "",
        f"**{t('methods.unit', lang)}:** {md_escape(sheet.unit or '–')} · "
        f"**{t('methods.direction', lang)}:** {sheet.direction} · "
        f"**{t('methods.as_of', lang)}:** {md_escape(sheet.as_of)} · "
        f"**{t('methods.key', lang)}:** `{sheet.key}`",
        "",
        f"**{t('methods.thresholds', lang)}:**",
    ]
    lines += [f"- {md_escape(text)}" for text in sheet.thresholds] or [
        f"- {t('methods.no_thresholds', lang)}"
    ]
    lines += ["", f"**{t('methods.data', lang)}:**"]
    for src in sheet.data:
        lines.append(
            f"- {md_escape(src.title)} – {t('methods.as_of', lang)} {md_escape(src.data_date)}, "
            f"{t('methods.licence', lang)} {md_escape(src.licence)}; "
            f"{t('methods.credit', lang)}: {md_escape(src.credit)}"
        )
    notes = [note for src in sheet.data for note in src.notes]
    lines += ["", f"**{t('methods.limits', lang)}:**"]
    lines += [f"- {md_escape(note)}" for note in dict.fromkeys(notes)] or [
        f"- {t('methods.no_limits', lang)}"
    ]
    return "\n".join(lines)


def _page(sheet: MethodSheet, lang: str) -> Figure:
    fig = Figure(figsize=(8.27, 11.69))
    y = 0.955
    fig.text(0.07, y, sheet.name, fontsize=15, fontweight="bold", va="top")
    y -= 0.035
    fig.text(0.07, y, f"{t('methods.title', lang)} · KEK Geo · {sheet.key}", fontsize=8.5,
             color="#555", va="top")  # fmt: skip
    y -= 0.03

    def block(title: str, paragraphs: Sequence[str], width: int = 100) -> None:
        nonlocal y
        fig.text(0.07, y, title, fontsize=10, fontweight="bold", va="top")
        y -= 0.02
        for paragraph in paragraphs:
            wrapped = textwrap.wrap(paragraph, width) or [""]
            fig.text(0.07, y, "\n".join(wrapped), fontsize=8.3, va="top", linespacing=1.35)
            y -= 0.0135 * len(wrapped) + 0.006
        y -= 0.012

    block(t("methods.definition", lang), [sheet.method])
    block(
        f"{t('methods.unit', lang)} · {t('methods.direction', lang)} · {t('methods.as_of', lang)}",
        [f"{sheet.unit or '–'} · {sheet.direction} · {sheet.as_of}"],
    )
    block(
        t("methods.thresholds", lang), list(sheet.thresholds) or [t("methods.no_thresholds", lang)]
    )
    block(
        t("methods.data", lang),
        [f"{s.title} – {t('methods.as_of', lang)} {s.data_date}; {t('methods.licence', lang)} "
         f"{s.licence}; {t('methods.credit', lang)}: {s.credit}" for s in sheet.data],
    )  # fmt: skip
    notes = list(dict.fromkeys(note for s in sheet.data for note in s.notes))
    block(t("methods.limits", lang), notes or [t("methods.no_limits", lang)])
    return fig


def methods_pdf(sheets: Sequence[MethodSheet], lang: str) -> bytes:
    """The sheets as a PDF, one A4 portrait page each.

    Parameters
    ----------
    sheets
        The sheets.
    lang
        Language.

    Returns
    -------
    bytes
        The PDF.
    """
    buffer = io.BytesIO()
    with PdfPages(
        buffer, metadata={"Title": t("methods.title", lang), "Creator": "KEK Geo"}
    ) as pdf:
        for sheet in sheets:
            pdf.savefig(_page(sheet, lang))
    return buffer.getvalue()
