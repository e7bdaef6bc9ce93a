"""Education indicators on a two-municipality fixture (values checked by hand) and the snapshot.

Fixture (EPSG:25832, all cells in one row, centre y = 5,780,050):

    cell  ags  centre x  children  nearest Grundschule
    c1    001  470,050   20        S1 at 470,050: 0 m
    c2    001  471,150   10        S1: 1,100 m
    c3    001  471,450   NaN       S1: 1,400 m  (suppressed count, left out)
    c4    002  472,550   12        S1 2,500 m, S2 2,500 m
    c5    002  473,050   5         S2 at 475,050: 2,000 m
    c6    002  473,550   4         S2: 1,500 m (the Förderschule right here does not count)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from kek_geo.analysis.education import (
    far_hotspot_mask,
    primary_school_distance,
    pupil_weighted_social_index,
    schools_by_type,
)
from kek_geo.district import district_of
from kek_geo.i18n import t
from kek_geo.indicators import REGISTRY, compute_table, indicators_for
from kek_geo.maps import render_html
from kek_geo.settings import KREIS_AGS, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.views.education import VIEW, distance_text, school_type_table
from tests.helpers import MemorySource, gdf, square

A, B = "05758001", "05758002"
Y0 = 5_780_000.0


def _cell(cid: str, ags: str, x0: float, children: float) -> dict[str, object]:
    return {
        "cell_id": cid,
        "ags": ags,
        "children_u10": children,
        "population_est": 10.0,
        "geometry": square(x0, Y0, 100.0),
    }


def _school(
    name: str, kind: str, x: float, ags: str, *, pupils: float, index: float, start: bool = False
) -> dict[str, object]:
    return {
        "school_id": name,
        "name": name,
        "school_type": kind,
        "pupils": pupils,
        "social_index": index,
        "startchancen": start,
        "ags": ags,
        "geometry": shapely.Point(x, Y0 + 50.0),
    }


@pytest.fixture
def source() -> MemorySource:
    cells = gdf(
        [
            _cell("c1", A, 470_000.0, 20.0),
            _cell("c2", A, 471_100.0, 10.0),
            _cell("c3", A, 471_400.0, float("nan")),
            _cell("c4", B, 472_500.0, 12.0),
            _cell("c5", B, 473_000.0, 5.0),
            _cell("c6", B, 473_500.0, 4.0),
        ]
    )
    schools = gdf(
        [
            _school("S1", "Grundschule", 470_050.0, A, pupils=200.0, index=3.0),
            _school("S2", "Grundschule", 475_050.0, B, pupils=100.0, index=6.0, start=True),
            _school(
                "S3", "Förderschule Grund-/Hauptschule", 473_550.0, B, pupils=50.0, index=np.nan
            ),
            _school("S4", "Gymnasium", 470_100.0, A, pupils=800.0, index=1.0),
        ]
    )
    gemeinden = pd.DataFrame({"ags": [B, A], "name": ["Bdorf", "Astadt"]})
    return MemorySource(grid_100m=cells, schools=schools, gemeinden=gemeinden)


def table(source: MemorySource, **params: float) -> pd.DataFrame:
    return compute_table(source, indicators_for("education"), params)


def test_distances_use_only_general_primary_schools(source: MemorySource) -> None:
    _cells, dist, method = primary_school_distance(source)
    assert method == "straight"
    # c6 sits on the Förderschule (0 m) but its nearest Grundschule is S2, 1,500 m away
    assert dist.tolist() == pytest.approx([0.0, 1100.0, 1400.0, 2500.0, 2000.0, 1500.0])


def test_share_of_children_near_a_primary_school(source: MemorySource) -> None:
    tab = table(source)
    # 1 km: Astadt c1 only: 20 of 30 published children (c3 suppressed, left out) = 66.7 %
    # Bdorf: none of 12 + 5 + 4 = 21; district 20 of 51 = 39.2 %
    assert tab["edu_children_primary_near"].tolist() == pytest.approx([200 / 3, 0.0, 2000 / 51])
    # 2 km: Astadt c1 + c2 = 30 of 30 = 100 %; Bdorf c5 (exactly 2,000 m counts) + c6 = 9 of 21
    # = 42.9 %; district 39 of 51 = 76.5 %
    assert tab["edu_children_primary_reach"].tolist() == pytest.approx([100.0, 900 / 21, 3900 / 51])


def test_near_radius_is_a_threshold(source: MemorySource) -> None:
    tab = table(source, edu_primary_near_m=1500.0)
    # 1.5 km: Astadt 30 of 30 = 100 %; Bdorf c6 (1,500 m) 4 of 21 = 19.0 %; district 34 of 51
    assert tab["edu_children_primary_near"].tolist() == pytest.approx([100.0, 400 / 21, 3400 / 51])


def test_children_in_hotspots_far_from_a_primary_school(source: MemorySource) -> None:
    # at least 10 children and > 2 km: only c4 (12 children, 2,500 m)
    assert table(source)["edu_children_far_hotspots"].tolist() == [0.0, 12.0, 12.0]
    # > 1 km: c2 (10 children, 1,100 m) joins: Astadt 10, Bdorf 12, district 22
    tab = table(source, edu_primary_far_m=1000.0)
    assert tab["edu_children_far_hotspots"].tolist() == [10.0, 12.0, 22.0]
    # at least 13 children: none
    assert table(source, edu_hotspot_children_min=13.0)["edu_children_far_hotspots"].sum() == 0


def test_far_hotspot_mask_never_takes_suppressed_cells(source: MemorySource) -> None:
    cells, dist, _ = primary_school_distance(source)
    # c3 (suppressed, 1,400 m) does not qualify even with a minimum of 0
    assert far_hotspot_mask(cells, dist, 0.0, 1000.0).tolist() == [
        False,
        True,
        False,
        True,
        True,
        True,
    ]


def test_social_index_is_pupil_weighted(source: MemorySource) -> None:
    tab = table(source)
    # Astadt: (200*3 + 800*1) / 1000 = 1.4; Bdorf: S2 only (Förderschule has none) = 6
    # district: (600 + 800 + 600) / 1100 = 1.818
    assert tab["edu_social_index"].tolist() == pytest.approx([1.4, 6.0, 2000 / 1100])


def test_social_index_is_missing_where_no_school_publishes_one() -> None:
    schools = pd.DataFrame({"ags": [A, B], "pupils": [100.0, 50.0], "social_index": [np.nan, 4.0]})
    values = pupil_weighted_social_index(schools)
    assert math.isnan(values[A])
    assert values[B] == 4.0
    assert values[KREIS_AGS] == 4.0


def test_startchancen_schools_counted_with_zero_where_none(source: MemorySource) -> None:
    assert table(source)["edu_startchancen_schools"].tolist() == [0.0, 1.0, 1.0]


def test_schools_by_type(source: MemorySource) -> None:
    types = schools_by_type(source.layer("schools"), source.layer("gemeinden"), district_of(source))
    assert types.index.tolist() == [A, B, KREIS_AGS]
    assert types["gemeinde"].tolist() == ["Astadt", "Bdorf", "Kreis Herford"]
    assert types["Grundschule"].tolist() == [1, 1, 2]
    assert types["Förderschule Grund-/Hauptschule"].tolist() == [0, 1, 1]
    assert types["Gymnasium"].tolist() == [1, 0, 1]
    assert types["total"].tolist() == [2, 2, 4]
    english = school_type_table(source, "en")
    assert "Grundschule (primary)" in english.columns
    assert english.columns[0] == "Municipality"


class FakeNetwork:
    """A walking network where every path is 1.5 times the straight line."""

    def distance_to_nearest(self, origins: np.ndarray, targets: np.ndarray) -> np.ndarray:
        diff = origins[:, None, :] - targets[None, :, :]
        return np.asarray(np.sqrt((diff**2).sum(axis=2)).min(axis=1) * 1.5)


def test_network_distances_when_a_walking_network_is_imported(source: MemorySource) -> None:
    source.extras["walk_network"] = FakeNetwork()
    _cells, dist, method = primary_school_distance(source)
    assert method == "network"
    assert dist[1] == pytest.approx(1650.0)
    # along the network (x 1.5): c1 0, c2 1,650, c6 2,250, c5 3,000, c4 3,750 m
    # within 2 km: Astadt c1 + c2 = 30 of 30 = 100 %; Bdorf 0 of 21; district 30 of 51
    assert table(source)["edu_children_primary_reach"].tolist() == pytest.approx(
        [100.0, 0.0, 3000 / 51]
    )


def test_distance_text() -> None:
    assert distance_text(600.0, "de") == "600 m"
    assert distance_text(2000.0, "de") == "2 km"
    assert distance_text(1500.0, "de") == "1,5 km"
    assert distance_text(1500.0, "en") == "1.5 km"


def test_texts_and_metadata() -> None:
    keys = [i.key for i in indicators_for("education")]
    assert keys == [
        "edu_children_primary_near",
        "edu_children_primary_reach",
        "edu_children_far_hotspots",
        "edu_social_index",
        "edu_startchancen_schools",
    ]
    assert REGISTRY["edu_social_index"].higher_is_better is None
    for ind in indicators_for("education"):
        assert all(th.key.startswith("edu_") for th in ind.thresholds)
    assert t("education.title", "en") == "Education"


# ------------------------------------------------------------------ real snapshot


def test_real_snapshot_education(snapshot: Snapshot) -> None:
    tab = compute_table(snapshot, indicators_for("education"))
    municipal = tab.drop(index=KREIS_AGS)
    near = tab["edu_children_primary_near"]
    reach = tab["edu_children_primary_reach"]
    # BBSR: about 75 % of people live within 1 km of a primary school nationally
    assert 50.0 < near[KREIS_AGS] < 80.0
    assert 85.0 < reach[KREIS_AGS] < 98.0
    assert (reach >= near).all()
    assert municipal["edu_children_primary_near"].between(10.0, 95.0).all()
    # the most urban town has the best coverage, a rural one the worst
    assert near.idxmax() == "05758012"  # Herford
    far = tab["edu_children_far_hotspots"]
    assert far[KREIS_AGS] == municipal["edu_children_far_hotspots"].sum()
    assert 0 < far[KREIS_AGS] < 1000
    assert tab["edu_social_index"].between(1.0, 9.0).all()
    assert tab.loc[KREIS_AGS, "edu_startchancen_schools"] == 9
    types = school_type_table(snapshot, "de")
    assert types.loc[KREIS_AGS, "Grundschule"] == 43
    assert types.loc[KREIS_AGS, "Schulen gesamt"] == 81


def test_real_snapshot_education_map(snapshot: Snapshot) -> None:
    ind = REGISTRY["edu_children_far_hotspots"]
    values = compute_table(snapshot, [ind])[ind.key]
    result = VIEW.build_map(
        snapshot, get_settings(), indicator=ind, values=values, params=ind.defaults(), lang="de"
    )
    html = render_html(result.map)
    assert "Kinder unter 10 je Hektar (mind. 10, weiter als 2 km zur Grundschule)" in html
    assert "Sozialindex" in html and "Startchancen-Schule" in html
    assert "Grundschule (43)" in html and "Gymnasium (8)" in html  # legend by type
    assert result.layers[-2:] == ("grid_100m", "schools")
