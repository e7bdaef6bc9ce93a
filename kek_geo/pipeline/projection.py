"""The official population projection per municipality (NRW: IT.NRW Gemeindemodellrechnung).

The statistical offices publish their projections as tables (for NRW in the Landesdatenbank,
as the Gemeindemodellrechnung); there is no stable download address, so a planner exports the
table by hand into ``<raw>/projection/`` as a CSV with one row per municipality and year:

    ags;year;population;people_65plus
    05758004;2021;45123;10034
    05758004;2040;43210;12876

``ags`` is the eight-digit key (a twelve-digit regional key is shortened), ``population`` and
``people_65plus`` are persons (``;`` or ``,`` separated, decimal comma allowed). Every
municipality of the district needs the same years. The folder's ``ATTRIBUTION.md`` or the
fetch catalogue's ``projection`` entry names the publisher, licence and credit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kek_geo.errors import DataSourceError
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.census import ags_from_regional_key
from kek_geo.pipeline.model import BuiltLayer
from kek_geo.pipeline.readers import read_csv
from kek_geo.sources import DL_DE_BY_2, DL_DE_BY_2_URL, Source

FOLDER = "projection"
SOURCE_KEY = "projection"
_COLUMNS = ("ags", "year", "population", "people_65plus")


def _numbers(values: pd.Series, path: Path, column: str) -> pd.Series:
    text = values.astype("string").str.strip()
    grouped = text.str.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?").fillna(False).astype(bool)
    text = text.where(~grouped, text.str.replace(".", "", regex=False))  # 45.123 → 45123
    text = text.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna()
    if bad.any():
        raise DataSourceError(path, f"column {column!r} has a missing or non-numeric value "
                                    f"{values[bad].iloc[0]!r}")  # fmt: skip
    return numbers.astype("float64")


def read_projection_file(path: Path, known: set[str]) -> pd.DataFrame:
    """One projection CSV, checked: known keys, whole years, counts ≥ 0, 65+ ≤ residents.

    Parameters
    ----------
    path
        The CSV.
    known
        The district's municipality keys.

    Returns
    -------
    pandas.DataFrame
        ``ags``, ``year`` (int), ``population``, ``people_65plus``.
    """
    df = read_csv(path, required=_COLUMNS, dtype=dict.fromkeys(_COLUMNS, "string"))
    out = pd.DataFrame({"ags": df["ags"].astype("string").str.strip().map(ags_from_regional_key)})
    out["ags"] = out["ags"].astype("string")
    unknown = sorted(set(out["ags"]) - known)
    if unknown:
        raise DataSourceError(path, f"AGS {unknown[0]} is not a municipality of the district")
    years = _numbers(df["year"], path, "year")
    if (years % 1 != 0).any():
        raise DataSourceError(path, "column 'year' must hold whole years")
    out["year"] = years.astype("int64")
    for column in ("population", "people_65plus"):
        out[column] = _numbers(df[column], path, column)
        if (out[column] < 0).any():
            raise DataSourceError(path, f"column {column!r} must not be negative")
    if (out["people_65plus"] > out["population"]).any():
        raise DataSourceError(path, "people_65plus exceeds population in a row")
    if out.duplicated(["ags", "year"]).any():
        row = out[out.duplicated(["ags", "year"])].iloc[0]
        raise DataSourceError(path, f"AGS {row['ags']} has year {row['year']} twice")
    return out


def read_projection(raw_dir: Path, bounds: Boundaries) -> tuple[pd.DataFrame, list[str]] | None:
    """Every projection CSV of the raw folder, or ``None`` without any.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipalities.

    Returns
    -------
    tuple or None
        The projection (sorted by key and year) and the files read.
    """
    folder = raw_dir / FOLDER
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not files:
        return None
    frames = [read_projection_file(path, bounds.ags_codes) for path in files]
    table = pd.concat(frames, ignore_index=True)
    if table.duplicated(["ags", "year"]).any():
        raise DataSourceError(folder, "two files give the same municipality and year")
    years = table.groupby("ags")["year"].apply(lambda y: tuple(sorted(y)))
    missing = sorted(bounds.ags_codes - set(table["ags"]))
    if missing:
        raise DataSourceError(folder, f"no projection for AGS {missing[0]}")
    if years.nunique() != 1:
        raise DataSourceError(folder, "the municipalities do not all have the same years")
    table = table.sort_values(["ags", "year"]).reset_index(drop=True)
    return table, [f"{FOLDER}/{path.name}" for path in files]


def projection_source(table: pd.DataFrame, catalog_entry: dict[str, str] | None) -> Source:
    """The source entry of the projection, dated by its years.

    Parameters
    ----------
    table
        The projection.
    catalog_entry
        Title, publisher, licence, credit and landing page from the fetch catalogue.

    Returns
    -------
    Source
        For the manifest.
    """
    entry = catalog_entry or {}
    first, last = int(table["year"].min()), int(table["year"].max())
    return Source(
        SOURCE_KEY,
        entry.get("title", "Bevölkerungsvorausberechnung je Gemeinde"),
        entry.get("publisher", "Statistisches Landesamt"),
        f"Basisjahr {first}, vorausberechnet bis {last}",
        entry.get("licence", DL_DE_BY_2),
        DL_DE_BY_2_URL,
        entry.get("attribution", "Statistisches Landesamt, Bevölkerungsvorausberechnung"),
        entry.get("landing", ""),
        note_de="Eine Vorausberechnung ist keine Prognose: sie rechnet die Annahmen zu "
        "Geburten, Sterbefällen und Wanderungen fort.",
        note_en="A projection is not a forecast: it carries forward assumptions on births, "
        "deaths and migration.",
    )


def projection_layer(table: pd.DataFrame, files: list[str]) -> BuiltLayer:
    """The ``projection`` layer from the table read."""
    return BuiltLayer(
        "projection",
        table,
        (SOURCE_KEY,),
        tuple(files),
        "Amtliche Bevölkerungsvorausberechnung je Gemeinde, wie vom Statistischen Landesamt "
        "veröffentlicht (in NRW die Gemeindemodellrechnung von IT.NRW): Einwohner und Menschen "
        "ab 65 je Jahr, Basisvariante.",
        "Official population projection per municipality as published by the state statistical "
        "office (in NRW the IT.NRW Gemeindemodellrechnung): residents and people 65+ per year, "
        "main variant.",
    )
