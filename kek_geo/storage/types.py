"""Column types of the storage layer: a geometry column without GeoAlchemy2, UTC times.

On PostgreSQL, :class:`Geometry` is a real PostGIS column ``geometry(Geometry, 4326)`` (so QGIS
finds it in ``geometry_columns``): values are bound through ``ST_GeomFromText(:v, 4326)`` and
read through ``ST_AsText``. On SQLite the same column holds the WKT text. Either way the Python
value is a shapely geometry in CRS84 (longitude, latitude), written as WKT at full precision.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import DateTime, Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler, TypeCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Text, TypeDecorator, UserDefinedType

#: SRID of every stored geometry: WGS 84 longitude/latitude (the scenario file's CRS84).
SRID = 4326
#: Decimal digits PostGIS writes in ``ST_AsText``: enough for every double to round-trip.
WKT_DIGITS = 17


def to_wkt(geom: BaseGeometry) -> str:
    """WKT of a geometry at full precision (every coordinate round-trips exactly).

    Parameters
    ----------
    geom
        A shapely geometry.

    Returns
    -------
    str
        The WKT text.
    """
    return str(shapely.to_wkt(geom, rounding_precision=-1))


class _GeomFromText(FunctionElement[Any]):
    """``ST_GeomFromText(wkt, 4326)`` on PostgreSQL, the WKT itself elsewhere."""

    inherit_cache = True
    type: Any = Text()
    name = "kek_geom_from_text"


class _AsText(FunctionElement[Any]):
    """``ST_AsText(geometry, 17)`` on PostgreSQL, the column itself elsewhere.

    Its type is set to the :class:`Geometry` it reads, so the result is parsed by that type.
    """

    inherit_cache = True
    type: Any = Text()
    name = "kek_as_text"


@compiles(_GeomFromText)
@compiles(_AsText)
def _plain(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_GeomFromText, "postgresql")
def _pg_geom_from_text(element: _GeomFromText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"ST_GeomFromText({compiler.process(element.clauses, **kw)}, {SRID})"


@compiles(_AsText, "postgresql")
def _pg_as_text(element: _AsText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"ST_AsText({compiler.process(element.clauses, **kw)}, {WKT_DIGITS})"


class Geometry(UserDefinedType[BaseGeometry]):
    """A geometry column (SRID 4326) holding shapely geometries.

    ``geometry(<type>, 4326)`` on PostgreSQL with PostGIS, ``TEXT`` (WKT) on SQLite.

    Parameters
    ----------
    geometry_type
        PostGIS geometry type of the column, e.g. ``"Point"``; ``"Geometry"`` allows any.
    """

    cache_ok = True

    def __init__(self, geometry_type: str = "Geometry") -> None:
        self.geometry_type = geometry_type

    def get_col_spec(self, **kw: Any) -> str:  # noqa: ARG002
        """The PostGIS column type (other dialects compile to ``TEXT``)."""
        return f"geometry({self.geometry_type}, {SRID})"

    def bind_expression(self, bindvalue: Any) -> ColumnElement[Any]:
        """Parse the bound WKT on the server (PostgreSQL)."""
        return _GeomFromText(bindvalue)

    def column_expression(self, colexpr: Any) -> ColumnElement[Any]:
        """Read the column as WKT (PostgreSQL); the result is still parsed by this type."""
        expr = _AsText(colexpr)
        expr.type = self
        return expr

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], str | None]:  # noqa: ARG002
        """Shapely geometry → WKT."""

        def process(value: Any) -> str | None:
            if value is None:
                return None
            if not isinstance(value, BaseGeometry):
                msg = f"expected a shapely geometry, got {type(value).__name__}"
                raise TypeError(msg)
            return to_wkt(value)

        return process

    def result_processor(
        self,
        dialect: Dialect,  # noqa: ARG002
        coltype: object,  # noqa: ARG002
    ) -> Callable[[Any], BaseGeometry | None]:
        """WKT → shapely geometry."""

        def process(value: Any) -> BaseGeometry | None:
            return None if value is None else shapely.from_wkt(value)

        return process


@compiles(Geometry)
def _geometry_as_text(element: Geometry, compiler: TypeCompiler, **kw: Any) -> str:  # noqa: ARG001
    return "TEXT"


@compiles(Geometry, "postgresql")
def _geometry_postgis(element: Geometry, compiler: TypeCompiler, **kw: Any) -> str:  # noqa: ARG001
    return element.get_col_spec()


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware time, always returned in UTC.

    ``timestamp with time zone`` on PostgreSQL; on SQLite (which has no time zones) the UTC
    time is stored as text and read back as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive times; store UTC (without zone on SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "times must be timezone-aware"
            raise ValueError(msg)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> datetime | None:
        """The stored time in UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
