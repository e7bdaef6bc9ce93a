"""Which municipality a point lies in (point in polygon), for notes placed on the map."""

from __future__ import annotations

import geopandas as gpd
import shapely
from pyproj import Transformer

from kek_geo.settings import DISPLAY_CRS


class GemeindeLocator:
    """Finds the municipality that contains a point given in WGS 84.

    Parameters
    ----------
    gemeinden
        Municipalities with ``ags`` and polygon geometries in any CRS (e.g. the snapshot
        layer ``gemeinden`` in EPSG:25832).
    """

    def __init__(self, gemeinden: gpd.GeoDataFrame) -> None:
        self._ags = [str(a) for a in gemeinden["ags"]]
        self._shapes = list(gemeinden.geometry)
        for geom in self._shapes:
            shapely.prepare(geom)
        self._to_crs = Transformer.from_crs(DISPLAY_CRS, gemeinden.crs, always_xy=True)

    def __call__(self, lon: float, lat: float) -> str | None:
        """AGS of the municipality containing the point (on a border: the first), or ``None``.

        Parameters
        ----------
        lon, lat
            The point in WGS 84.

        Returns
        -------
        str or None
            The AGS, ``None`` outside every municipality.
        """
        x, y = self._to_crs.transform(lon, lat)
        point = shapely.Point(x, y)
        for ags, geom in zip(self._ags, self._shapes, strict=True):
            if geom.covers(point):
                return ags
        return None
