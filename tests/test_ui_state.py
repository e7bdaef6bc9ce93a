"""Map clicks and list choices: a new click wins, an old click repeated on rerun does not."""

from __future__ import annotations

from kek_geo.ui_state import apply_map_click, clicked_ags

VALID = {"05758004", "05758012"}


def click(ags: str | None, name: str = "x") -> dict[str, object]:
    props: dict[str, object] = {"name": name}
    if ags:
        props["gemeinde_ags"] = ags
    return {"last_active_drawing": {"type": "Feature", "properties": props}}


def test_clicked_ags() -> None:
    assert clicked_ags(click("05758004")) == "05758004"
    assert clicked_ags(click(None)) is None  # a stop or a school
    assert clicked_ags(None) is None
    assert clicked_ags({"last_active_drawing": None}) is None
    assert clicked_ags({"last_active_drawing": {"properties": "oops"}}) is None


def test_new_click_selects() -> None:
    selected, seen = apply_map_click("05758", "", click("05758004"), VALID)
    assert selected == "05758004"
    assert seen


def test_same_click_on_rerun_does_not_override_list_choice() -> None:
    _, seen = apply_map_click("05758", "", click("05758004"), VALID)
    # the user then picks Herford in the list; the map still returns the old click
    selected, seen2 = apply_map_click("05758012", seen, click("05758004"), VALID)
    assert selected == "05758012"
    assert seen2 == seen


def test_click_on_other_feature_or_unknown_ags_keeps_selection() -> None:
    assert apply_map_click("05758012", "", click(None, "Bus stop"), VALID)[0] == "05758012"
    assert apply_map_click("05758012", "", click("09999999"), VALID)[0] == "05758012"
    assert apply_map_click("05758012", "", None, VALID) == ("05758012", "")


def test_click_anywhere_inside_a_municipality_selects_it() -> None:
    import geopandas as gpd
    from shapely.geometry import box

    from kek_geo.ui_state import apply_point_click, clicked_point, municipality_at

    # two squares side by side in UTM 32N, about 1 km each
    gem = gpd.GeoDataFrame(
        {"ags": ["05758004", "05758012"]},
        geometry=[box(470000, 5780000, 471000, 5781000), box(471000, 5780000, 472000, 5781000)],
        crs="EPSG:25832",
    )
    west, east = gem.geometry.centroid.to_crs("EPSG:4326")
    assert municipality_at(gem, west.y, west.x) == "05758004"
    assert municipality_at(gem, east.y, east.x) == "05758012"
    assert municipality_at(gem, 52.0, 9.9) is None

    def locate(lat: float, lng: float) -> str | None:
        return municipality_at(gem, lat, lng)

    def click_at(lat: float, lng: float) -> dict[str, object]:
        # whatever was drawn there (a settlement patch) is not part of the answer
        return {"last_clicked": {"lat": lat, "lng": lng}}

    assert clicked_point(None) is None
    assert clicked_point({"last_clicked": None}) is None
    selected, seen = apply_point_click(None, "", click_at(east.y, east.x), locate)
    assert selected == "05758012"
    # the same click returned again on a rerun does not undo a later list choice
    assert apply_point_click("05758004", seen, click_at(east.y, east.x), locate)[0] == "05758004"
    # a click outside the district keeps the choice
    assert apply_point_click("05758004", seen, click_at(52.0, 9.9), locate)[0] == "05758004"


def test_link_values_are_parsed_strictly() -> None:
    from kek_geo.ui_state import parse_choice, parse_number, show_number

    assert parse_choice("mob_stop_pop", ("mob_stop_pop", "x")) == "mob_stop_pop"
    assert parse_choice("<script>", ("mob_stop_pop",)) is None
    assert parse_number("400", 200, 1500) == 400.0
    assert parse_number("99999", 200, 1500) is None
    assert parse_number("nan", 0, 1) is None
    assert parse_number("inf", 0, 1e309) is None
    assert parse_number("vierhundert", 0, 1000) is None
    assert show_number(400.0) == "400"
    assert show_number(2.5) == "2.5"
