"""Broadband availability: shares by release, segment, technology and bandwidth.

Everything works on the tidy table of :func:`broadband_table` (the snapshot plus releases
imported later with :func:`import_release`). Households per municipality are not published
with the shares: they are estimated as Zensus 2022 population / average household size.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from kek_geo.analysis.base import LayerSource, with_kreis
from kek_geo.district import district_key
from kek_geo.errors import DataSourceError
from kek_geo.snapshot import read_layer

#: Release keys as written by the pipeline (``YYYY-06`` = mid-year, ``YYYY-12`` = end of year).
RELEASE_LABELS_DE = {"06": "Mitte", "12": "Ende"}
RELEASE_LABELS_EN = {"06": "mid", "12": "end"}

#: Segments of the Breitbandatlas: households, businesses, commercial areas (Gewerbegebiete).
SEGMENTS = ("households", "businesses", "commercial_areas")

#: Gap classes (key, bandwidth in Mbit/s): a household is in the class when less than the
#: bandwidth is available. The classes nest: every white spot is also grey and not gigabit.
GAP_CLASSES: tuple[tuple[str, int], ...] = (("white", 30), ("grey", 100), ("not_gigabit", 1000))

#: Technologies offered for the time series, in display order ("all" or "wired" first).
CHART_TECHNOLOGIES = ("all", "wired", "ftth_b", "catv", "dsl")

#: Technologies and bandwidths of the technology breakdown (FTTH/B, cable, DSL).
BREAKDOWN_TECHNOLOGIES = ("ftth_b", "catv", "dsl")
BREAKDOWN_MBIT = (30, 100, 1000)

#: Column types of the tidy table (as in the snapshot layer).
TIDY_TYPES = {
    "release": "string",
    "ags": "string",
    "segment": "string",
    "technology": "string",
    "threshold_mbit": "int64",
    "share_pct": "float64",
}

#: Folder of imported releases inside the imports folder.
IMPORT_FOLDER = "broadband"

_RELEASE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


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
    if release.count("-") != 1:  # no release (no broadband data): a dash
        return "–"
    year, month = release.split("-")
    labels = RELEASE_LABELS_EN if lang == "en" else RELEASE_LABELS_DE
    return f"{labels.get(month, month)} {year}"


def release_end(release: str) -> pd.Timestamp:
    """Last day of the month of a release (its data date), e.g. ``2021-06`` → 2021-06-30.

    Parameters
    ----------
    release
        Release key ``YYYY-MM``.

    Returns
    -------
    pandas.Timestamp
        The date.
    """
    return pd.Period(release, freq="M").to_timestamp(how="end").normalize()


def _pair_keys(df: pd.DataFrame) -> pd.Series:
    return df["segment"].astype(str) + "|" + df["release"].astype(str)


def broadband_table(source: LayerSource) -> pd.DataFrame:
    """The snapshot's broadband table plus any releases imported later.

    An imported release replaces the snapshot's rows of the same segment and release
    (possible only with ``--replace``).

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
    replaced = _pair_keys(table).isin(set(_pair_keys(imported)))
    return pd.concat([table[~replaced], imported[table.columns]], ignore_index=True)


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


def best_technology(table: pd.DataFrame, segment: str, release: str) -> str:
    """The "all technologies" measure of a segment and release.

    The municipal files for businesses and commercial areas only give wired technologies;
    households have all technologies.

    Parameters
    ----------
    table
        Tidy broadband table.
    segment
        Segment key.
    release
        Release key.

    Returns
    -------
    str
        ``"all"`` where published, else ``"wired"``.
    """
    rows = table[
        (table["segment"] == segment)
        & (table["release"] == release)
        & (table["technology"] == "all")
        & table["share_pct"].notna()
    ]
    return "all" if len(rows) else "wired"


def estimated_households(gemeinden: pd.DataFrame) -> pd.Series:
    """Households per municipality, estimated as population / average household size.

    Parameters
    ----------
    gemeinden
        Municipalities with ``ags``, ``population`` and ``household_size`` (Zensus 2022).

    Returns
    -------
    pandas.Series
        Estimated households by AGS, sorted; missing where the household size is missing.
    """
    gem = gemeinden.set_index(gemeinden["ags"].astype(str)).sort_index()
    size = gem["household_size"].astype("float64")
    return gem["population"].astype("float64") / size.where(size > 0)


def weighted_share(shares: pd.Series, weights: pd.Series) -> float:
    """Share of the total, from shares and weights (e.g. households) per municipality.

    Parameters
    ----------
    shares
        Shares in % by AGS.
    weights
        Weights by AGS (same index).

    Returns
    -------
    float
        ``sum(share × weight) / sum(weight)``; missing if any input is missing.
    """
    share = shares.astype("float64")
    weight = weights.reindex(share.index).astype("float64")
    if share.isna().any() or weight.isna().any() or weight.sum() <= 0:
        return float("nan")
    return float((share * weight).sum() / weight.sum())


def share_series(
    table: pd.DataFrame,
    households: pd.Series,
    *,
    release: str,
    segment: str,
    technology: str,
    threshold_mbit: int,
) -> pd.Series:
    """Shares per municipality plus the district value.

    The district value is the published one. An imported release has no district row: for
    households it is then computed from the totals (shares weighted by estimated households);
    for businesses and commercial areas there are no weights and it stays missing.

    Parameters
    ----------
    table
        Tidy broadband table.
    households
        Estimated households by AGS (its index gives the municipalities).
    release, segment, technology, threshold_mbit
        Which values to take.

    Returns
    -------
    pandas.Series
        Share in % by AGS, municipalities then the district.
    """
    values = availability(
        table,
        release=release,
        segment=segment,
        technology=technology,
        threshold_mbit=threshold_mbit,
    )
    municipal = values.reindex(households.index)
    kreis = float(values.get(district_key(households.index), np.nan))
    if np.isnan(kreis) and segment == "households":
        kreis = weighted_share(municipal, households)
    return with_kreis(municipal, kreis)


def households_below(
    table: pd.DataFrame, households: pd.Series, *, release: str, threshold_mbit: int
) -> pd.Series:
    """Estimated households with less than ``threshold_mbit`` available (all technologies).

    Parameters
    ----------
    table
        Tidy broadband table.
    households
        Estimated households by AGS.
    release
        Release key.
    threshold_mbit
        Bandwidth class.

    Returns
    -------
    pandas.Series
        ``(100 − share ≥ threshold) / 100 × households`` by AGS; the district value is the sum
        of the municipalities (missing if one is missing).
    """
    technology = best_technology(table, "households", release)
    shares = availability(
        table,
        release=release,
        segment="households",
        technology=technology,
        threshold_mbit=threshold_mbit,
    ).reindex(households.index)
    affected = (100.0 - shares) / 100.0 * households.astype("float64")
    kreis = float(affected.sum()) if affected.notna().all() else float("nan")
    return with_kreis(affected, kreis)


def gap_table(table: pd.DataFrame, households: pd.Series, release: str) -> pd.DataFrame:
    """Households below each gap class (white, grey, not gigabit) per municipality.

    Parameters
    ----------
    table
        Tidy broadband table.
    households
        Estimated households by AGS.
    release
        Households release to use.

    Returns
    -------
    pandas.DataFrame
        Index AGS (municipalities, then the district); columns ``households`` and, per class,
        ``<class>_share`` (% below the bandwidth: 100 − published share) and
        ``<class>_households`` (estimated households; the district is the sum).
    """
    index = pd.Index([*households.index.astype(str), district_key(households.index)], name="ags")
    out = pd.DataFrame(index=index)
    out["households"] = with_kreis(households, float(households.sum(min_count=1)))
    technology = best_technology(table, "households", release)
    for key, mbit in GAP_CLASSES:
        shares = share_series(
            table,
            households,
            release=release,
            segment="households",
            technology=technology,
            threshold_mbit=mbit,
        )
        out[f"{key}_share"] = 100.0 - shares
        out[f"{key}_households"] = households_below(
            table, households, release=release, threshold_mbit=mbit
        )
    return out


def release_series(
    table: pd.DataFrame,
    households: pd.Series,
    *,
    segment: str,
    technology: str,
    threshold_mbit: int,
) -> pd.DataFrame:
    """Shares over all releases of a segment, one column per area.

    Parameters
    ----------
    table
        Tidy broadband table.
    households
        Estimated households by AGS (municipalities; weights for imported district values).
    segment, technology, threshold_mbit
        Which values to take.

    Returns
    -------
    pandas.DataFrame
        Index release keys (sorted), columns AGS (municipalities, then the district); only
        releases with at least one value.
    """
    releases = sorted(set(table.loc[table["segment"] == segment, "release"].astype(str)))
    rows = {
        rel: share_series(
            table,
            households,
            release=rel,
            segment=segment,
            technology=technology,
            threshold_mbit=threshold_mbit,
        )
        for rel in releases
    }
    columns = [*households.index, district_key(households.index)]
    frame = pd.DataFrame(rows).T if rows else pd.DataFrame(columns=columns)
    frame.index.name = "release"
    return frame.dropna(how="all").astype("float64")


def technology_breakdown(
    table: pd.DataFrame, households: pd.Series, *, segment: str, release: str
) -> pd.DataFrame:
    """Shares by technology (FTTH/B, cable, DSL) and bandwidth for one release.

    Parameters
    ----------
    table
        Tidy broadband table.
    households
        Estimated households by AGS.
    segment
        Segment key.
    release
        Release key.

    Returns
    -------
    pandas.DataFrame
        Index AGS (municipalities, then the district); columns ``(technology, mbit)`` for the
        combinations the release publishes, in :data:`BREAKDOWN_TECHNOLOGIES` order.
    """
    columns: dict[tuple[str, int], pd.Series] = {}
    for technology in BREAKDOWN_TECHNOLOGIES:
        for mbit in BREAKDOWN_MBIT:
            values = share_series(
                table,
                households,
                release=release,
                segment=segment,
                technology=technology,
                threshold_mbit=mbit,
            )
            if values.notna().any():
                columns[(technology, mbit)] = values
    index = pd.Index([*households.index.astype(str), district_key(households.index)], name="ags")
    return pd.DataFrame(columns, index=index)


def technology_options(table: pd.DataFrame, segment: str) -> list[str]:
    """Technologies of :data:`CHART_TECHNOLOGIES` with values for a segment.

    Parameters
    ----------
    table
        Tidy broadband table.
    segment
        Segment key.

    Returns
    -------
    list of str
        Technology codes in display order.
    """
    rows = table[(table["segment"] == segment) & table["share_pct"].notna()]
    have = set(rows["technology"].astype(str))
    return [tech for tech in CHART_TECHNOLOGIES if tech in have]


def bandwidth_options(table: pd.DataFrame, segment: str, technology: str) -> list[int]:
    """Bandwidth classes (Mbit/s) with values for a segment and technology.

    Parameters
    ----------
    table
        Tidy broadband table.
    segment
        Segment key.
    technology
        Technology code.

    Returns
    -------
    list of int
        Bandwidths, ascending.
    """
    rows = table[
        (table["segment"] == segment)
        & (table["technology"] == technology)
        & table["share_pct"].notna()
    ]
    return sorted({int(v) for v in rows["threshold_mbit"]})


def mobile_table(mobile: pd.DataFrame) -> pd.DataFrame:
    """District mobile coverage of the newest release: land use × technology.

    Parameters
    ----------
    mobile
        The ``mobile_coverage`` layer.

    Returns
    -------
    pandas.DataFrame
        Index ``(land_use_group, land_use)``, one column per technology code, share in %.
    """
    if mobile.empty:
        return pd.DataFrame()
    newest = mobile[mobile["release"] == mobile["release"].max()]
    wide = newest.pivot_table(
        index=["land_use_group", "land_use"],
        columns="technology",
        values="share_pct",
        aggfunc="first",
    )
    wide.columns = [str(c) for c in wide.columns]
    return wide[sorted(wide.columns, key=_natural_key)].sort_index()


def _natural_key(text: str) -> tuple[str, int, str]:
    """Sort ``LTE2`` before ``LTE10``: letters, then the number, then the rest."""
    match = re.match(r"^(\D*)(\d*)(.*)$", text)
    assert match is not None  # the pattern matches every string
    head, number, tail = match.groups()
    return head, int(number) if number else -1, tail


# ---------------------------------------------------------------- imported releases


def load_imported_releases(imports_dir: Path) -> pd.DataFrame | None:
    """Broadband releases imported after the snapshot.

    Parameters
    ----------
    imports_dir
        The imports folder (releases live in its ``broadband/`` sub-folder).

    Returns
    -------
    pandas.DataFrame or None
        Tidy rows of every imported file (empty if none), or ``None`` if the folder is absent.
    """
    folder = imports_dir / IMPORT_FOLDER
    if not folder.is_dir():
        return None
    parts = [_read_import(path) for path in sorted(folder.glob("*.parquet"))]
    if not parts:
        return pd.DataFrame({col: pd.Series(dtype=kind) for col, kind in TIDY_TYPES.items()})
    return pd.concat(parts, ignore_index=True)


def _read_import(path: Path) -> pd.DataFrame:
    try:
        df = pd.read_parquet(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise DataSourceError(path, f"not a readable Parquet file ({exc})") from exc
    missing = [col for col in TIDY_TYPES if col not in df.columns]
    if missing:
        raise DataSourceError(path, f"missing column(s) {', '.join(map(repr, missing))}")
    try:
        return df[list(TIDY_TYPES)].astype(TIDY_TYPES)
    except (ValueError, TypeError) as exc:
        raise DataSourceError(path, f"has values of the wrong type ({exc})") from exc


def import_target(imports_dir: Path, segment: str, release: str) -> Path:
    """File an imported release is stored in.

    Parameters
    ----------
    imports_dir
        The imports folder.
    segment, release
        Segment and release key.

    Returns
    -------
    pathlib.Path
        ``<imports_dir>/broadband/<segment>_<release>.parquet``.
    """
    return imports_dir / IMPORT_FOLDER / f"{segment}_{release}.parquet"


def _check_arguments(path: Path, release: str, segment: str) -> None:
    if not _RELEASE.match(release):
        raise DataSourceError(
            path, f"release {release!r} is not YYYY-MM with a month 01–12 (e.g. 2024-12)"
        )
    if segment not in SEGMENTS:
        raise DataSourceError(path, f"segment {segment!r} is not one of {', '.join(SEGMENTS)}")


def _existing_release(
    snapshot_table: pd.DataFrame, target: Path, segment: str, release: str
) -> str | None:
    """Where the release already exists (``"snapshot"``, ``"imports"``) or ``None``."""
    if target.is_file():
        return "imports"
    same = (snapshot_table["segment"] == segment) & (snapshot_table["release"] == release)
    return "snapshot" if bool(same.any()) else None


def _write_atomically(rows: pd.DataFrame, target: Path) -> None:
    """Write a Parquet file to a temporary name first, then rename it (nothing half-written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        rows.to_parquet(tmp, index=False)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def import_release(
    path: Path,
    *,
    release: str,
    segment: str,
    imports_dir: Path,
    geodata_dir: Path,
    replace: bool = False,
) -> str:
    """Import a newer release per municipality (Gigabit-Grundbuch export, Breitbandatlas shape).

    The file is validated against the municipalities of the snapshot (every AGS exactly once,
    shares 0–100 %, columns like ``alle Technologien ≥ 1000 Mbit/s``) and stored as
    ``<imports_dir>/broadband/<segment>_<release>.parquet``.

    Parameters
    ----------
    path
        CSV file in the shape of the Breitbandatlas municipal tables.
    release
        Release key ``YYYY-MM``.
    segment
        ``households``, ``businesses`` or ``commercial_areas``.
    imports_dir
        The imports folder.
    geodata_dir
        Snapshot folder (municipalities and existing releases).
    replace
        Replace a release that already exists in the snapshot or the imports.

    Returns
    -------
    str
        One-paragraph summary of what was imported.
    """
    # The pipeline package imports the whole build: load it only when importing.
    from kek_geo.pipeline.broadband import parse_municipal_file  # noqa: PLC0415

    _check_arguments(path, release, segment)
    target = import_target(imports_dir, segment, release)
    where = _existing_release(read_layer("broadband", geodata_dir), target, segment, release)
    if where is not None and not replace:
        raise DataSourceError(
            path,
            f"release {release} ({segment}) already exists in the {where}; "
            "use --replace to replace it",
        )
    known = set(read_layer("gemeinden", geodata_dir)["ags"].astype(str))
    rows = parse_municipal_file(path, segment, release, known).astype(TIDY_TYPES)
    if rows["share_pct"].isna().all():
        raise DataSourceError(path, "has no values (every share is empty)")
    _write_atomically(rows.reset_index(drop=True), target)
    return _summary(rows, target, release, segment, where)


def _summary(
    rows: pd.DataFrame, target: Path, release: str, segment: str, replaced: str | None
) -> str:
    classes = sorted({int(v) for v in rows["threshold_mbit"]})
    techs = ", ".join(dict.fromkeys(rows["technology"].astype(str)))
    text = (
        f"imported broadband release {release} ({release_name(release, 'en')}, {segment}): "
        f"{rows['ags'].nunique()} municipalities, {int(rows['share_pct'].notna().sum())} values, "
        f"technologies {techs}, bandwidths {', '.join(map(str, classes))} Mbit/s -> {target}"
    )
    if replaced:
        text += f" (replaces the release in the {replaced})"
    return text + ". Restart the app to show it."
