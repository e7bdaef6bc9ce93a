"""Tables for council papers as an Excel workbook: units in the headers, numbers as numbers.

Sheet 1 holds the theme's indicators for the municipalities and the district (values at
full precision; the cell format shows each indicator's decimals), sheet 2 says for each
indicator what it counts, from which data and date, under which licence.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kek_geo.district import district_key
from kek_geo.i18n import register_texts, t
from kek_geo.indicators import Indicator

register_texts(
    {
        "workbook.values": ("Kennzahlen", "Figures"),
        "workbook.sources": ("Quellen und Methoden", "Sources and methods"),
        "workbook.ags": ("AGS", "AGS"),
        "workbook.area": ("Gemeinde", "Municipality"),
        "workbook.indicator": ("Kennzahl", "Figure"),
        "workbook.unit": ("Einheit", "Unit"),
        "workbook.as_of": ("Stand der Daten", "Data as of"),
        "workbook.method": ("Methode", "Method"),
        "workbook.credits": ("Quellen und Lizenzen", "Sources and licences"),
        "workbook.scenario": ("Szenario", "Scenario"),
    }
)

_BOLD = Font(bold=True)
_CHOSEN = PatternFill("solid", fgColor="FCE4F1")


def number_format(decimals: int) -> str:
    """Excel number format with thousands separators and ``decimals`` digits.

    Parameters
    ----------
    decimals
        Digits after the decimal point.

    Returns
    -------
    str
        E.g. ``"#,##0.0"`` (Excel shows it with the separators of the reader's locale).
    """
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def workbook_bytes(
    table: pd.DataFrame,
    indicators: Sequence[Indicator],
    *,
    ags: str,
    lang: str,
    as_of: dict[str, str],
    credit_line: str,
    scenario: str = "",
) -> bytes:
    """The theme's table as an XLSX file.

    Parameters
    ----------
    table
        Indicator table (index AGS, column ``gemeinde`` and one per indicator).
    indicators
        The indicators, in column order.
    ags
        The municipality the export is for (its row is highlighted; the district: none).
    lang
        Language of headers and texts.
    as_of
        Data date per indicator key.
    credit_line
        Sources with licences of the data shown.
    scenario
        Name of the scenario the values are under (empty for today).

    Returns
    -------
    bytes
        The workbook.
    """
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    _values_sheet(sheet, table, indicators, ags=ags, lang=lang, scenario=scenario)
    _sources_sheet(book.create_sheet(t("workbook.sources", lang)), indicators, lang, as_of,
                   credit_line)  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _values_sheet(
    sheet: Worksheet,
    table: pd.DataFrame,
    indicators: Sequence[Indicator],
    *,
    ags: str,
    lang: str,
    scenario: str,
) -> None:
    sheet.title = t("workbook.values", lang)
    headers = [t("workbook.ags", lang), t("workbook.area", lang)]
    sheet.append(headers + [ind.header(lang) for ind in indicators])
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    kreis = district_key(table.index)
    for row_ags, row in table.iterrows():
        values: list[object] = [str(row_ags), str(row["gemeinde"])]
        values += [None if pd.isna(row[ind.key]) else float(row[ind.key]) for ind in indicators]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if row_ags == kreis:
                cell.font = _BOLD
            if row_ags == ags != kreis:
                cell.fill = _CHOSEN
    for number, ind in enumerate(indicators, start=3):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            cell.number_format = number_format(ind.decimals)
        sheet.column_dimensions[get_column_letter(number)].width = 18
    sheet.column_dimensions["A"].width = 11
    sheet.column_dimensions["B"].width = 16
    sheet.row_dimensions[1].height = 60
    sheet.freeze_panes = "C2"
    if scenario:
        sheet.append([])
        sheet.append([t("workbook.scenario", lang), scenario])


def _sources_sheet(
    sheet: Worksheet,
    indicators: Sequence[Indicator],
    lang: str,
    as_of: dict[str, str],
    credit_line: str,
) -> None:
    sheet.append(
        [t("workbook.indicator", lang), t("workbook.unit", lang), t("workbook.as_of", lang),
         t("workbook.method", lang)]
    )  # fmt: skip
    for cell in sheet[1]:
        cell.font = _BOLD
    for ind in indicators:
        sheet.append([ind.name(lang), ind.unit_in(lang), as_of.get(ind.key, "–"), ind.method(lang)])
    sheet.append([])
    sheet.append([t("workbook.credits", lang), credit_line])
    for letter, width in zip("ABCD", (34, 10, 34, 120), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
