"""Broadband availability (Breitbandatlas) as one tidy long table.

The source comes as one CSV per release, segment and level, with three different header
styles. Every file becomes rows of ``release, ags, segment, technology, threshold_mbit,
share_pct``; an empty cell stays missing, never 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kek_geo.errors import DataSourceError
from kek_geo.pipeline.census import ags_from_regional_key, check_ags
from kek_geo.pipeline.readers import numeric, read_csv

FOLDER = "breitbandatlas"

SEGMENTS = {"privat": "households", "gew": "businesses", "gewerbe_gwg": "commercial_areas"}
"""File-name segment → our segment: households, businesses, commercial areas (Gewerbegebiete)."""

TECHNOLOGY_LABELS = {
    "alle Technologien": "all",
    "leitungsg. Technologien": "wired",
    "mobile Technologien": "wireless",
    "DSL": "dsl",
    "CATV": "catv",
    "FTTH/B": "ftth_b",
}
"""Header prefix of the municipal files → technology code."""

TECHNOLOGY_CODES = {
    "300": "all",
    "100": "wired",
    "200": "wireless",
    "dsl": "dsl",
    "catv": "catv",
    "ftth": "ftth_b",
    "plc": "plc",
    "lte": "lte",
    "umts": "umts",
    "2g": "2g",
    "5g": "5g",
    "wimax": "wimax",
    "wlan": "wlan",
}
"""Column code of the district files (``verf_<code>_<mbit>``) → technology code."""

_MUNICIPAL_NAME = re.compile(
    r"^gemeinde(?:_bezirke)?_(privat|gew|gewerbe_gwg)_(\d{4})_(ende|mitte)_kreis_\w+\.csv$"
)
_DISTRICT_NAME = re.compile(r"^landkreis_(privat|gew|gewerbe_gwg)_(\d{4})_([12])_kreis_\w+\.csv$")
_MOBILE_NAME = re.compile(r"^landkreis_mobilfunk_stats_(\d{4})_([12])_kreis_\w+\.csv$")
_MUNICIPAL_HEADER = re.compile(r"^(.+?)\s*≥\s*(\d+)\s*Mbit/s$")
_DISTRICT_HEADER = re.compile(r"^verf_([a-z0-9]+)_(\d+)$")

TIDY_COLUMNS = ["release", "ags", "segment", "technology", "threshold_mbit", "share_pct"]


def release_label(year: str, half: str) -> str:
    """Release key ``YYYY-06`` (mid-year) or ``YYYY-12`` (end of year).

    Parameters
    ----------
    year
        Four-digit year.
    half
        ``mitte``/``1`` for mid-year, ``ende``/``2`` for end of year.

    Returns
    -------
    str
        The release key.
    """
    return f"{year}-06" if half in {"mitte", "1"} else f"{year}-12"


def _melt(df: pd.DataFrame, columns: dict[str, tuple[str, int]], path: Path) -> pd.DataFrame:
    """Long rows from wide value columns {column: (technology, threshold)}."""
    values = df[list(columns)].copy()
    for col in columns:
        if not pd.api.types.is_numeric_dtype(values[col]):
            values[col] = values[col].astype("string").str.replace(",", ".", regex=False)
    numeric(values, list(columns), path)
    bad = (values < 0) | (values > 100)
    if bad.any().any():
        col = bad.any()[bad.any()].index[0]
        raise DataSourceError(path, f"column {col!r} has a share outside 0–100 %")
    values["ags"] = df["ags"].to_numpy()
    long = values.melt(id_vars="ags", var_name="column", value_name="share_pct")
    long["technology"] = long["column"].map(lambda c: columns[c][0])
    long["threshold_mbit"] = long["column"].map(lambda c: columns[c][1]).astype("int64")
    return long.drop(columns="column")


def parse_municipal_file(path: Path, segment: str, release: str, known: set[str]) -> pd.DataFrame:
    """Parse one municipal file (header ``alle Technologien ≥ 30 Mbit/s`` …).

    This is also the importer for a newer Gigabit-Grundbuch export of the same shape.

    Parameters
    ----------
    path
        The CSV file.
    segment
        ``households``, ``businesses`` or ``commercial_areas``.
    release
        Release key, e.g. ``2021-06``.
    known
        AGS of the district's municipalities; every one must appear exactly once.

    Returns
    -------
    pandas.DataFrame
        Tidy rows (:data:`TIDY_COLUMNS`).
    """
    df = read_csv(path, dtype={"AGS": "string", "ags": "string"})
    df = df.rename(columns={"ags": "AGS"})
    if "AGS" not in df.columns:
        raise DataSourceError(path, "missing column 'AGS'")
    df["ags"] = df["AGS"].astype("string").map(ags_from_regional_key).astype("string")
    check_ags(df["ags"], known, path)
    columns: dict[str, tuple[str, int]] = {}
    for col in df.columns:
        match = _MUNICIPAL_HEADER.match(col)
        if match and match.group(1) in TECHNOLOGY_LABELS:
            columns[col] = (TECHNOLOGY_LABELS[match.group(1)], int(match.group(2)))
    if not columns:
        raise DataSourceError(path, "no columns like 'alle Technologien ≥ 30 Mbit/s' found")
    long = _melt(df, columns, path)
    return long.assign(release=release, segment=segment)[TIDY_COLUMNS]


def parse_district_file(path: Path, segment: str, release: str, kreis_ags: str) -> pd.DataFrame:
    """Parse one district file (header ``verf_300_30`` …).

    Parameters
    ----------
    path
        The CSV file.
    segment
        ``households``, ``businesses`` or ``commercial_areas``.
    release
        Release key.
    kreis_ags
        Five-digit district key the single row must carry.

    Returns
    -------
    pandas.DataFrame
        Tidy rows (:data:`TIDY_COLUMNS`).
    """
    df = read_csv(path, required=("ags",), dtype={"ags": "string"})
    if list(df["ags"].str.strip()) != [kreis_ags]:
        raise DataSourceError(path, f"expected one row for district {kreis_ags}")
    columns: dict[str, tuple[str, int]] = {}
    for col in df.columns:
        match = _DISTRICT_HEADER.match(col)
        if match and match.group(1) in TECHNOLOGY_CODES:
            columns[col] = (TECHNOLOGY_CODES[match.group(1)], int(match.group(2)))
    if not columns:
        raise DataSourceError(path, "no columns like 'verf_300_30' found")
    df["ags"] = kreis_ags
    long = _melt(df, columns, path)
    return long.assign(release=release, segment=segment)[TIDY_COLUMNS]


@dataclass(frozen=True)
class BroadbandResult:
    """Outputs of :func:`build_broadband`."""

    table: pd.DataFrame
    mobile: pd.DataFrame
    files: tuple[str, ...]
    skipped: tuple[str, ...]


def build_broadband(raw_dir: Path, known: set[str], kreis_ags: str) -> BroadbandResult:
    """Read every Breitbandatlas file of the raw folder into one tidy table.

    District rows are kept only for releases that also exist for the municipalities, so that
    every chart compares like with like.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    known
        AGS of the district's municipalities.
    kreis_ags
        Five-digit district key.

    Returns
    -------
    BroadbandResult
        Tidy availability table, mobile coverage table, files used and files skipped.
    """
    folder = raw_dir / FOLDER
    if not folder.is_dir():
        raise DataSourceError(folder, "folder not found")
    parts: list[pd.DataFrame] = []
    district: list[pd.DataFrame] = []
    mobile: list[pd.DataFrame] = []
    used: list[str] = []
    skipped: list[str] = []
    for path in sorted(folder.glob("*.csv")):
        rel = f"{FOLDER}/{path.name}"
        if m := _MUNICIPAL_NAME.match(path.name):
            if _is_firm_count_file(path):
                skipped.append(rel)
                continue
            release = release_label(m.group(2), m.group(3))
            parts.append(parse_municipal_file(path, SEGMENTS[m.group(1)], release, known))
        elif m := _DISTRICT_NAME.match(path.name):
            release = release_label(m.group(2), m.group(3))
            district.append(parse_district_file(path, SEGMENTS[m.group(1)], release, kreis_ags))
        elif m := _MOBILE_NAME.match(path.name):
            mobile.append(_parse_mobile(path, release_label(m.group(1), m.group(2)), kreis_ags))
        else:
            skipped.append(rel)
            continue
        used.append(rel)
    if not parts:
        raise DataSourceError(folder, "no municipal broadband files (gemeinde_*_kreis_*.csv)")
    municipal = pd.concat(parts, ignore_index=True)
    have = set(zip(municipal["segment"], municipal["release"], strict=True))
    kreis = pd.concat(district, ignore_index=True) if district else municipal.iloc[0:0]
    dropped = {
        f"{s} {r}"
        for s, r in zip(kreis["segment"], kreis["release"], strict=True)
        if (s, r) not in have
    }
    kreis = kreis[[(s, r) in have for s, r in zip(kreis["segment"], kreis["release"], strict=True)]]
    table = pd.concat([municipal, kreis], ignore_index=True)
    table = table.sort_values(["segment", "release", "ags", "technology", "threshold_mbit"])
    table = table.reset_index(drop=True).astype(
        {"release": "string", "ags": "string", "segment": "string", "technology": "string"}
    )
    _check_unique(table, folder)
    mobile_table = (
        pd.concat(mobile, ignore_index=True) if mobile else pd.DataFrame(columns=_MOBILE_COLUMNS)
    )
    skipped.extend(sorted(f"district release without municipal data: {d}" for d in dropped))
    return BroadbandResult(table, mobile_table, tuple(used), tuple(skipped))


def _is_firm_count_file(path: Path) -> bool:
    """The mid-2019 commercial-area file counts connected firms instead of shares."""
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return "firmen_" in header


def _check_unique(table: pd.DataFrame, folder: Path) -> None:
    key = ["release", "ags", "segment", "technology", "threshold_mbit"]
    dup = table.duplicated(key)
    if dup.any():
        row = table.loc[dup, key].iloc[0].to_dict()
        raise DataSourceError(folder, f"two files give a value for the same key {row}")


_MOBILE_COLUMNS = ["release", "ags", "technology", "land_use", "land_use_group", "share_pct"]


def _parse_mobile(path: Path, release: str, kreis_ags: str) -> pd.DataFrame:
    required = ("AGS", "Technologie", "Flaechenart", "Flaechen Gruppe Name", "Verfügbarkeit")
    df = read_csv(path, required=required, dtype={"AGS": "string"})
    if set(df["AGS"].str.strip()) != {kreis_ags}:
        raise DataSourceError(path, f"expected rows for district {kreis_ags} only")
    numeric(df, ["Verfügbarkeit"], path)
    out = pd.DataFrame(
        {
            "release": release,
            "ags": kreis_ags,
            "technology": df["Technologie"].astype("string"),
            "land_use": df["Flaechenart"].astype("string"),
            "land_use_group": df["Flaechen Gruppe Name"].astype("string"),
            "share_pct": df["Verfügbarkeit"],
        }
    ).drop_duplicates()
    out = out.astype({"release": "string", "ags": "string"})
    return out.sort_values(["technology", "land_use"]).reset_index(drop=True)
