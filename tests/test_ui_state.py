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
