"""The moderation page's logic: sign-in with the configured password, the editable list."""

from __future__ import annotations

import hmac
import time
from typing import Any

import pandas as pd
import streamlit as st

from kek_geo.i18n import register_texts, t
from kek_geo.limits import SlidingWindow
from kek_geo.notes import interchange
from kek_geo.notes.model import KINDS, STATUSES, THEMES, Note, NoteError, label, moderator_name
from kek_geo.notes.summary import COLUMNS, header, notes_table
from kek_geo.ui import cache
from kek_geo.ui.notes import approved_notes, client_address, gemeinde_names
from kek_geo.ui.store import note_store

register_texts(
    {
        "moderation.title": ("Hinweise moderieren", "Moderate notes"),
        "moderation.intro": (
            "Neue Hinweise sind öffentlich erst sichtbar, wenn sie hier freigegeben sind. "
            "Ändern Sie Status, Thema oder Art in der Tabelle und speichern Sie; wer wann was "
            "geändert hat, bleibt im Verlauf.",
            "New notes become public only once approved here. Change status, topic or kind in "
            "the table and save; who changed what and when stays in the history.",
        ),
        "moderation.locked": (
            "Die Moderation ist gesperrt: es ist kein Passwort eingerichtet. Setzen Sie "
            "KEK_MODERATION_PASSWORD oder moderation_password in .streamlit/secrets.toml und "
            "starten Sie die App neu.",
            "Moderation is locked: no password is configured. Set KEK_MODERATION_PASSWORD or "
            "moderation_password in .streamlit/secrets.toml and restart the app.",
        ),
        "moderation.password": ("Passwort", "Password"),
        "moderation.name": ("Ihr Name (steht im Verlauf)", "Your name (kept in the history)"),
        "moderation.sign_in": ("Anmelden", "Sign in"),
        "moderation.sign_out": ("Abmelden", "Sign out"),
        "moderation.wrong": ("Passwort oder Name falsch.", "Wrong password or name."),
        "moderation.wait": (
            "Zu viele Versuche. Bitte warten Sie eine Minute.",
            "Too many attempts. Please wait a minute.",
        ),
        "moderation.signed_in": ("Angemeldet als {name}", "Signed in as {name}"),
        "moderation.status": ("Status", "Status"),
        "moderation.all": ("alle", "all"),
        "moderation.gemeinde": ("Gemeinde", "Municipality"),
        "moderation.all_gemeinden": ("alle Gemeinden", "all municipalities"),
        "moderation.none": ("Keine Hinweise in dieser Auswahl.", "No notes in this selection."),
        "moderation.save": ("Änderungen speichern", "Save changes"),
        "moderation.refresh": ("Neue Hinweise laden", "Load new notes"),
        "moderation.saved": ("{n} Hinweise geändert.", "{n} notes changed."),
        "moderation.history": ("Verlauf eines Hinweises", "History of a note"),
        "moderation.history_none": ("Noch nicht moderiert.", "Not moderated yet."),
        "moderation.download": ("Alle Hinweise herunterladen", "Download every note"),
        "moderation.geojson": ("GeoJSON (zum Import)", "GeoJSON (for import)"),
        "moderation.csv": ("CSV (Excel)", "CSV (Excel)"),
        "moderation.col.when": ("Zeit", "Time"),
        "moderation.col.by": ("von", "by"),
        "moderation.col.field": ("Feld", "Field"),
        "moderation.col.old": ("vorher", "before"),
        "moderation.col.new": ("nachher", "after"),
    }
)

#: Failed sign-ins allowed per client address within :data:`LOCK_S` seconds.
MAX_ATTEMPTS = 5
#: Failed sign-ins allowed from all addresses together within :data:`LOCK_S` seconds.
MAX_ATTEMPTS_ALL = 20
#: Length of the window of failed sign-ins (seconds).
LOCK_S = 60.0
#: Pause after a failed sign-in (seconds), so guessing is slow even below the limits.
FAILURE_PAUSE_S = 1.0
MODERATOR_KEY = "moderator"
#: Editable columns and their choices.
EDITABLE = {"status": STATUSES, "theme": THEMES, "kind": KINDS}


def password_ok(given: str, configured: str) -> bool:
    """Whether a typed password matches the configured one (constant time; empty never does).

    Parameters
    ----------
    given
        What was typed.
    configured
        The configured password.

    Returns
    -------
    bool
        True only for a non-empty, exactly matching password.
    """
    if not configured:
        return False
    return hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8"))


def configured_password() -> str:
    """The moderation password (empty: moderation is locked).

    ``KEK_MODERATION_PASSWORD``, else ``moderation_password`` in ``st.secrets``.
    """
    password = cache.settings().moderation_password
    if password:
        return password
    try:
        return str(st.secrets.get("moderation_password", ""))
    except FileNotFoundError:  # no secrets file at all
        return ""


def sign_in(lang: str) -> str | None:
    """The moderator's name once signed in; otherwise shows the sign-in form.

    Parameters
    ----------
    lang
        Language.

    Returns
    -------
    str or None
        The name, ``None`` while not signed in.
    """
    if name := st.session_state.get(MODERATOR_KEY):
        return str(name)
    configured = configured_password()
    if not configured:
        st.warning(t("moderation.locked", lang), icon=":material/lock:")
        return None
    with st.form("moderation_sign_in"):
        name = st.text_input(t("moderation.name", lang), max_chars=200)
        password = st.text_input(t("moderation.password", lang), type="password")
        submitted = st.form_submit_button(t("moderation.sign_in", lang), type="primary")
    if submitted:
        _attempt(name, password, configured, lang)
    return st.session_state.get(MODERATOR_KEY)


@st.cache_resource(show_spinner=False)
def failed_sign_ins() -> tuple[SlidingWindow, SlidingWindow]:
    """Failed sign-ins of this server process: per client address, and all together.

    Kept outside the session, so a reload or a new tab does not start the count again.
    """
    return SlidingWindow(MAX_ATTEMPTS, LOCK_S), SlidingWindow(MAX_ATTEMPTS_ALL, LOCK_S)


def _attempt(name: str, password: str, configured: str, lang: str) -> None:
    now = time.monotonic()
    per_address, everyone = failed_sign_ins()
    address = client_address()
    if not (per_address.allowed(address, now) and everyone.allowed("all", now)):
        st.error(t("moderation.wait", lang))
        return
    try:
        who = moderator_name(name)
    except NoteError:
        who = ""
    if who and password_ok(password, configured):
        st.session_state[MODERATOR_KEY] = who
        st.rerun()
    per_address.record(address, now)
    everyone.record("all", now)
    time.sleep(FAILURE_PAUSE_S)
    st.error(t("moderation.wrong", lang))


VIEW_KEY = "moderation_view"


def shown_notes(statuses: set[str] | None, gemeinde: str | None, refresh: bool) -> list[Note]:
    """The notes of the moderation table, the same ones until the moderator asks for more.

    The table's rows must not change under the moderator's hands (a new note, or another
    moderator's change moving a note out of the filter): which notes are shown is kept in
    the session and re-read only when the filter changes, after saving, or on ``refresh``.

    Parameters
    ----------
    statuses, gemeinde
        The filter.
    refresh
        Read which notes match the filter again.

    Returns
    -------
    list of Note
        The notes, with their current values.
    """
    wanted = (tuple(sorted(statuses or ())), gemeinde)
    view = st.session_state.get(VIEW_KEY)
    if refresh or view is None or view[0] != wanted:
        ids = tuple(n.id for n in note_store().list(statuses=statuses, gemeinde=gemeinde))
        version = (view[2] + 1) if view else 0
        st.session_state[VIEW_KEY] = view = (wanted, ids, version)
    return note_store().list(ids=view[1]) if view[1] else []


def view_version() -> int:
    """Changes whenever the table's rows change (keys the table widget)."""
    view = st.session_state.get(VIEW_KEY)
    return int(view[2]) if view else 0


def sign_out() -> None:
    """Forget the moderator of this session."""
    st.session_state.pop(MODERATOR_KEY, None)


def editable_table(notes: list[Note], lang: str) -> pd.DataFrame:
    """The notes for ``st.data_editor``: status, theme and kind as labels, the rest as text."""
    return notes_table(notes, lang, gemeinde_names()).set_index(header("id", lang))


def column_config(lang: str) -> dict[str, Any]:
    """``st.data_editor`` columns: choices for status, theme and kind; coordinates hidden."""
    config: dict[str, Any] = {
        header(field, lang): st.column_config.SelectboxColumn(
            header(field, lang),
            options=[label(choices, k, lang) for k in choices],
            required=True,
        )
        for field, choices in EDITABLE.items()
    }
    config[header("text", lang)] = st.column_config.TextColumn(width="large")
    config[header("lon", lang)] = None
    config[header("lat", lang)] = None
    return config


def read_only_columns(lang: str) -> list[str]:
    """Every column but status, theme and kind."""
    editable = {header(field, lang) for field in EDITABLE}
    return [header(c, lang) for c in COLUMNS if c != "id" and header(c, lang) not in editable]


def changes(before: pd.DataFrame, after: pd.DataFrame, lang: str) -> dict[str, dict[str, str]]:
    """What the moderator changed in the table, as keys per note id.

    Parameters
    ----------
    before, after
        The table as shown and as edited (index: note id).
    lang
        Language of the labels.

    Returns
    -------
    dict
        Note id → ``{"status": key, "theme": key, "kind": key}`` of the changed fields.
    """
    out: dict[str, dict[str, str]] = {}
    for field, choices in EDITABLE.items():
        column = header(field, lang)
        keys = {label(choices, k, lang): k for k in choices}
        differs = before[column] != after[column]
        for note_id, value in after.loc[differs, column].items():
            if value in keys:
                out.setdefault(str(note_id), {})[field] = keys[value]
    return out


def apply_changes(edits: dict[str, dict[str, str]], moderator: str) -> int:
    """Store the moderator's changes, one transaction per note (who and when kept).

    Parameters
    ----------
    edits
        From :func:`changes`.
    moderator
        The moderator's name.

    Returns
    -------
    int
        Notes changed.
    """
    store = note_store()
    for note_id, fields in edits.items():
        store.moderate(note_id, by=moderator, **fields)
    approved_notes.clear()  # the public map shows the change at once
    return len(edits)


def history_table(note_id: str, lang: str) -> pd.DataFrame:
    """The moderation history of a note as a table."""
    rows = [
        {
            t("moderation.col.when", lang): c.changed_at.strftime("%Y-%m-%d %H:%M UTC"),
            t("moderation.col.by", lang): c.changed_by,
            t("moderation.col.field", lang): header(c.field, lang),
            t("moderation.col.old", lang): label(EDITABLE[c.field], c.old, lang),
            t("moderation.col.new", lang): label(EDITABLE[c.field], c.new, lang),
        }
        for c in note_store().history(note_id)
    ]
    return pd.DataFrame(rows)


def note_choice_label(note: Note, lang: str) -> str:
    """One line naming a note in a list (plain text: option labels are not Markdown)."""
    place = gemeinde_names().get(note.gemeinde_ags, note.gemeinde_ags)
    start = note.text if len(note.text) <= 60 else note.text[:59] + "…"
    return f"{place} · {label(KINDS, note.kind, lang)} · {start}".replace("\n", " ")


def downloads(lang: str) -> None:
    """Download buttons for every note: the interchange GeoJSON and a CSV for Excel."""
    notes = note_store().list()
    st.markdown(f"**{t('moderation.download', lang)}**")
    left, right = st.columns(2)
    left.download_button(
        t("moderation.geojson", lang),
        interchange.dumps(notes).encode("utf-8"),
        file_name="kek-geo-hinweise.geojson",
        mime="application/geo+json",
        key="moderation_geojson",
    )
    right.download_button(
        t("moderation.csv", lang),
        interchange.notes_csv(notes, lang, gemeinde_names()),
        file_name="kek-geo-hinweise.csv",
        mime="text/csv",
        key="moderation_csv",
    )
