"""Fetching raw data for any German district (needs the internet; tested offline).

:mod:`~kek_geo.fetch.http` downloads with retries, cache and progress;
:mod:`~kek_geo.fetch.official` knows the official sources (``catalog.toml``) and cuts them to
the district; :mod:`~kek_geo.fetch.osm` asks Overpass for OpenStreetMap in tiles and reads the
answers with osmnx; :mod:`~kek_geo.fetch.run` puts it together for ``kek-geo fetch``.
"""
