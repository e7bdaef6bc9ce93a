"""Official downloads: the catalogue, and how each kind is cut to the district.

The catalogue (``catalog.toml`` beside this module) lists every official source with its
address, landing page, licence and credit. A download is cut to the district here:

- ``vg250``: the BKG boundaries of Germany → the district, its municipalities and every
  municipality within 15 km around it, as GeoJSON in the shape of the shipped raw data;
- ``zensus-grid``: a Zensus 2022 grid archive (all of Germany) → its 100 m table, only the
  cells within the district's box plus 2 km (read in chunks: the full table has millions of
  rows);
- ``file``: kept as downloaded;
- ``manual``: no stable address; the fetch says where to get it.
"""

from __future__ import annotations

import os
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from kek_geo.errors import KekGeoError
from kek_geo.settings import ANALYSIS_CRS, DISPLAY_CRS, GRID_CRS

#: The catalogue shipped with KEK Geo; ``KEK_FETCH_CATALOG`` may name another (e.g. a mirror).
CATALOG = Path(__file__).with_name("catalog.toml")
#: Municipalities within this distance of the district are its neighbours (m).
NEIGHBOUR_M = 15_000.0
#: Grid cells within this distance of the district's box are kept (m).
GRID_MARGIN_M = 2_000.0


class DistrictNotFoundError(KekGeoError):
    """No district (Kreis) matches the key or name given."""


@dataclass(frozen=True)
class Download:
    """One official source of the catalogue (see ``catalog.toml``)."""

    key: str
    title: str
    publisher: str
    url: str
    landing: str
    licence: str
    attribution: str
    folder: str
    kind: str


def catalog(path: Path | None = None) -> dict[str, Download]:
    """The official sources, by key.

    Parameters
    ----------
    path
        The catalogue file (default: ``KEK_FETCH_CATALOG`` or the shipped one).

    Returns
    -------
    dict
        Key → download.
    """
    path = path or Path(os.environ.get("KEK_FETCH_CATALOG", "") or CATALOG)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KekGeoError(f"{path}: the download catalogue cannot be read ({exc})") from exc
    return {d["key"]: Download(**d) for d in data["download"]}


@dataclass(frozen=True)
class District:
    """A district found in VG250: key, name, outline and municipalities (EPSG:25832)."""

    ags: str
    name: str
    outline: gpd.GeoDataFrame
    gemeinden: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame

    @property
    def area(self) -> object:
        """The outline as one geometry."""
        return self.outline.geometry.union_all()


def _member(archive: Path, suffix: str) -> str:
    with zipfile.ZipFile(archive) as zf:
        names = [n for n in zf.namelist() if n.lower().endswith(suffix.lower())]
    if not names:
        raise KekGeoError(f"{archive}: no file ending in {suffix} in the archive")
    return names[0]


def _read_shape(archive: Path, suffix: str) -> gpd.GeoDataFrame:
    member = _member(archive, suffix)
    frame = pyogrio.read_dataframe(f"/vsizip/{archive}/{member}")
    if "GF" in frame.columns:  # VG250: 4 = land areas with structure (2 = water too)
        frame = frame[frame["GF"].astype(int) == 4]
    return frame


def find_district(archive: Path, wanted: str) -> District:
    """The district of a VG250 archive by its five-digit key or its name.

    Parameters
    ----------
    archive
        The VG250 archive (shapes or GeoPackage inside a ZIP).
    wanted
        ``"05758"`` or ``"Herford"`` (a name that is also a town picks the district).

    Returns
    -------
    District
        Outline, municipalities and neighbours.
    """
    kreise = _read_shape(archive, "VG250_KRS.shp")
    key = wanted.strip()
    if key.isdigit():
        match = kreise[kreise["AGS"].astype(str) == key.zfill(5)]
    else:
        match = kreise[kreise["GEN"].astype(str).str.casefold() == key.casefold()]
    if match.empty:
        raise DistrictNotFoundError(
            f"no district {wanted!r} in {archive.name}: give its five-digit key (e.g. 05758) "
            "or its name as VG250 writes it (e.g. Herford)"
        )
    if len(match) > 1:
        options = ", ".join(f"{r.AGS} {r.GEN} ({r.BEZ})" for r in match.itertuples())
        raise DistrictNotFoundError(f"{wanted!r} names several districts: {options}")
    outline = match.to_crs(ANALYSIS_CRS)
    ags = str(outline["AGS"].iloc[0])
    gem = _read_shape(archive, "VG250_GEM.shp").to_crs(ANALYSIS_CRS)
    inside = gem[gem["AGS"].astype(str).str.startswith(ags)]
    near = gem[gem.distance(outline.geometry.iloc[0]) <= NEIGHBOUR_M]
    neighbours = near[~near["AGS"].astype(str).str.startswith(ags)].copy()
    return District(ags, str(outline["GEN"].iloc[0]), outline, inside, neighbours)


def write_boundaries(district: District, folder: Path) -> list[Path]:
    """The district's boundaries as GeoJSON (WGS 84), in the shape of the shipped raw data.

    Parameters
    ----------
    district
        The district.
    folder
        The ``bkg-vg250`` folder to write into.

    Returns
    -------
    list of Path
        The files.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names = {
        f"vg250_kreis_{district.ags}.geojson": district.outline,
        f"vg250_gemeinden_{district.ags}.geojson": district.gemeinden,
        f"vg250_gemeinden_umland_{district.ags}.geojson": district.neighbours,
    }
    for name, frame in names.items():
        frame.to_crs(DISPLAY_CRS).to_file(folder / name, driver="GeoJSON", engine="pyogrio")
    return [folder / n for n in names]


def grid_member(archive: Path) -> str:
    """The file name of the 100 m table in a Zensus grid archive (what the build looks for)."""
    return Path(_member(archive, "100m-Gitter.csv")).name


def clip_grid(archive: Path, district: District, out: Path, chunk: int = 500_000) -> int:
    """The 100 m cells of a Zensus 2022 grid archive around the district, as CSV.

    Parameters
    ----------
    archive
        The Zensus archive (CSV for 10 km, 1 km and 100 m inside).
    district
        The district (its box plus :data:`GRID_MARGIN_M`).
    out
        The CSV to write (``;``-separated, as published).
    chunk
        Rows read at a time.

    Returns
    -------
    int
        Cells written.
    """
    member = _member(archive, "100m-Gitter.csv")
    box = district.outline.to_crs(GRID_CRS).total_bounds
    x0, y0 = box[0] - GRID_MARGIN_M, box[1] - GRID_MARGIN_M
    x1, y1 = box[2] + GRID_MARGIN_M, box[3] + GRID_MARGIN_M
    kept = []
    with zipfile.ZipFile(archive) as zf, zf.open(member) as handle:
        for part in pd.read_csv(handle, sep=";", dtype=str, chunksize=chunk,
                                encoding="utf-8-sig"):  # fmt: skip
            x = pd.to_numeric(part["x_mp_100m"], errors="coerce")
            y = pd.to_numeric(part["y_mp_100m"], errors="coerce")
            kept.append(part[(x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)])
    table = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame()
    table.to_csv(out, sep=";", index=False)
    return len(table)
