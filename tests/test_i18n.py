"""Texts exist in both languages; numbers are formatted the German or English way."""

from __future__ import annotations

import math

from kek_geo.i18n import TEXTS, fmt_number, t


def test_every_text_has_both_languages() -> None:
    for key, (de, en) in TEXTS.items():
        assert de.strip() and en.strip(), key


def test_lookup_and_fallbacks() -> None:
    assert t("overview.title", "de") == "Übersicht"
    assert t("overview.title", "en") == "Overview"
    assert t("overview.title", "fr") == "Übersicht"
    assert t("no.such.key", "en") == "no.such.key"
    assert t("about.basemap_on", "en", attribution="© X") == "Basemap: © X"


def test_number_formatting() -> None:
    assert fmt_number(254008, 0, "de") == "254.008"
    assert fmt_number(254008, 0, "en") == "254,008"
    assert fmt_number(1234.56, 1, "de") == "1.234,6"
    assert fmt_number(1234.56, 1, "en") == "1,234.6"
    assert fmt_number(math.nan, 1) == "–"
    assert fmt_number(None) == "–"
