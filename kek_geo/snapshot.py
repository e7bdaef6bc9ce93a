"""Load the data snapshot with schema validation.

A layer that is missing or malformed raises :class:`~kek_geo.errors.LayerError` naming the
layer, the file and the problem. A damaged optional import does not raise: it counts as not
imported and :meth:`Snapshot.import_problem` says what is wrong with it.
"""

from __future__ import annotations

import json
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj
import shapely

from kek_geo.catalog import LAYERS, LayerSpec
from kek_geo.district import District, read_district
from kek_geo.errors import LayerError
from kek_geo.imports import KINDS, ImportProblem, load_import
from kek_geo.manifest import IMPORTS_DIR, LayerRecord, layer_record, read_manifest, sha256_file

_KIND_CHECKS = {
    "string": lambda s: pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s),
    "float": pd.api.types.is_float_dtype,
    "int": pd.api.types.is_integer_dtype,
    "bool": pd.api.types.is_bool_dtype,
}


def validate_frame(spec: LayerSpec, df: pd.DataFrame, path: Path) -> None:
    """Check a loaded layer against its schema.

    Parameters
    ----------
    spec
        Layer specification.
    df
        Loaded table.
    path
        File it came from, for the error message.
    """
    missing = [c for c in spec.columns if c not in df.columns]
    if missing:
        raise LayerError(spec.name, path, f"missing column(s) {', '.join(map(repr, missing))}")
    for col, kind in spec.columns.items():
        if not _KIND_CHECKS[kind](df[col]):
            raise LayerError(spec.name, path, f"column {col!r} is {df[col].dtype}, expected {kind}")
    if spec.is_geo:
        _validate_geometry(spec, df, path)


def _validate_geometry(spec: LayerSpec, df: pd.DataFrame, path: Path) -> None:
    if not isinstance(df, gpd.GeoDataFrame):
        raise LayerError(spec.name, path, "has no geometry column")
    if df.geometry.isna().any():
        raise LayerError(spec.name, path, "has features without geometry")
    found = set(df.geom_type.unique())
    if not found <= set(spec.geometry_types):
        raise LayerError(spec.name, path, f"has geometry type(s) {sorted(found)}")


def read_layer(name: str, geodata_dir: Path) -> pd.DataFrame:
    """Read one layer of the snapshot and validate it.

    Parameters
    ----------
    name
        Layer key from :data:`kek_geo.catalog.LAYERS`.
    geodata_dir
        Snapshot folder.

    Returns
    -------
    pandas.DataFrame
        A GeoDataFrame for geo layers, a DataFrame for tables.
    """
    if name not in LAYERS:
        raise LayerError(name, geodata_dir, f"unknown layer; known: {', '.join(LAYERS)}")
    spec = LAYERS[name]
    path = geodata_dir / spec.filename
    if not path.is_file():
        raise LayerError(name, path, "file missing: rebuild the snapshot with `kek-geo build-data`")
    try:
        table = pq.read_table(path)
    except (OSError, ValueError, TypeError, pa.ArrowException) as exc:
        kind = "GeoParquet" if spec.is_geo else "Parquet"
        raise LayerError(name, path, f"not a readable {kind} file ({exc})") from exc
    df = _to_geodataframe(spec, table, path) if spec.is_geo else table.to_pandas()
    validate_frame(spec, df, path)
    return df


@cache
def _crs(code: str) -> pyproj.CRS:
    # Building a CRS costs ~15 ms; the snapshot uses two, so build each once.
    return pyproj.CRS(code)


def _to_geodataframe(spec: LayerSpec, table: pa.Table, path: Path) -> gpd.GeoDataFrame:
    """GeoParquet table → GeoDataFrame, checking the declared CRS without re-parsing it."""
    raw_meta = (table.schema.metadata or {}).get(b"geo")
    if raw_meta is None:
        raise LayerError(spec.name, path, "has no GeoParquet metadata (no geometry column)")
    meta = json.loads(raw_meta)
    column = meta["primary_column"]
    crs_id = (meta["columns"][column].get("crs") or {}).get("id", {})
    declared = f"{crs_id.get('authority')}:{crs_id.get('code')}"
    if declared != spec.crs:
        raise LayerError(spec.name, path, f"has CRS {declared}, expected {spec.crs}")
    geometry = shapely.from_wkb(table.column(column).to_numpy(zero_copy_only=False))
    frame = table.drop_columns([column]).to_pandas()
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=_crs(spec.crs)))


def validate_snapshot(geodata_dir: Path) -> dict[str, Any]:
    """Check that every layer exists, matches its schema and its manifest sha256.

    Parameters
    ----------
    geodata_dir
        Snapshot folder.

    Returns
    -------
    dict
        The manifest.
    """
    manifest = read_manifest(geodata_dir)
    for name in LAYERS:
        if name not in manifest["layers"]:
            raise LayerError(name, geodata_dir / LAYERS[name].filename, "not in the manifest")
        read_layer(name, geodata_dir)
        path = geodata_dir / LAYERS[name].filename
        if sha256_file(path) != manifest["layers"][name]["sha256"]:
            raise LayerError(name, path, "sha256 differs from the manifest: file changed")
    return manifest


class Snapshot:
    """The loaded data snapshot: layers on first use, plus the manifest.

    Layers are shared between callers (and, in the app, between sessions): never modify a
    returned frame in place; copy it first.

    Parameters
    ----------
    geodata_dir
        Snapshot folder.
    """

    def __init__(self, geodata_dir: Path, imports_dir: Path | None = None) -> None:
        self.geodata_dir = geodata_dir
        self.imports_dir = imports_dir if imports_dir is not None else geodata_dir / IMPORTS_DIR
        self.manifest = read_manifest(geodata_dir)
        self._layers: dict[str, pd.DataFrame] = {}
        self._extras: dict[str, Any] = {}
        self._problems: dict[str, ImportProblem] = {}

    def layer(self, name: str) -> pd.DataFrame:
        """Return a layer, reading and validating it on first use.

        Parameters
        ----------
        name
            Layer key.

        Returns
        -------
        pandas.DataFrame
            The layer (GeoDataFrame for geo layers).
        """
        if name not in self._layers:
            self._layers[name] = read_layer(name, self.geodata_dir)
        return self._layers[name]

    @cached_property
    def district(self) -> District:
        """The district of the snapshot: key and name from the ``kreis`` layer.

        Returns
        -------
        District
            Checked against the municipalities (see :func:`kek_geo.district.read_district`).
        """
        return read_district(self.layer("kreis"), self.layer("gemeinden"))

    def geo(self, name: str) -> gpd.GeoDataFrame:
        """Return a geo layer (typed helper around :meth:`layer`).

        Parameters
        ----------
        name
            Layer key of a geo layer.

        Returns
        -------
        geopandas.GeoDataFrame
            The layer.
        """
        df = self.layer(name)
        if not isinstance(df, gpd.GeoDataFrame):
            raise LayerError(name, self.geodata_dir / LAYERS[name].filename, "is not a geo layer")
        return df

    def extra(self, name: str) -> Any:
        """Optional imported data (walking network, GTFS feed, …), or ``None`` if absent.

        A damaged import is ``None`` too; :meth:`import_problem` says what is wrong with it.

        Parameters
        ----------
        name
            Import name registered in :mod:`kek_geo.imports`.

        Returns
        -------
        object or None
            The loaded import.
        """
        if name not in self._extras:
            value, problem = load_import(name, self.imports_dir)
            if problem is not None:
                self._problems[name] = problem
            self._extras[name] = value
        return self._extras[name]

    def import_problem(self, name: str) -> ImportProblem | None:
        """What is wrong with a damaged import (loading it if not done yet), or ``None``.

        Parameters
        ----------
        name
            Import name.

        Returns
        -------
        ImportProblem or None
            The file and the problem.
        """
        self.extra(name)
        return self._problems.get(name)

    def import_problems(self) -> list[ImportProblem]:
        """The problems of every damaged built-in import.

        Returns
        -------
        list of ImportProblem
            In the order of :data:`kek_geo.imports.KINDS`; empty when all are fine or absent.
        """
        return [p for name in KINDS if (p := self.import_problem(name)) is not None]

    def load_all(self) -> Snapshot:
        """Read every layer now (to warm a cache at start-up).

        Returns
        -------
        Snapshot
            Self.
        """
        for name in LAYERS:
            self.layer(name)
        return self

    def record(self, name: str) -> LayerRecord:
        """Manifest entry (source, date, licence, method) of a layer.

        Parameters
        ----------
        name
            Layer key.

        Returns
        -------
        LayerRecord
            The entry.
        """
        return layer_record(self.manifest, name)

    def available(self, name: str) -> bool:
        """Whether a layer holds data (False: its source was not in the raw data at build time).

        Parameters
        ----------
        name
            Layer key.

        Returns
        -------
        bool
            True for every layer built from its source.
        """
        return self.record(name).available

    def attribution(self, *names: str) -> str:
        """Distinct credit lines of the given layers, for display under a map.

        Parameters
        ----------
        *names
            Layer keys.

        Returns
        -------
        str
            Credit lines joined by `` · ``.
        """
        parts: dict[str, None] = {}
        for name in names:
            for part in self.record(name).attribution.split(" · "):
                parts[part] = None
        return " · ".join(parts)
