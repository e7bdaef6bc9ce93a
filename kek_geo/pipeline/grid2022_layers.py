"""The census layers of a raw folder with the Zensus 2022 100 m grid: counted, not estimated."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np

from kek_geo.catalog import LAYERS
from kek_geo.geo import to_display
from kek_geo.pipeline import census, census2022
from kek_geo.pipeline.boundaries import Boundaries, kind_label
from kek_geo.pipeline.model import DISPLAY_TOLERANCE_M, BuiltLayer

_GERDA_COLUMNS = ("dwellings", "vacancy_rate", "household_size", "owner_rate", "avg_rent_eur_m2")
_OLD_100M_FILES = (census.GRID_BUILDINGS_FILE, census.GRID_DWELLINGS_FILE, census.GRID_AGE_FILE)


def _has(raw_dir: Path, *files: str) -> bool:
    return all((raw_dir / f).is_file() for f in files)


def _gemeinden(
    raw_dir: Path, bounds: Boundaries, grid: census2022.Grid2022
) -> tuple[gpd.GeoDataFrame, str]:
    gem = bounds.gemeinden.copy()
    gem["kind"] = kind_label(gem["kind"]).astype("string")
    gem["area_km2"] = gem.area / 1e6
    cells = census2022.municipal_figures(grid.grid_100m).set_index("ags")
    if _has(raw_dir, census.POPULATION_FILE):
        official = census.read_population(raw_dir, bounds.ags_codes).set_index("ags")
        gem["name_official"] = gem["ags"].map(official["name_official"]).astype("string")
        gem["population"] = gem["ags"].map(official["population"]).astype("int64")
        source = "zensus2022-gemeinden"
    else:
        gem["name_official"] = gem["name"].astype("string")
        gem["population"] = gem["ags"].map(cells["population"]).fillna(0).astype("int64")
        source = "zensus2022-grid"
    if _has(raw_dir, census.GERDA_FILE):
        gerda = census.read_municipal_census(raw_dir, bounds.ags_codes)
        gem = gem.merge(gerda, on="ags", how="left")
    else:
        for col in _GERDA_COLUMNS:
            gem[col] = np.nan
    figures = census.weighted_grid_figures(grid.grid_1km, grid.allocation).set_index("ags")
    for col in figures.columns:
        gem[col] = gem["ags"].map(figures[col]).astype("float64")
    gem["grid_population"] = gem["ags"].map(cells["grid_population"]).astype("float64")
    gem["share_65plus"] = gem["ags"].map(cells["share_65plus"]).astype("float64")
    inhabited = grid.grid_100m[grid.grid_100m["population_est"].fillna(0) > 0]
    settled = inhabited.groupby("ags").size()
    gem["settlement_area_km2"] = gem["ags"].map(settled).fillna(0).astype("float64") / 100.0
    columns = list(LAYERS["gemeinden"].columns)
    return gpd.GeoDataFrame(gem[columns], geometry=gem.geometry, crs=gem.crs), source


_CELLS_DE = (
    "Einwohner je 100-m-Zelle: Zensus 2022 (Stichtag 15.05.2022), gezählt, nicht geschätzt. "
)
_CELLS_EN = (
    "Residents per 100 m cell: Zensus 2022 (census day 2022-05-15), counted, not estimated. "
)


def census_layers_2022(
    raw_dir: Path, bounds: Boundaries
) -> tuple[list[BuiltLayer], gpd.GeoDataFrame, str]:
    """Municipalities, 1 km grid, 100 m grid and settlement areas from the 2022 100 m cells.

    Parameters
    ----------
    raw_dir
        Raw data folder with the Zensus 2022 population grid.
    bounds
        District and municipalities.

    Returns
    -------
    tuple
        The layers, the municipalities and the source key of their population.
    """
    structure = census.read_grid_100m(raw_dir) if _has(raw_dir, *_OLD_100M_FILES) else None
    grid = census2022.build_grid_2022(raw_dir, bounds, structure)
    grid_1km = census2022.grid_1km_with_published(raw_dir, grid.grid_1km)
    grid = census2022.Grid2022(
        grid.grid_100m, grid_1km, grid.allocation, grid.files, grid.notes, grid.kinds
    )
    gemeinden, population_source = _gemeinden(raw_dir, bounds, grid)
    older = ("zensus2011-grid",) if structure is not None else ()
    grid_sources = ("zensus2022-grid", *older)
    files = (*grid.files, *(_OLD_100M_FILES if structure is not None else ()))
    inhabited = grid.grid_100m[grid.grid_100m["population_est"].fillna(0) > 0]
    patches = census.settlement_patches(inhabited)
    display = to_display(
        patches[["patch_id", "ags", "area_ha", "population_est", "geometry"]],
        DISPLAY_TOLERANCE_M["settlement"],
    )
    buildings_2022 = "buildings" in grid.kinds
    dwellings_2022 = "rent" in grid.kinds
    if structure is not None:
        structure_de = (
            "Gebäude nach Baujahr, Wohnungen, Kinder unter 10 und Menschen ab 80: Zensus 2011 "
            "(09.05.2011), wie im Datenpaket."
        )
        structure_en = (
            "Buildings by construction year, dwellings, children under 10 and people 80+: "
            "Zensus 2011 (2011-05-09), as in the data pack."
        )
    else:
        structure_de = (
            ("Gebäude nach Baujahr (vor 1919, 1919–1948, 1949–1978): Zensus 2022. "
             if buildings_2022 else "Gebäude nach Baujahr fehlen. ")
            + ("Wohnungen: Zensus 2022. " if dwellings_2022 else "Wohnungen fehlen. ")
            + "Kinder unter 10 und Menschen ab 80 fehlen (nur im Zensus 2011)."
        )  # fmt: skip
        structure_en = (
            ("Buildings by construction year (before 1919, 1919–1948, 1949–1978): Zensus 2022. "
             if buildings_2022 else "Buildings by construction year are missing. ")
            + ("Dwellings: Zensus 2022. " if dwellings_2022 else "Dwellings are missing. ")
            + "Children under 10 and people 80+ are missing (Zensus 2011 only)."
        )  # fmt: skip
    layers = [
        BuiltLayer(
            "gemeinden",
            gemeinden,
            ("bkg-vg250", population_source, *grid_sources),
            (*bounds.files[:2], *files),
            "Einwohner: Zensus 2022 (amtliche Gemeindezahl, sonst Summe der 100-m-Zellen). "
            "Anteil ab 65: Summe der Menschen ab 65 ÷ Summe der Einwohner der 100-m-Zellen "
            "(Alter in 5 Klassen). Siedlungsfläche: Zahl der bewohnten 100-m-Zellen × 1 ha. "
            "Wohnungen, Leerstand, Miete je Gemeinde nur mit den Gemeindeindikatoren (GERDA).",
            "Population: Zensus 2022 (official municipal figure, else the sum of the 100 m "
            "cells). Share 65+: people 65+ ÷ residents summed over the 100 m cells (age in 5 "
            "classes). Settlement area: number of inhabited 100 m cells × 1 ha. Dwellings, "
            "vacancy, rent per municipality only with the municipal indicators (GERDA).",
            grid.notes[:1],
        ),
        BuiltLayer(
            "grid_1km",
            grid.grid_1km,
            grid_sources,
            files,
            "1-km-Zellen als Summe ihrer 100-m-Zellen (Zensus 2022), auf den Kreis "
            "zugeschnitten; Anteil ab 65 = Menschen ab 65 ÷ Einwohner der Altersstatistik. "
            "Anteile unter 15 und die Werte von 2011 nur, wo die veröffentlichten 1-km-Gitter "
            "vorliegen.",
            "1 km cells as the sum of their 100 m cells (Zensus 2022), clipped to the district; "
            "share 65+ = people 65+ ÷ residents of the age statistics. Shares under 15 and the "
            "2011 values only where the published 1 km grids are present.",
            grid.notes[1:],
        ),
        BuiltLayer(
            "grid_100m",
            grid.grid_100m,
            grid_sources,
            files,
            "100-m-Zellen mit Mittelpunkt im Kreis. " + _CELLS_DE + structure_de,
            "100 m cells whose centre lies in the district. " + _CELLS_EN + structure_en,
        ),
        BuiltLayer(
            "settlement_areas",
            patches,
            grid_sources,
            files,
            "Abgeleitet, Stand 2022: alle 100-m-Zellen mit Einwohnern (Zensus 2022) zu Flächen "
            "aus kantenbenachbarten Zellen verschmolzen (Wohnsiedlungsfläche; reine Gewerbe- und "
            "Verkehrsflächen fehlen). Gemeinde = die mit den meisten Zellen.",
            "Derived, as of 2022: all 100 m cells with residents (Zensus 2022) dissolved into "
            "patches of edge-adjacent cells (residential settlement area; purely commercial and "
            "transport land are missing). Municipality = the one holding most cells.",
        ),
        BuiltLayer(
            "settlement_areas_display",
            display,
            grid_sources,
            files,
            "Kartenkopie der Siedlungsflächen (Stand 2022), um 10 m vereinfacht, WGS84.",
            "Map copy of the settlement areas (as of 2022), simplified by 10 m, WGS84.",
        ),
    ]
    return layers, gemeinden, population_source
