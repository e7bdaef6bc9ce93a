"""Texts exist in both languages; numbers are formatted the German or English way."""

from __future__ import annotations

import math

from kek_geo.i18n import TEXTS, UNITS_EN, fmt_number, t, unit_text
from kek_geo.indicators import REGISTRY


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
    assert fmt_number(math.inf, 0) == "–"


def test_every_unit_has_an_english_form() -> None:
    same = {"%", "m", "ha", ""}  # read the same in both languages
    units = {ind.unit for ind in REGISTRY.values()}
    units |= {th.unit for ind in REGISTRY.values() for th in ind.thresholds}
    assert units - same <= set(UNITS_EN), sorted(units - same - set(UNITS_EN))
    assert unit_text("Einw.", "en") == "res."
    assert unit_text("Einw.", "de") == "Einw."
    assert REGISTRY["population"].header("en") == "Population (res.)"


def test_every_text_key_used_in_the_code_exists() -> None:
    import importlib
    import pkgutil
    import re

    import kek_geo
    from tests.helpers import ROOT

    # importing every module registers its texts (views, notes, kiosk, exports …)
    for module in pkgutil.walk_packages(kek_geo.__path__, "kek_geo."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    used = set()
    files = [*ROOT.joinpath("kek_geo").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py"),
             ROOT / "app.py"]  # fmt: skip
    for path in files:
        used |= set(re.findall(r"\bt\(\s*\"([a-z_]+\.[a-z0-9_.]+)\"", path.read_text("utf-8")))
    missing = sorted(key for key in used if key not in TEXTS)
    assert missing == []
    assert len(used) > 250  # the pattern finds the keys at all
