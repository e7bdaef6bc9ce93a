"""Broadband availability: shares by release, segment, technology and bandwidth."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kek_geo.analysis.base import LayerSource

#: Release keys as written by the pipeline (``YYYY-06`` = mid-year, ``YYYY-12`` = end of year).
RELEASE_LABELS_DE = {"06": "Mitte", "12": "Ende"}
RELEASE_LABELS_EN = {"06": "mid", "12": "end"}


def release_name(release: str, lang: str = "de") -> str:
    """Readable name of a release key, e.g. ``2021-06`` → ``Mitte 2021``.

    Parameters
    ----------
    release
        Release key.
    lang
        ``"de"`` or ``"en"``.

    Returns
    -------
    str
        The name.
    """
    year, month = release.split("-")
    labels = RELEASE_LABELS_EN if lang == "en" else RELEASE_LABELS_DE
    return f"{labels.get(month, month)} {year}"


def broadband_table(source: LayerSource) -> pd.DataFrame:
    """The snapshot's broadband table plus any releases imported later.

    Parameters
    ----------
    source
        Snapshot (its ``broadband_releases`` extra holds imported releases).

    Returns
    -------
    pandas.DataFrame
        Tidy table (``release, ags, segment, technology, threshold_mbit, share_pct``).
    """
    table = source.layer("broadband")
    imported = source.extra("broadband_releases")
    if imported is None or len(imported) == 0:
        return table
    return pd.concat([table, imported[table.columns]], ignore_index=True)


def latest_release(table: pd.DataFrame, segment: str = "households") -> str:
    """Newest release that has values for a segment.

    Parameters
    ----------
    table
        Tidy broadband table.
    segment
        Segment key.

    Returns
    -------
    str
        Release key.
    """
    rows = table[(table["segment"] == segment) & table["share_pct"].notna()]
    return str(rows["release"].max())


def availability(
    table: pd.DataFrame,
    *,
    release: str,
    segment: str = "households",
    technology: str = "all",
    threshold_mbit: int = 1000,
) -> pd.Series:
    """Share in % with at least ``threshold_mbit`` for every area in one release.

    Parameters
    ----------
    table
        Tidy broadband table (``release, ags, segment, technology, threshold_mbit, share_pct``).
    release, segment, technology, threshold_mbit
        Which values to take.

    Returns
    -------
    pandas.Series
        Share in % indexed by AGS (municipalities and district); missing where not published.
    """
    mask = (
        (table["release"] == release)
        & (table["segment"] == segment)
        & (table["technology"] == technology)
        & (table["threshold_mbit"] == threshold_mbit)
    )
    rows = table.loc[mask, ["ags", "share_pct"]]
    return rows.set_index(rows["ags"].astype(str))["share_pct"].astype("float64")


def load_imported_releases(imports_dir: Path) -> pd.DataFrame | None:
    """Broadband releases imported after the snapshot, or ``None`` (to be implemented)."""
    if not (imports_dir / "broadband").is_dir():
        return None
    raise NotImplementedError


def import_release(
    path: Path,
    *,
    release: str,
    segment: str,
    imports_dir: Path,
    geodata_dir: Path,
    replace: bool = False,
) -> str:
    """Import a newer release per municipality (to be implemented)."""
    raise NotImplementedError(f"{path} {release} {segment} {imports_dir} {geodata_dir} {replace}")
