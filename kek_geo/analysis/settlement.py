"""Settlement structure: land per inhabitant, settlement patches, building age and DEGURBA.

Everything works on the snapshot layers ``gemeinden``, ``settlement_areas`` (patches of
edge-adjacent settled 100 m cells), ``grid_100m`` and ``grid_1km``. The degree of urbanisation
(Eurostat DEGURBA) classifies the 1 km cells on a raster built from their Zensus ids, so the
adjacency is exact and the whole classification takes a few milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy import ndimage

from kek_geo.analysis.access import share_by_group, sum_by_group
from kek_geo.analysis.base import ratio, with_kreis
from kek_geo.catalog import BUILDING_AGE_CLASSES
from kek_geo.district import district_key

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

#: Construction-year columns of the 100 m grid, oldest first.
AGE_COLUMNS: tuple[str, ...] = tuple(col for col, _, _ in BUILDING_AGE_CLASSES)


def classes_up_to(last_year: int, columns: Sequence[str] = AGE_COLUMNS) -> tuple[str, ...]:
    """Construction-year columns whose class ends in ``last_year`` or earlier.

    A class ends in the last year named in its column (``b_1949_1978`` → 1978,
    ``b_pre1919`` → 1919); an open class (``b_2009_later``) counts from its first year.

    Parameters
    ----------
    last_year
        Latest construction year to include.
    columns
        Class columns, e.g. :data:`AGE_COLUMNS`.

    Returns
    -------
    tuple of str
        The matching columns.
    """
    return tuple(c for c in columns if int(re.findall(r"\d{4}", c)[-1]) <= last_year)


#: Classes built up to 1978: before the first thermal insulation ordinance (WSchVO, in force
#: since November 1977) shaped what was built.
PRE_1979_COLUMNS: tuple[str, ...] = classes_up_to(1978)

URBAN_CENTRE = "urban_centre"
URBAN_CLUSTER = "urban_cluster"
RURAL = "rural"
#: DEGURBA grid classes, densest first.
DEGURBA_CLASSES: tuple[str, ...] = (URBAN_CENTRE, URBAN_CLUSTER, RURAL)

# Neighbourhoods on the raster: edges only (rook), edges and corners (queen), the 8-ring.
_ROOK = ndimage.generate_binary_structure(2, 1)
_QUEEN = np.ones((3, 3), dtype=bool)
_RING = np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.int64)


# ------------------------------------------------------------------ land, patches, sprawl


def area_per_inhabitant(gemeinden: pd.DataFrame) -> pd.Series:
    """Settlement area per inhabitant in m², per municipality and for the district.

    Parameters
    ----------
    gemeinden
        Municipalities with ``ags``, ``settlement_area_km2`` and ``population``.

    Returns
    -------
    pandas.Series
        m² per inhabitant by AGS; the district value is total area over total population.
    """
    gem = gemeinden.set_index(gemeinden["ags"].astype(str))
    return ratio(gem["settlement_area_km2"].astype("float64") * 1e6, gem["population"])


def patch_counts(patches: pd.DataFrame, min_area_ha: float, ags: Sequence[str]) -> pd.Series:
    """Number of settlement patches of at least ``min_area_ha`` per municipality.

    Parameters
    ----------
    patches
        Settlement patches with ``ags`` (the municipality holding most of their cells) and
        ``area_ha``.
    min_area_ha
        Minimum patch area in hectares.
    ags
        The municipalities to report (a municipality without patches gets 0).

    Returns
    -------
    pandas.Series
        Counts by AGS and the district total.
    """
    big = patches[patches["area_ha"].to_numpy() >= min_area_ha]
    counts = big.groupby(big["ags"].astype(str)).size()
    per = counts.reindex([str(a) for a in ags], fill_value=0).astype("float64")
    return with_kreis(per, float(len(big)))


def core_patch_ids(patches: pd.DataFrame, n_cores: int) -> IntArray:
    """Ids of the ``n_cores`` largest patches of each municipality (its settlement cores).

    Patches are ranked by area within the municipality they are credited to; equal areas are
    broken by ``patch_id`` (the snapshot numbers patches from the largest down).

    Parameters
    ----------
    patches
        Settlement patches with ``patch_id``, ``ags`` and ``area_ha``.
    n_cores
        How many patches per municipality count as cores.

    Returns
    -------
    numpy.ndarray
        The core patch ids.
    """
    order = patches.sort_values(["area_ha", "patch_id"], ascending=[False, True])
    rank = order.groupby(order["ags"].astype(str)).cumcount().to_numpy()
    return np.asarray(order["patch_id"].to_numpy()[rank < n_cores], dtype=np.int64)


def cell_patch_ids(cells: gpd.GeoDataFrame, patches: gpd.GeoDataFrame) -> IntArray:
    """The patch each 100 m cell lies in (-1 for a cell in no patch).

    Parameters
    ----------
    cells
        100 m cells (same CRS as the patches).
    patches
        Settlement patches with ``patch_id``.

    Returns
    -------
    numpy.ndarray
        Patch id per cell.
    """
    centres = shapely.centroid(cells.geometry.to_numpy())
    tree = shapely.STRtree(patches.geometry.to_numpy())
    cell_idx, patch_idx = tree.query(centres, predicate="within")
    out = np.full(len(cells), -1, dtype=np.int64)
    out[cell_idx] = patches["patch_id"].to_numpy(dtype=np.int64)[patch_idx]
    return out


def outside_cores_mask(
    cells: gpd.GeoDataFrame, patches: gpd.GeoDataFrame, n_cores: int
) -> BoolArray:
    """True for the 100 m cells that lie in no core patch.

    Parameters
    ----------
    cells
        100 m cells.
    patches
        Settlement patches.
    n_cores
        Number of core patches per municipality.

    Returns
    -------
    numpy.ndarray
        Boolean per cell.
    """
    return ~np.isin(cell_patch_ids(cells, patches), core_patch_ids(patches, n_cores))


def share_outside_cores(
    cells: gpd.GeoDataFrame, patches: gpd.GeoDataFrame, n_cores: int
) -> pd.Series:
    """Share (%) of the estimated population living outside the settlement cores.

    A core is one of the ``n_cores`` largest patches of a municipality. A cell counts by its
    own municipality; a cell in a core patch is inside even if the patch is credited to the
    neighbouring municipality.

    Parameters
    ----------
    cells
        100 m cells with ``ags`` and ``population_est``.
    patches
        Settlement patches with ``patch_id``, ``ags`` and ``area_ha``.
    n_cores
        Number of core patches per municipality.

    Returns
    -------
    pandas.Series
        Percent by AGS and for the district.
    """
    outside = outside_cores_mask(cells, patches, n_cores)
    return share_by_group(cells["population_est"], outside, cells["ags"])


# ------------------------------------------------------------------ building age


def building_age_counts(cells: pd.DataFrame) -> pd.DataFrame:
    """Residential buildings per construction-year class, per municipality and district.

    A suppressed class count (fewer than 3 buildings in a cell) is missing and adds nothing.

    Parameters
    ----------
    cells
        100 m cells with ``ags`` and the ``b_*`` class columns.

    Returns
    -------
    pandas.DataFrame
        Index AGS plus the district key, one column per class (oldest first).
    """
    values = cells[list(AGE_COLUMNS)].astype("float64").fillna(0.0)
    per = values.groupby(cells["ags"].astype(str).to_numpy()).sum()
    per.loc[district_key(per.index)] = values.sum()
    per.index.name = "ags"
    return per


def building_age_shares(cells: pd.DataFrame) -> pd.DataFrame:
    """Shares (%) of the construction-year classes among the published buildings.

    Parameters
    ----------
    cells
        100 m cells with ``ags`` and the ``b_*`` class columns.

    Returns
    -------
    pandas.DataFrame
        Like :func:`building_age_counts`, in percent (rows sum to 100; missing if no buildings).
    """
    counts = building_age_counts(cells)
    total = counts.sum(axis=1)
    return counts.div(total.where(total > 0), axis=0) * 100.0


def share_built_before_1979(cells: pd.DataFrame) -> pd.Series:
    """Share (%) of residential buildings built up to 1978 among the published ones.

    Parameters
    ----------
    cells
        100 m cells with ``ags`` and the ``b_*`` class columns.

    Returns
    -------
    pandas.Series
        Percent by AGS and for the district (from the totals).
    """
    counts = building_age_counts(cells)
    counts = counts.drop(index=district_key(counts.index))
    return ratio(counts[list(PRE_1979_COLUMNS)].sum(axis=1), counts.sum(axis=1), scale=100.0)


# ------------------------------------------------------------------ DEGURBA


@dataclass(frozen=True)
class DegurbaRules:
    """Thresholds of the Eurostat degree of urbanisation on a 1 km grid.

    Attributes
    ----------
    centre_density
        Minimum inhabitants per km² of an urban-centre cell.
    centre_population
        Minimum population of an urban centre (after gap filling).
    cluster_density
        Minimum inhabitants per km² of an urban-cluster cell.
    cluster_population
        Minimum population of an urban cluster.
    """

    centre_density: float = 1500.0
    centre_population: float = 50_000.0
    cluster_density: float = 300.0
    cluster_population: float = 5_000.0


@dataclass(frozen=True)
class GridRaster:
    """Positions of grid cells on a raster (row = north index, column = east index)."""

    rows: IntArray
    cols: IntArray
    shape: tuple[int, int]

    def fill(self, values: npt.ArrayLike) -> FloatArray:
        """Raster with each cell's value at its position and 0 elsewhere.

        Parameters
        ----------
        values
            One value per cell (missing values become 0).

        Returns
        -------
        numpy.ndarray
            The raster.
        """
        raster = np.zeros(self.shape, dtype=np.float64)
        raster[self.rows, self.cols] = np.nan_to_num(np.asarray(values, dtype=np.float64))
        return raster


def grid_raster(cell_ids: pd.Series, cell_size: int = 1000) -> GridRaster:
    """Raster positions of Zensus grid cells from their ids.

    The ids encode the lower-left corner in EPSG:3035, e.g. ``CRS3035RES1000mN3217000E4226000``.

    Parameters
    ----------
    cell_ids
        Zensus cell ids.
    cell_size
        Cell size in metres.

    Returns
    -------
    GridRaster
        Row and column of each cell and the raster shape.
    """
    corners = cell_ids.astype(str).str.extract(r"N(\d+)E(\d+)$")
    if corners.isna().any().any():
        msg = "grid cell ids must look like CRS3035RES1000mN<north>E<east>"
        raise ValueError(msg)
    north = corners[0].astype(np.int64).to_numpy()
    east = corners[1].astype(np.int64).to_numpy()
    rows = np.asarray((north - north.min()) // cell_size, dtype=np.int64)
    cols = np.asarray((east - east.min()) // cell_size, dtype=np.int64)
    return GridRaster(rows, cols, (int(rows.max()) + 1, int(cols.max()) + 1))


def fill_gaps(labels: IntArray, min_neighbours: int = 5) -> IntArray:
    """Add cells with at least ``min_neighbours`` of their 8 neighbours in the same cluster.

    Repeated until no cell is added (Eurostat's gap filling and edge smoothing of urban
    centres).

    Parameters
    ----------
    labels
        Cluster label per raster cell (0 = none).
    min_neighbours
        Neighbours of one cluster needed to join it.

    Returns
    -------
    numpy.ndarray
        The labels with the filled cells.
    """
    out = labels.copy()
    ids = np.unique(out[out > 0])
    added = True
    while added:
        added = False
        for label in ids:
            near = ndimage.convolve((out == label).astype(np.int64), _RING, mode="constant")
            new = (out == 0) & (near >= min_neighbours)
            if new.any():
                out[new] = label
                added = True
    return out


def _keep_large(labels: IntArray, count: int, population: FloatArray, minimum: float) -> BoolArray:
    """Mask of the cells whose cluster holds at least ``minimum`` people."""
    sums = ndimage.sum_labels(population, labels, index=np.arange(1, count + 1))
    keep = np.concatenate([[False], np.asarray(sums, dtype=np.float64) >= minimum])
    return np.asarray(keep[labels], dtype=bool)


def urban_centre_mask(population: FloatArray, rules: DegurbaRules) -> BoolArray:
    """Urban-centre cells of a population raster of 1 km cells.

    Dense cells (density ≥ ``centre_density``) are grouped by shared edges, each group's gaps
    are filled (:func:`fill_gaps`), and groups with at least ``centre_population`` people after
    filling are kept.

    Parameters
    ----------
    population
        Inhabitants per 1 km cell (= per km²).
    rules
        Thresholds.

    Returns
    -------
    numpy.ndarray
        Boolean raster.
    """
    labels, count = ndimage.label(population >= rules.centre_density, structure=_ROOK)
    filled = fill_gaps(np.asarray(labels, dtype=np.int64))
    return _keep_large(filled, int(count), population, rules.centre_population)


def urban_cluster_mask(population: FloatArray, centre: BoolArray, rules: DegurbaRules) -> BoolArray:
    """Cells of urban clusters (urban centres included).

    Cells with density ≥ ``cluster_density`` (and urban-centre cells) are grouped with their
    8 neighbours, diagonals included; groups with at least ``cluster_population`` are kept.

    Parameters
    ----------
    population
        Inhabitants per 1 km cell.
    centre
        Urban-centre cells.
    rules
        Thresholds.

    Returns
    -------
    numpy.ndarray
        Boolean raster.
    """
    labels, count = ndimage.label((population >= rules.cluster_density) | centre, structure=_QUEEN)
    return _keep_large(
        np.asarray(labels, dtype=np.int64), int(count), population, rules.cluster_population
    )


def degurba_classes(grid: pd.DataFrame, rules: DegurbaRules | None = None) -> pd.Series:
    """DEGURBA class of each 1 km cell: urban centre, urban cluster or rural.

    The density of a cell is its published population (whole cell) per km². Cells with a
    missing population count as empty, so they are rural unless gap filling adds them to an
    urban centre. Cells missing from the grid (uninhabited, or outside the area the grid
    covers) are empty too.

    Parameters
    ----------
    grid
        1 km cells with ``cell_id`` and ``population``.
    rules
        Thresholds (Eurostat defaults if omitted).

    Returns
    -------
    pandas.Series
        Class per cell, indexed by ``cell_id``.
    """
    rules = rules or DegurbaRules()
    raster = grid_raster(grid["cell_id"])
    population = raster.fill(grid["population"])
    centre = urban_centre_mask(population, rules)
    cluster = urban_cluster_mask(population, centre, rules)
    classes = np.where(centre, URBAN_CENTRE, np.where(cluster, URBAN_CLUSTER, RURAL))
    values = classes[raster.rows, raster.cols]
    return pd.Series(values, index=pd.Index(grid["cell_id"].astype(str), name="cell_id"))


def cell_classes(cells: pd.DataFrame, classes: pd.Series) -> pd.Series:
    """Class of each 100 m cell: the class of its parent 1 km cell (rural if unknown).

    Parameters
    ----------
    cells
        100 m cells with ``cell_1km``.
    classes
        From :func:`degurba_classes`.

    Returns
    -------
    pandas.Series
        Class per 100 m cell, aligned with ``cells``.
    """
    return cells["cell_1km"].astype(str).map(classes).fillna(RURAL)


def degurba_share(cells: pd.DataFrame, classes: pd.Series, degurba_class: str) -> pd.Series:
    """Share (%) of the estimated population living in 1 km cells of one class.

    Parameters
    ----------
    cells
        100 m cells with ``ags``, ``cell_1km`` and ``population_est``.
    classes
        From :func:`degurba_classes`.
    degurba_class
        One of :data:`DEGURBA_CLASSES`.

    Returns
    -------
    pandas.Series
        Percent by AGS and for the district.
    """
    inside = (cell_classes(cells, classes) == degurba_class).to_numpy()
    return share_by_group(cells["population_est"], inside, cells["ags"])


def degurba_population(cells: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """Estimated residents per DEGURBA class, per municipality and for the district.

    Parameters
    ----------
    cells
        100 m cells with ``ags``, ``cell_1km`` and ``population_est``.
    classes
        From :func:`degurba_classes`.

    Returns
    -------
    pandas.DataFrame
        Index AGS plus the district key, one column per class.
    """
    by_cell = cell_classes(cells, classes).to_numpy()
    return pd.DataFrame(
        {
            name: sum_by_group(cells["population_est"], by_cell == name, cells["ags"])
            for name in DEGURBA_CLASSES
        }
    )
