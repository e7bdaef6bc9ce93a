"""Hinweise der Bürger: the approved notes on the map, counted per municipality and theme."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.ui import cache, frame, kiosk
from kek_geo.ui.notes import public_view

settings = cache.settings()
if settings.kiosk:
    lang = kiosk.top_bar(t("notes.public.title", frame.lang()))
else:
    lang = frame.lang()
    st.title(t("notes.public.title", lang))
st.write(t("notes.public.intro", lang))
public_view(lang, height=720 if settings.kiosk else 560, kiosk=settings.kiosk)
frame.map_caption(cache.snapshot(), ("gemeinden", "neighbours_display"), settings)
