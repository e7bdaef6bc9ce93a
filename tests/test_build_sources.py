"""The build from whatever raw sources exist: several raw folders, the Zensus 2022 grid, gaps.

Hand-checked pieces: how raw folders are laid over each other, how published Zensus 2022
numbers are read, how a district is named, and that a missing input stays missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from kek_geo.analysis.access import sum_by_group
from kek_geo.analysis.broadband import release_name
from kek_geo.catalog import BUILDING_AGE_CLASSES
from kek_geo.cli import main, raw_folders
from kek_geo.errors import DataSourceError
from kek_geo.manifest import read_manifest
from kek_geo.pipeline.boundaries import district_name
from kek_geo.pipeline.census2022 import municipal_figures, parse_numbers, read_grid_file
from kek_geo.pipeline.fallbacks import empty_frame, empty_layer
from kek_geo.pipeline.rawdirs import fetched_district, layout, merged_raw
from kek_geo.settings import KREIS_AGS, get_settings
from kek_geo.snapshot import validate_snapshot


def _folder(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_later_raw_folders_replace_whole_source_folders(tmp_path: Path) -> None:
    pack = _folder(tmp_path / "pack", {"osm/old.txt": "pack", "gerda/a.csv": "pack"})
    fetched = _folder(tmp_path / "fetched", {"osm/osm.gpkg": "fetched", "FETCH.json": "{}"})
    assert layout([pack, fetched]) == {
        "FETCH.json": (fetched / "FETCH.json").resolve(),
        "gerda": (pack / "gerda").resolve(),
        "osm": (fetched / "osm").resolve(),
    }
    with merged_raw([pack, fetched]) as raw:
        assert (raw / "gerda" / "a.csv").read_text(encoding="utf-8") == "pack"
        assert (raw / "osm" / "osm.gpkg").read_text(encoding="utf-8") == "fetched"
        assert not (raw / "osm" / "old.txt").exists()  # never a mix of two downloads
    assert not raw.exists()  # only links, gone after the build
    with merged_raw([pack]) as raw:
        assert raw == pack


def test_a_missing_raw_folder_is_named(tmp_path: Path) -> None:
    with (
        pytest.raises(DataSourceError, match="raw data folder not found"),
        merged_raw([tmp_path, tmp_path / "nowhere"]),
    ):
        pass


def test_the_fetched_district_comes_from_its_record(tmp_path: Path) -> None:
    assert fetched_district(tmp_path) is None
    (tmp_path / "FETCH.json").write_text('{"district": {"ags": "05766"}}', encoding="utf-8")
    assert fetched_district(tmp_path) == "05766"
    (tmp_path / "FETCH.json").write_text('{"district": ', encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"FETCH\.json"):
        fetched_district(tmp_path)


def test_build_data_reads_the_pack_and_the_fetched_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = _folder(tmp_path / "pack", {"a/b": "x"})
    monkeypatch.setenv("KEK_RAW_DIR", str(pack))
    monkeypatch.setenv("KEK_DATA_DIR", str(tmp_path / "data"))
    settings = get_settings()
    assert raw_folders(None, None, settings) == [pack]
    fetched = _folder(tmp_path / "data" / "raw" / KREIS_AGS, {"FETCH.json": "{}"})
    assert raw_folders(None, None, settings) == [pack, fetched]
    assert raw_folders(None, "05766", settings) == [pack]
    assert raw_folders(["x", "y"], None, settings) == [Path("x"), Path("y")]


def test_published_numbers_are_read_with_decimal_comma() -> None:
    values = pd.Series(["12", "3,5", "–", "", " 7 ", None])
    got = parse_numbers(values, Path("f.csv"), "v")
    assert got.tolist()[:2] == [12.0, 3.5] and got[4] == 7.0
    assert got[[2, 3, 5]].isna().all()
    with pytest.raises(DataSourceError, match=r"f\.csv.*'v'.*'zwölf'"):
        parse_numbers(pd.Series(["zwölf"]), Path("f.csv"), "v")


def test_a_grid_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "grid.csv"
    path.write_text(
        "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\nA;4226450;3229450;57\nB;4226550;3229450;–\n",
        encoding="utf-8",
    )
    got = read_grid_file(path, {"Einwohner": "population"})
    assert got["cell_id"].tolist() == ["A", "B"]
    assert got["x"].tolist() == [4226450.0, 4226550.0]
    assert got["population"].iloc[0] == 57.0 and np.isnan(got["population"].iloc[1])
    path.write_text("GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\nA;1;2;3\nA;1;2;4\n", "utf-8")
    with pytest.raises(DataSourceError, match="cell A appears twice"):
        read_grid_file(path, {"Einwohner": "population"})
    path.write_text("GITTER_ID_100m;x_mp_100m;y_mp_100m\nA;1;2\n", "utf-8")
    with pytest.raises(DataSourceError, match="missing column"):
        read_grid_file(path, {"Einwohner": "population"})


def test_municipal_figures_sum_the_cells() -> None:
    cells = pd.DataFrame(
        {
            "ags": ["A", "A", "B"],
            "population_est": [10.0, 30.0, 5.0],
            "people_65plus": [2.0, 6.0, np.nan],
            "age_total": [10.0, 30.0, np.nan],
        }
    )
    got = municipal_figures(cells).set_index("ags")
    assert got.loc["A", "population"] == 40 and got.loc["B", "population"] == 5
    assert got.loc["A", "share_65plus"] == pytest.approx(20.0)
    assert np.isnan(got.loc["B", "share_65plus"])  # suppressed, not 0 %


@pytest.mark.parametrize(
    ("gen", "bez", "expected"),
    [
        ("Herford", "Kreis", "Kreis Herford"),
        ("Hochsauerlandkreis", "Kreis", "Hochsauerlandkreis"),
        ("Städteregion Aachen", "Kreis", "Städteregion Aachen"),
        ("Bielefeld", "Kreisfreie Stadt", "Kreisfreie Stadt Bielefeld"),
        ("Region Hannover", "Landkreis", "Region Hannover"),
    ],
)
def test_districts_are_named_as_people_say_it(gen: str, bez: str, expected: str) -> None:
    kreis = gpd.GeoDataFrame({"name": [gen], "kind": [bez]}, geometry=[shapely.Point(0, 0)])
    assert district_name(kreis) == expected


def test_a_layer_without_source_has_its_columns_and_says_why() -> None:
    frame = empty_frame("broadband")
    assert list(frame.columns) == ["release", "ags", "segment", "technology", "threshold_mbit",
                                   "share_pct"]  # fmt: skip
    assert str(frame["threshold_mbit"].dtype) == "int64"
    layer = empty_layer("broadband", ("breitbandatlas",))
    assert not layer.available
    assert "breitbandatlas" in layer.method_de and "breitbandatlas" in layer.method_en
    stops = empty_frame("stops")
    assert isinstance(stops, gpd.GeoDataFrame) and stops.crs.to_epsg() == 25832


def test_a_value_missing_in_every_cell_stays_missing() -> None:
    groups = pd.Series(["05758004", "05758008"])
    got = sum_by_group(pd.Series([np.nan, np.nan]), [True, True], groups)
    assert got.isna().all() and list(got.index) == ["05758004", "05758008", KREIS_AGS]
    some = sum_by_group(pd.Series([np.nan, 4.0]), [True, True], groups)
    assert some.tolist() == [0.0, 4.0, 4.0]  # one suppressed cell adds nothing known


def test_no_release_is_a_dash() -> None:
    assert release_name("nan", "de") == "–"
    assert release_name("2021-06", "de") == "Mitte 2021"


def test_herford_with_fetched_osm_gets_the_daseinsvorsorge(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data pack plus a fetched ``osm`` folder: services switch on, nothing else changes."""
    fetched = tmp_path / "data" / "raw" / KREIS_AGS
    (fetched / "osm").mkdir(parents=True)
    services = gpd.GeoDataFrame(
        {
            "osm_type": ["node", "node"],
            "osm_id": [1, 2],
            "name": ["Markt am Markt", "Löwen-Apotheke"],
            "category": ["supermarket", "pharmacy"],
        },
        geometry=[shapely.Point(8.6706, 52.1152), shapely.Point(8.6720, 52.1160)],
        crs="EPSG:4326",
    )
    services.to_file(fetched / "osm" / "osm.gpkg", layer="services", driver="GPKG")
    record = {"district": {"ags": KREIS_AGS, "name": "Herford"},
              "files": {"osm": {"url": "http://overpass.test/api", "data_date":
                                "2026-11-30T12:00:00Z", "licence": "ODbL 1.0"}}}  # fmt: skip
    (fetched / "FETCH.json").write_text(json.dumps(record), encoding="utf-8")
    monkeypatch.setenv("KEK_RAW_DIR", str(raw_dir))
    monkeypatch.setenv("KEK_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "geodata"
    assert main(["build-data", "--out", str(out)]) == 0
    manifest = validate_snapshot(out)
    layers = read_manifest(out)["layers"]
    assert layers["services"]["available"] and layers["services"]["feature_count"] == 2
    assert layers["services"]["data_date"] == "2026-11-30T12:00:00Z"
    assert "© OpenStreetMap contributors" in layers["services"]["attribution"]
    assert manifest["kreis"] == {"ags": KREIS_AGS, "name": "Kreis Herford"}
    assert layers["stops"]["sources"] == ["db-hafas-stations", "db-stations"]  # official first
    assert {n for n, rec in layers.items() if not rec["available"]} == {"projection"}


def test_a_fetch_without_osm_still_builds(tmp_path: Path) -> None:
    from kek_geo.pipeline.osm_layers import osm_source

    (tmp_path / "FETCH.json").write_text('{"files": {"gtfs/latest.zip": {}}}', encoding="utf-8")
    assert osm_source(tmp_path).data_date.startswith("unbekannt")


def test_the_data_pack_is_not_laid_under_another_district(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw_dir: Path
) -> None:
    monkeypatch.setenv("KEK_RAW_DIR", str(raw_dir))
    monkeypatch.setenv("KEK_DATA_DIR", str(tmp_path / "data"))
    lippe = _folder(tmp_path / "data" / "raw" / "05766", {"FETCH.json": "{}"})
    settings = get_settings()
    assert raw_folders(None, "05766", settings) == [lippe]
    assert raw_folders(None, None, settings) == [raw_dir]


def test_an_error_names_the_file_where_it_really_lies(raw_dir: Path, tmp_path: Path) -> None:
    from kek_geo.pipeline import build_snapshot

    fetched = _folder(tmp_path / "fetched", {"gerda/zensus2022_gemeinden_kreis_herford.csv": ""})
    with pytest.raises(DataSourceError) as info:
        build_snapshot([raw_dir, fetched], tmp_path / "geodata")
    assert info.value.path == (fetched / "gerda" / "zensus2022_gemeinden_kreis_herford.csv")
    assert "is empty" in str(info.value)
    assert not (tmp_path / "geodata").exists()  # nothing half-written


def test_a_suppressed_2022_count_stays_missing() -> None:
    from kek_geo.pipeline.census2022 import _with_2011

    cells = pd.DataFrame(
        {"cell_id": ["a", "b"], "x": [1.0, 2.0], "y": [1.0, 1.0], "population": [5.0, np.nan],
         "buildings_2022": [1.0, 1.0]}
    )  # fmt: skip
    older = pd.DataFrame(
        {"cell_id": ["b", "c"], "x": [2.0, 3.0], "y": [1.0, 1.0], "buildings": [2.0, 4.0],
         "dwellings": [3.0, 4.0], "children_u10": [np.nan, 3.0], "people_80plus": [np.nan, 3.0],
         **{col: [np.nan, np.nan] for col, _, _ in BUILDING_AGE_CLASSES}}
    )  # fmt: skip
    got = _with_2011(cells, older).set_index("cell_id")
    assert got.loc["a", "population"] == 5.0
    assert np.isnan(got.loc["b", "population"])  # listed in 2022 with "–": unknown, not 0
    assert got.loc["c", "population"] == 0.0  # not listed in 2022: nobody lives there
    assert got.loc["c", "x"] == 3.0


def test_thinly_mapped_land_use_is_not_used() -> None:
    from kek_geo.pipeline.fallbacks import thinly_mapped

    grid = pd.DataFrame({"ags": ["A", "A", "B"], "population_est": [60.0, 40.0, 50.0]})
    patches = pd.DataFrame({"ags": ["A", "B"], "population_est": [90.0, 20.0]})
    assert thinly_mapped(patches, grid) == ["B"]  # 90 % of A, 40 % of B inside land use
    assert thinly_mapped(patches.iloc[:1], grid) == ["B"]
    assert thinly_mapped(pd.DataFrame({"ags": ["A", "B"], "population_est": [60.0, 30.0]}),
                         grid) == []  # fmt: skip


def test_grids_are_found_by_their_published_names(tmp_path: Path) -> None:
    from kek_geo.pipeline.census2022 import read_cells

    keys = "GITTER_ID_100m;x_mp_100m;y_mp_100m"
    _folder(tmp_path, {
        "zensus2022-grid/Zensus2022_Bevoelkerungszahl_100m-Gitter.csv":
            f"{keys};Einwohner\nA;1;2;10\nB;3;4;20\n",
        "zensus2022-grid/Durchschnittliche_Nettokaltmiete_und_Anzahl_der_Wohnungen_100m-Gitter.csv":
            f"{keys};durchschnMieteQM;AnzahlWohnungen;werterlaeuternde_Zeichen\n"
            "A;1;2;6,26;3;\nB;3;4;–;5;KLAMMERN\n",
    })  # fmt: skip
    cells, grids = read_cells(tmp_path)
    assert set(grids) == {"population", "rent"}
    assert cells["rent_eur_m2"].iloc[0] == 6.26 and np.isnan(cells["rent_eur_m2"].iloc[1])
    assert cells["dwellings_2022"].tolist() == [3.0, 5.0]
    assert cells["people_65plus"].isna().all()  # the age grid was not fetched: missing
    rent_only = (
        tmp_path
        / "zensus2022-grid"
        / ("Durchschnittliche_Nettokaltmiete_und_Anzahl_der_Wohnungen_100m-Gitter.csv")
    )
    rent_only.write_text(f"{keys};durchschnMieteQM\nA;1;2;7\n", encoding="utf-8")
    cells, _ = read_cells(tmp_path)
    assert cells["rent_eur_m2"].iloc[0] == 7.0 and cells["dwellings_2022"].isna().all()
    rent_only.write_text(f"{keys};Miete\nA;1;2;7\n", encoding="utf-8")
    with pytest.raises(DataSourceError, match="none of 'durchschnMieteQM'"):
        read_cells(tmp_path)
