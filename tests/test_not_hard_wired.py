"""The app is not hard-wired to Kreis Herford: its name and key appear nowhere in the app's code.

The district comes from the snapshot (:mod:`kek_geo.district`). The pipeline and the download
(``kek_geo/pipeline``, ``kek_geo/fetch``) build a snapshot for a chosen district and are not
scanned; everything else, with the pages and ``app.py``, is.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import ROOT

LITERALS = re.compile(r"Herford|05758")
NOT_SCANNED = ("kek_geo/pipeline/", "kek_geo/fetch/")

#: (file, text of the line) → why the literal may stay there.
ALLOWED = {
    ("kek_geo/settings.py", 'KREIS_AGS = "05758"'): "default district of kek-geo build-data",
}


def app_sources() -> list[Path]:
    files = [*ROOT.joinpath("kek_geo").rglob("*"), *ROOT.joinpath("pages").rglob("*"),
             ROOT / "app.py"]  # fmt: skip
    return sorted(
        path
        for path in files
        if path.is_file()
        and "__pycache__" not in path.parts
        and not path.relative_to(ROOT).as_posix().startswith(NOT_SCANNED)
    )


def test_no_district_literals_in_the_app() -> None:
    found = []
    for path in app_sources():
        name = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if LITERALS.search(line) and (name, line.strip()) not in ALLOWED:
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_the_allow_list_is_still_needed() -> None:
    lines = {
        (path.relative_to(ROOT).as_posix(), line.strip())
        for path in app_sources()
        for line in path.read_text("utf-8").splitlines()
    }
    assert set(ALLOWED) <= lines
    assert len(app_sources()) > 100  # the scan sees the app at all
