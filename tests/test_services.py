"""Daseinsvorsorge indicators on a two-municipality fixture (checked by hand), and the OSM layer.

Fixture (EPSG:25832, every point on the row y = 5,780,050; x of the cell centres):

    cell  ags  x        residents  1 km cell (65+)   within 1,000 m
    c1    A    470,050  100        K1 (20 %)         supermarket 0 m, stop 500 m        → 2
    c2    A    471,550   50        K1 (20 %)         GP 0 m, stop 1,000 m               → 2
    c3    A    473,050    0        K1                not settled: left out
    c4    B    474,050  200        K2 (30 %)         supermarket 1,000 m, pharmacy 500 m → 2
    c5    B    476,550   50        K2 (30 %)         primary school 0 m                 → 1

Services: supermarkets at 470,050 and 475,050; a GP at 471,550; a pharmacy at 474,550; a doctor
without the general speciality at 476,550 (not a GP); primary school at 476,550; a bus stop at
470,550.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from kek_geo.analysis.services import kinds_near, settled_cells
from kek_geo.errors import DataSourceError
from kek_geo.indicators import REGISTRY, compute_table, indicators_for
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.osm_layers import read_services, refine_category, services_layer
from kek_geo.settings import KREIS_AGS
from kek_geo.views.services import services_table, unavailable
from tests.helpers import MemorySource, gdf, square

A, B = "05758001", "05758002"
Y0 = 5_780_000.0
Y = Y0 + 50.0


def _cell(cid: str, ags: str, x: float, residents: float, km: str) -> dict[str, object]:
    return {
        "cell_id": cid,
        "cell_1km": km,
        "ags": ags,
        "population_est": residents,
        "geometry": square(x - 50.0, Y0, 100.0),
    }


def _service(sid: str, category: str, x: float, ags: str) -> dict[str, object]:
    return {
        "service_id": sid,
        "name": sid,
        "category": category,
        "in_kreis": True,
        "ags": ags,
        "geometry": shapely.Point(x, Y),
    }


def make_source(*, osm: bool = True, official_schools: bool = True) -> MemorySource:
    cells = gdf(
        [
            _cell("c1", A, 470_050.0, 100.0, "K1"),
            _cell("c2", A, 471_550.0, 50.0, "K1"),
            _cell("c3", A, 473_050.0, 0.0, "K1"),
            _cell("c4", B, 474_050.0, 200.0, "K2"),
            _cell("c5", B, 476_550.0, 50.0, "K2"),
        ]
    )
    rows = [
        _service("node/1", "supermarket", 470_050.0, A),
        _service("node/2", "supermarket", 475_050.0, B),
        _service("node/3", "gp", 471_550.0, A),
        _service("node/4", "pharmacy", 474_550.0, B),
        _service("node/5", "doctor", 476_550.0, B),
    ]
    if not official_schools:
        rows.append(_service("way/6", "primary_school", 476_550.0, B))
    services = gdf(rows if osm else [_service("x", "other", 0.0, A)]).iloc[: None if osm else 0]
    school = {
        "school_id": "S1",
        "name": "Grundschule Ost",
        "school_type": "Grundschule",
        "ags": B,
        "geometry": shapely.Point(476_550.0, Y),
    }
    schools = gdf([school]) if official_schools else gdf([school]).iloc[:0]
    stops = gdf([{"stop_id": "1", "mode": "bus", "geometry": shapely.Point(470_550.0, Y)}])
    grid_1km = pd.DataFrame({"cell_id": ["K1", "K2"], "share_65plus": [20.0, 30.0]})
    gemeinden = pd.DataFrame({"ags": [A, B], "name": ["Ahausen", "Bedorf"]})
    return MemorySource(
        grid_100m=cells,
        services=services,
        schools=schools,
        stops=stops,
        grid_1km=grid_1km,
        gemeinden=gemeinden,
    )


def table(source: MemorySource, radius: float = 1000.0) -> pd.DataFrame:
    return compute_table(source, indicators_for("services"), {"services_near_m": radius})


def test_shares_of_residents_near_each_kind() -> None:
    got = table(make_source())
    expected = {
        "services_near_supermarket": (100 / 150 * 100, 80.0, 75.0),
        "services_near_gp": (50 / 150 * 100, 0.0, 12.5),
        "services_near_pharmacy": (0.0, 80.0, 50.0),
        "services_near_primary_school": (0.0, 20.0, 12.5),
        "services_near_stop": (100.0, 0.0, 37.5),
        "services_kinds_mean": (2.0, 1.8, 1.875),
        "services_none_near": (0.0, 0.0, 0.0),
    }
    for key, values in expected.items():
        assert got.loc[[A, B, KREIS_AGS], key].tolist() == pytest.approx(values), key


def test_residents_with_none_near_at_a_small_radius() -> None:
    # within 400 m: c1 the supermarket, c2 the GP, c5 the school; c4 nothing
    got = table(make_source(), radius=400.0)
    assert got.loc[[A, B, KREIS_AGS], "services_none_near"].tolist() == pytest.approx(
        [0.0, 80.0, 50.0]
    )
    counts = kinds_near(make_source(), 400.0)
    assert counts.tolist() == [1.0, 1.0, 0.0, 1.0]  # c3 has no residents and is left out


def test_older_people_with_supermarket_gp_and_pharmacy() -> None:
    # within 3,000 m c2 and c4 have all three; 65+ = residents × the 1 km share:
    # c1 20, c2 10 (A); c4 60, c5 15 (B)
    got = table(make_source(), radius=3000.0)
    assert got.loc[[A, B, KREIS_AGS], "services_older_basics"].tolist() == pytest.approx(
        [10 / 30 * 100, 60 / 75 * 100, 70 / 105 * 100]
    )


def test_without_osm_the_osm_kinds_are_missing_not_zero() -> None:
    source = make_source(osm=False)
    got = table(source)
    for key in ("services_near_supermarket", "services_near_gp", "services_near_pharmacy",
                "services_kinds_mean", "services_none_near", "services_older_basics"):  # fmt: skip
        assert got[key].isna().all(), key
    # schools and stops do not need OSM
    assert got.loc[KREIS_AGS, "services_near_primary_school"] == pytest.approx(12.5)
    assert got.loc[KREIS_AGS, "services_near_stop"] == pytest.approx(37.5)


def test_primary_schools_come_from_osm_where_no_official_list_exists() -> None:
    got = table(make_source(official_schools=False))
    assert got.loc[KREIS_AGS, "services_near_primary_school"] == pytest.approx(12.5)


def test_settled_cells_leave_out_empty_cells() -> None:
    assert settled_cells(make_source())["cell_id"].tolist() == ["c1", "c2", "c4", "c5"]


def test_every_services_indicator_names_its_data_date() -> None:
    for ind in indicators_for("services"):
        assert ind.as_of is not None, ind.key
    text = REGISTRY["services_near_supermarket"].data_date(make_source(), "de")
    assert "Einwohner 2022" in text and "keine OSM-Daten" in text  # MemorySource: no manifest


def test_categories_tell_gps_and_primary_schools_apart() -> None:
    rows = [  # category, speciality, isced:level, school:de, name → expected
        ("doctor", "general", None, None, None, "gp"),
        ("doctor", "general;internal", None, None, None, "gp"),
        ("doctor", "dermatology", None, None, None, "doctor"),
        ("doctor", None, None, None, None, "doctor"),
        ("school", None, "1;2", None, None, "primary_school"),
        ("school", None, None, "Grundschule", None, "primary_school"),
        ("school", None, None, None, "Grundschule am Wall", "primary_school"),
        ("school", None, "2;3", None, "Gymnasium", "school"),
        ("pharmacy", None, "1", None, "Grundschul-Apotheke", "pharmacy"),
    ]
    columns = ["category", "healthcare:speciality", "isced:level", "school:de", "name"]
    frame = pd.DataFrame([r[:5] for r in rows], columns=columns)
    assert refine_category(frame).tolist() == [r[5] for r in rows]


def _bounds() -> Boundaries:
    kreis = gpd.GeoDataFrame(
        {"ags": ["05758"], "name": ["K"], "kind": ["Kreis"]},
        geometry=[shapely.box(0, 0, 2000, 1000)],
        crs="EPSG:25832",
    )
    gem = gpd.GeoDataFrame(
        {"ags": [A, B], "name": ["Ahausen", "Bedorf"], "kind": ["Stadt", "Gemeinde"]},
        geometry=[shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 2000, 1000)],
        crs="EPSG:25832",
    )
    return Boundaries(kreis, gem, gem.iloc[:0])


def test_fetched_services_become_points_with_municipality(tmp_path: Path) -> None:
    fetched = gpd.GeoDataFrame(
        {
            "osm_type": ["node", "way", "node"],
            "osm_id": [1, 2, 3],
            "name": ["Markt", None, "Praxis"],
            "category": ["supermarket", "supermarket", "doctor"],
            "healthcare:speciality": [None, None, "general"],
        },
        geometry=[
            shapely.Point(500, 500),
            shapely.box(1200, 200, 1400, 400),  # a building: a point inside it
            shapely.Point(2500, 500),  # outside the district, within the margin
        ],
        crs="EPSG:25832",
    ).to_crs("EPSG:4326")
    (tmp_path / "osm").mkdir()
    fetched.to_file(tmp_path / "osm" / "osm.gpkg", layer="services", driver="GPKG")
    got = read_services(tmp_path, _bounds())
    assert got is not None
    assert got["service_id"].tolist() == ["node/3", "node/1", "way/2"]
    assert got["category"].tolist() == ["gp", "supermarket", "supermarket"]
    assert got["in_kreis"].tolist() == [False, True, True]
    assert got["ags"].tolist()[1:] == [A, B] and pd.isna(got["ags"].iloc[0])
    assert got.geometry.iloc[2].within(shapely.box(1200, 200, 1400, 400))
    assert (got.geom_type == "Point").all()


def test_without_fetched_osm_the_layer_is_empty_and_marked(tmp_path: Path) -> None:
    layer = services_layer(tmp_path, _bounds())
    assert not layer.available and layer.data.empty
    assert "kek-geo fetch" in layer.method_de and "kek-geo fetch" in layer.method_en
    assert list(layer.data.columns) == ["service_id", "name", "category", "in_kreis", "ags",
                                        "geometry"]  # fmt: skip


def test_a_damaged_osm_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "osm").mkdir()
    (tmp_path / "osm" / "osm.gpkg").write_bytes(b"not a geopackage")
    with pytest.raises(DataSourceError, match=r"osm\.gpkg"):
        read_services(tmp_path, _bounds())


def test_the_shipped_snapshot_has_the_layer_but_no_osm(snapshot: object) -> None:
    assert unavailable(snapshot) == frozenset(  # type: ignore[arg-type]
        {
            "services_near_supermarket",
            "services_near_gp",
            "services_near_pharmacy",
            "services_kinds_mean",
            "services_none_near",
            "services_older_basics",
        }
    )
    got = compute_table(snapshot, indicators_for("services"))  # type: ignore[arg-type]
    # real figures (the official school list and the stops): every value a share
    for key in ("services_near_primary_school", "services_near_stop"):
        assert got[key].between(0.0, 100.0).all(), key
    assert 55.0 < got.loc[KREIS_AGS, "services_near_primary_school"] < 75.0
    assert got.loc[KREIS_AGS, "services_near_stop"] > 95.0


def test_services_table_counts_inside_the_district_only() -> None:
    source = make_source()
    source.layers["services"].loc[0, "in_kreis"] = False
    got = services_table(source, "de")
    assert got is not None
    assert got.columns.tolist() == ["Gemeinde", "Supermarkt", "Hausarzt", "andere Arztpraxis",
                                    "Apotheke"]  # fmt: skip
    assert got.iloc[-1].tolist() == ["gesamt", 1, 1, 1, 1]
    assert got.iloc[0].tolist() == ["Ahausen", 0, 1, 0, 0]  # its supermarket lies outside


class WithManifest(MemorySource):
    """A stand-in that says which layers have a source, like the snapshot's manifest."""

    def __init__(self, missing: set[str], **layers: pd.DataFrame) -> None:
        super().__init__(**layers)
        self.missing = missing

    def available(self, name: str) -> bool:
        return name not in self.missing


def test_a_kind_the_fetched_data_do_not_have_is_zero_not_missing() -> None:
    base = make_source()
    services = base.layers["services"]
    without_gp = services[services["category"] != "gp"].reset_index(drop=True)
    fetched = WithManifest(set(), **{**base.layers, "services": without_gp})
    got = table(fetched)
    assert got["services_near_gp"].tolist() == [0.0, 0.0, 0.0]  # fetched, and none there
    not_fetched = WithManifest({"services"}, **{**base.layers, "services": without_gp})
    assert table(not_fetched)["services_near_gp"].isna().all()  # not fetched: unknown
    no_stops = WithManifest({"stops"}, **base.layers)
    assert table(no_stops)["services_near_stop"].isna().all()
