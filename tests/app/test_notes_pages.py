"""Citizen notes in the app: the form, the public map and moderation, on a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kek_geo.jsonscript import script_json
from kek_geo.storage import NoteStore
from kek_geo.ui import cache, moderation, store
from kek_geo.ui.moderation import failed_sign_ins
from kek_geo.ui.notes import address_limit, approved_notes
from tests.helpers import ROOT, show_page, shown_map

APP = str(ROOT / "app.py")
HERFORD = (8.6706, 52.1152)
BIELEFELD = (8.5325, 52.0302)
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[Klick](javascript:alert(1))",
    "{{ 7*7 }} {% if true %}x{% endif %}",  # folium reads its scripts as templates: stays text
)
PASSWORD = "geheim-Ä1"


@pytest.fixture
def notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[NoteStore]:
    """A fresh project database for the app (and the store the pages use)."""
    monkeypatch.setenv("KEK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KEK_MODERATION_PASSWORD", PASSWORD)
    monkeypatch.setattr(moderation, "FAILURE_PAUSE_S", 0.0)
    caches = (cache.settings, store.engine, approved_notes, address_limit, failed_sign_ins)
    for cached in caches:
        cached.clear()
    yield store.note_store()
    store.engine().dispose()
    for cached in caches:
        cached.clear()


def give_page(place: tuple[float, float] | None = HERFORD) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    show_page(at, "pages/notes_give.py")
    if place is not None:
        at.session_state["note_place"] = place
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def fill(at: AppTest, text: str, theme: str = "mobilitaet", kind: str = "schwaeche") -> AppTest:
    at.pills(key="note_theme").set_value(theme)
    at.pills(key="note_kind").set_value(kind)
    at.text_area(key="note_text").set_value(text)
    at.button(key="note_send").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def messages(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.error, *at.success, *at.warning])


def test_a_note_is_stored_with_its_municipality(notes: NoteStore) -> None:
    at = give_page()
    assert any("Herford" in m.value for m in at.markdown)  # the chosen place is named
    at.pills(key="note_age").set_value("65_plus")
    fill(at, "  Abends fährt kein Bus\u202e mehr.  ")
    assert "Danke! Ihr Hinweis ist angekommen." in messages(at)
    (note,) = notes.list()
    assert (note.gemeinde_ags, note.theme, note.kind, note.age_group, note.status) == (
        "05758012", "mobilitaet", "schwaeche", "65_plus", "neu",
    )  # fmt: skip
    assert note.text == "Abends fährt kein Bus mehr."
    assert "note_place" not in at.session_state
    # the draft is forgotten: a second note starts empty
    at.button(key="note_another").click().run()
    assert at.text_area(key="note_text").value == ""


def test_missing_choices_and_outside_places_are_refused(notes: NoteStore) -> None:
    at = give_page(place=None)
    fill(at, "Gute Idee")
    assert "Bitte noch wählen: Ort" in messages(at)
    at = give_page(place=BIELEFELD)
    fill(at, "Gute Idee")
    assert "außerhalb des Kreisgebiets (Kreis Herford)" in messages(at)
    at = give_page()
    at.pills(key="note_theme").set_value("bildung")
    at.text_area(key="note_text").set_value("Ohne Art")
    at.button(key="note_send").click().run()
    assert "Bitte noch wählen: Art" in messages(at)
    assert notes.count() == 0


def test_a_session_may_send_five_notes_in_ten_minutes(notes: NoteStore) -> None:
    at = give_page()
    for i in range(5):
        fill(at, f"Hinweis {i}")
        assert "Danke" in messages(at), i
        at.button(key="note_another").click().run()
        at.session_state["note_place"] = HERFORD
        at.run()
    fill(at, "Noch einer")
    assert "schon 5 Hinweise gegeben" in messages(at)
    assert notes.count() == 5


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_note_never_reaches_a_page_as_markup(notes: NoteStore, payload: str) -> None:
    fill(give_page(), payload)
    (note,) = notes.list()
    assert note.text == payload  # kept as typed: it is text
    notes.moderate(note.id, by="Moderation", status="freigegeben")

    public = AppTest.from_file(APP, default_timeout=60).run()
    show_page(public, "pages/notes_public.py")
    assert not public.exception
    script = shown_map(public.get("component_instance")[0])
    escaped = script_json(payload)[1:-1]
    assert escaped in script  # the text arrives as a JSON string, no <, >, & or {{ in it
    assert "<" not in payload or payload not in script
    assert "textContent = text" in script and 'createElement("a")' not in script
    assert "1 freigegebener Hinweis" in " ".join(m.value for m in public.markdown)

    mod = moderation_page()
    shown = mod.dataframe[0].value if mod.dataframe else None
    assert shown is not None and payload in shown["Text"].tolist()  # a grid cell shows text
    for element in [*mod.markdown, *mod.caption]:
        assert payload not in element.value or not element.proto.allow_html


def moderation_page(password: str = PASSWORD, name: str = "Frau Meier") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    show_page(at, "pages/notes_moderation.py")
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(password)
    at.button[0].click().run()  # the form's submit button
    at.segmented_control(key="moderation_status").set_value("alle").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_moderation_needs_the_password(notes: NoteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    show_page(at, "pages/notes_moderation.py")
    at.text_input[0].set_value("Frau Meier")
    at.text_input[1].set_value("falsch")
    at.button[0].click().run()
    assert "Passwort oder Name falsch." in messages(at)
    assert not at.dataframe
    ok = moderation_page()
    assert any("Angemeldet als Frau Meier" in c.value for c in ok.caption)

    monkeypatch.delenv("KEK_MODERATION_PASSWORD")
    cache.settings.clear()
    locked = AppTest.from_file(APP, default_timeout=60).run()
    show_page(locked, "pages/notes_moderation.py")
    assert "Die Moderation ist gesperrt" in messages(locked)
    assert not locked.text_input


def test_five_wrong_passwords_lock_the_address_not_just_the_session(notes: NoteStore) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    show_page(at, "pages/notes_moderation.py")
    for _ in range(5):
        at.text_input[0].set_value("X")
        at.text_input[1].set_value("falsch")
        at.button[0].click().run()
    at.text_input[1].set_value(PASSWORD)
    at.button[0].click().run()
    assert "Zu viele Versuche" in messages(at)
    assert "moderator" not in at.session_state
    # a new session (a reload, another tab) from the same address is still locked
    fresh = AppTest.from_file(APP, default_timeout=60).run()
    show_page(fresh, "pages/notes_moderation.py")
    fresh.text_input[0].set_value("Frau Meier")
    fresh.text_input[1].set_value(PASSWORD)
    fresh.button[0].click().run()
    assert "Zu viele Versuche" in messages(fresh)
    assert "moderator" not in fresh.session_state


def test_new_sessions_from_one_address_share_a_larger_limit(
    notes: NoteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEK_NOTES_RATE", "1/600")  # a session: 1 note; an address: 6
    cache.settings.clear()
    address_limit.clear()
    for i in range(6):
        at = fill(give_page(), f"Hinweis {i}")  # a new session each time, like a kiosk reset
        assert "Danke" in messages(at), i
    at = fill(give_page(), "Noch einer")
    assert "schon" in messages(at)
    assert notes.count() == 6


def test_table_edits_become_moderation_steps(notes: NoteStore) -> None:
    from kek_geo.notes.model import make_note
    from kek_geo.ui import moderation
    from kek_geo.ui.notes import locator

    first, second = (
        notes.add(make_note(lon=HERFORD[0], lat=HERFORD[1], theme="bildung", kind="idee",
                            text=f"Hinweis {i}", locate=locator()))
        for i in (1, 2)
    )  # fmt: skip
    before = moderation.editable_table(notes.list(), "de")
    after = before.copy()
    after.loc[first.id, "Status"] = "freigegeben"
    after.loc[second.id, "Thema"] = "Mobilität"
    after.loc[second.id, "Art"] = "Risiko"
    edits = moderation.changes(before, after, "de")
    assert edits == {first.id: {"status": "freigegeben"},
                     second.id: {"theme": "mobilitaet", "kind": "risiko"}}  # fmt: skip
    assert moderation.apply_changes(edits, "Frau Meier") == 2
    assert [n.id for n in notes.list(statuses={"freigegeben"})] == [first.id]
    changed = notes.get(second.id)
    assert changed is not None and (changed.theme, changed.kind) == ("mobilitaet", "risiko")
    history = moderation.history_table(second.id, "de")
    assert history[["von", "Feld", "vorher", "nachher"]].values.tolist() == [
        ["Frau Meier", "Thema", "Bildung", "Mobilität"],
        ["Frau Meier", "Art", "Idee/Chance", "Risiko"],
    ]
