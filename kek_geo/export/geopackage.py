"""A theme's layers as one GeoPackage for QGIS: one table per layer, CRS set, credit_line inside.

Layers are written in the analysis CRS (ETRS89 / UTM 32N, EPSG:25832). Each layer's metadata
(``gpkg_metadata``, shown by QGIS under Properties → Metadata) names its title, source, data
date, licence and the credit to print with it. For a municipality, the point and cell layers
hold the features inside it; the municipalities and their indicator values are always all of
them, for context.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from kek_geo.district import district_key
from kek_geo.export.content import ThemeContent
from kek_geo.indicators.registry import LayerSource
from kek_geo.settings import ANALYSIS_CRS
from kek_geo.snapshot import Snapshot

#: Name of the layer with the municipalities and the theme's indicator values.
FIGURES_LAYER = "kennzahlen"
#: Display copies are written from their analysis layer where there is one.
_ANALYSIS_TWIN = {"gemeinden_display": "gemeinden", "kreis_display": "kreis",
                  "settlement_areas_display": "settlement_areas"}  # fmt: skip


def figures_layer(source: LayerSource, content: ThemeContent) -> gpd.GeoDataFrame:
    """The municipalities with every indicator of the theme as a numeric column (by key)."""
    gem = source.geo("gemeinden")[["ags", "name", "geometry"]].copy()
    values = content.table[[ind.key for ind in content.indicators]]
    gem = gem.join(values, on="ags")
    return gpd.GeoDataFrame(gem, geometry="geometry", crs=source.geo("gemeinden").crs)


def _inside(frame: gpd.GeoDataFrame, area: object) -> gpd.GeoDataFrame:
    return frame[frame.intersects(area)]


def layer_frames(
    source: LayerSource, content: ThemeContent, ags: str
) -> dict[str, gpd.GeoDataFrame]:
    """The layers of the GeoPackage by name: indicator values plus every map layer shown.

    Parameters
    ----------
    source
        Snapshot or scenario source.
    content
        The theme.
    ags
        The municipality (its features only) or the district (all).

    Returns
    -------
    dict
        Layer name → frame in EPSG:25832.
    """
    frames = {FIGURES_LAYER: figures_layer(source, content)}
    area = None
    if ags != district_key(content.table.index):
        gem = source.geo("gemeinden")
        area = gem.loc[gem["ags"] == ags, "geometry"].iloc[0]
    for name in content.layers:
        key = _ANALYSIS_TWIN.get(name, name)
        frame = source.geo(key)
        if not isinstance(frame, gpd.GeoDataFrame) or key in frames:
            continue
        frame = frame.to_crs(ANALYSIS_CRS)
        if area is not None and key not in {"gemeinden", "kreis", "neighbours_display"}:
            frame = _inside(frame, area)
        frames[key] = frame
    return frames


def metadata(snapshot: Snapshot, name: str, lang: str) -> dict[str, str]:
    """GeoPackage metadata of a snapshot layer: title, source, date, licence, credit."""
    record = snapshot.record(name)
    return {
        "title": record.title_en if lang == "en" else record.title_de,
        "source": "; ".join(record.sources),
        "data_date": record.data_date,
        "licence": record.licence,
        "attribution": record.attribution,
    }


def geopackage_bytes(
    source: LayerSource,
    snapshot: Snapshot,
    content: ThemeContent,
    ags: str,
    *,
    lang: str,
    credit_line: str,
) -> bytes:
    """Write the theme's layers into a GeoPackage and return its bytes.

    Parameters
    ----------
    source
        Snapshot or scenario source (the data written).
    snapshot
        The snapshot (the layers' records: title, source, licence).
    content
        The theme.
    ags
        Municipality or district.
    lang
        Language of the titles.
    credit_line
        Credit line of every layer, stored with the indicator layer.

    Returns
    -------
    bytes
        The ``.gpkg`` file.
    """
    frames = layer_frames(source, content, ags)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        for name, frame in frames.items():
            if name == FIGURES_LAYER:
                meta = {"title": content.indicator.name(lang), "attribution": credit_line}
            else:
                meta = metadata(snapshot, name, lang)
            clean = _plain_columns(frame)
            clean.to_file(
                path, layer=name, driver="GPKG", engine="pyogrio", metadata=meta,
                geometry_type=geometry_type(source, name, frame),
            )  # fmt: skip
        return path.read_bytes()


def geometry_type(source: LayerSource, name: str, frame: gpd.GeoDataFrame) -> str:
    """The layer's geometry type, also when none of its features lies in the municipality."""
    types = set(frame.geom_type) if len(frame) else set()
    if not types and name != FIGURES_LAYER:
        whole = source.geo(name)
        types = set(whole.geom_type)
    if types <= {"Polygon", "MultiPolygon"} and types:
        return "MultiPolygon" if "MultiPolygon" in types else "Polygon"
    return types.pop() if len(types) == 1 else "Unknown"


def _plain_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns GeoPackage can store: Arrow strings and categories become plain text."""
    out = frame.copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        dtype = out[column].dtype
        if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out
