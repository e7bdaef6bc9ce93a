"""District, municipality and neighbour boundaries from VG250."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.errors import DataSourceError
from kek_geo.pipeline.readers import read_geojson
from kek_geo.settings import ANALYSIS_CRS

#: Files ``kek-geo fetch`` writes for a district (``{ags}``: its five-digit key).
KREIS_PATTERN = "bkg-vg250/vg250_kreis_{ags}.geojson"
GEMEINDEN_PATTERN = "bkg-vg250/vg250_gemeinden_{ags}.geojson"
NEIGHBOURS_PATTERN = "bkg-vg250/vg250_gemeinden_umland_{ags}.geojson"
#: The same files as the shipped data pack names them (Kreis Herford).
KREIS_FILE = "bkg-vg250/vg250_kreis_herford.geojson"
GEMEINDEN_FILE = "bkg-vg250/vg250_gemeinden_kreis_herford.geojson"
NEIGHBOURS_FILE = "bkg-vg250/vg250_gemeinden_umland15km.geojson"
_VG250_COLUMNS = ("AGS", "GEN", "BEZ")


def boundary_files(raw_dir: Path, kreis_ags: str) -> tuple[str, str, str]:
    """The district, municipality and neighbour files of a raw folder (relative paths).

    The names ``kek-geo fetch`` writes come first; the data pack's own names are the fallback.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    kreis_ags
        Five-digit key of the district.

    Returns
    -------
    tuple of str
        District, municipalities, neighbours.
    """
    fetched = tuple(p.format(ags=kreis_ags) for p in (KREIS_PATTERN, GEMEINDEN_PATTERN,
                                                      NEIGHBOURS_PATTERN))  # fmt: skip
    if (raw_dir / fetched[0]).is_file():
        return fetched  # type: ignore[return-value]
    return KREIS_FILE, GEMEINDEN_FILE, NEIGHBOURS_FILE


def district_name(kreis: gpd.GeoDataFrame) -> str:
    """The district's name as people say it: ``Kreis Herford``, ``Hochsauerlandkreis``.

    Parameters
    ----------
    kreis
        The district row with ``name`` (VG250 GEN) and ``kind`` (VG250 BEZ).

    Returns
    -------
    str
        ``<BEZ> <GEN>``, or GEN alone when it already says what it is.
    """
    name = str(kreis["name"].iloc[0])
    kind = str(kreis["kind"].iloc[0])
    if any(word in name.casefold() for word in ("kreis", "region")) or not kind:
        return name
    return f"{kind} {name}"


@dataclass(frozen=True)
class Boundaries:
    """District outline, its municipalities and the neighbours, all in EPSG:25832."""

    kreis: gpd.GeoDataFrame
    gemeinden: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    files: tuple[str, str, str] = (KREIS_FILE, GEMEINDEN_FILE, NEIGHBOURS_FILE)

    @property
    def kreis_polygon(self) -> object:
        """The district polygon (shapely geometry)."""
        return self.kreis.geometry.iloc[0]

    @property
    def ags_codes(self) -> set[str]:
        """AGS of the district's municipalities."""
        return set(self.gemeinden["ags"])


def _tidy(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(
        {
            "ags": gdf["AGS"].astype("string"),
            "name": gdf["GEN"].astype("string"),
            "kind": gdf["BEZ"].astype("string"),
        },
        geometry=gdf.geometry.make_valid(),
        crs=gdf.crs,
    ).to_crs(ANALYSIS_CRS)
    return out.sort_values("ags").reset_index(drop=True)


def read_boundaries(raw_dir: Path, kreis_ags: str) -> Boundaries:
    """Read the district and municipality polygons and check their keys.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    kreis_ags
        Five-digit key of the district, e.g. ``"05758"``.

    Returns
    -------
    Boundaries
        The three boundary layers in EPSG:25832.
    """
    kreis_file, gemeinden_file, neighbours_file = boundary_files(raw_dir, kreis_ags)
    kreis_path = raw_dir / kreis_file
    kreis = _tidy(read_geojson(kreis_path, required=_VG250_COLUMNS))
    if list(kreis["ags"]) != [kreis_ags]:
        raise DataSourceError(
            kreis_path,
            f"expected exactly one district with AGS {kreis_ags}, found {list(kreis['ags'])}",
        )
    gem_path = raw_dir / gemeinden_file
    gemeinden = _tidy(read_geojson(gem_path, required=_VG250_COLUMNS))
    foreign = [a for a in gemeinden["ags"] if not str(a).startswith(kreis_ags)]
    if foreign:
        raise DataSourceError(gem_path, f"AGS {foreign[0]} is outside district {kreis_ags}")
    if gemeinden["ags"].duplicated().any():
        dup = gemeinden.loc[gemeinden["ags"].duplicated(), "ags"].iloc[0]
        raise DataSourceError(gem_path, f"AGS {dup} appears twice")
    nb_path = raw_dir / neighbours_file
    neighbours = _tidy(read_geojson(nb_path, required=_VG250_COLUMNS))
    neighbours = neighbours[~neighbours["ags"].str.startswith(kreis_ags)].reset_index(drop=True)
    return Boundaries(
        kreis=kreis,
        gemeinden=gemeinden,
        neighbours=neighbours,
        files=(kreis_file, gemeinden_file, neighbours_file),
    )


def kind_label(bez: pd.Series) -> pd.Series:
    """Map VG250 ``BEZ`` values to ``Stadt`` or ``Gemeinde``.

    Parameters
    ----------
    bez
        VG250 designation, e.g. ``"Stadt"``, ``"Gemeinde"``.

    Returns
    -------
    pandas.Series
        ``"Stadt"`` for towns, ``"Gemeinde"`` otherwise.
    """
    town = bez.str.contains("Stadt", na=False).to_numpy(dtype=bool)
    return pd.Series(np.where(town, "Stadt", "Gemeinde"), index=bez.index, dtype="string")
