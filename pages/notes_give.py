"""Hinweis geben: a visitor places a note on the map (planners' app and kiosk)."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.kiosk import note_theme_for
from kek_geo.ui import cache, frame, kiosk
from kek_geo.ui.notes import note_form

settings = cache.settings()
if settings.kiosk:
    lang = kiosk.top_bar(t("notes.give.title", frame.lang()))
else:
    lang = frame.lang()
    st.title(t("notes.give.title", lang))
st.write(t("notes.give.intro", lang))
theme = note_theme_for(st.session_state.get("kiosk_story"), "") or None
note_form(lang, kiosk=settings.kiosk, theme=theme)
