"""Kiosk story: one question, its big figure, two or three sentences and the map."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.indicators import REGISTRY
from kek_geo.kiosk import story_text
from kek_geo.ui import cache, frame, kiosk
from kek_geo.ui.mapview import show_map
from kek_geo.ui.theme import theme_payload

story = kiosk.chosen_story()
lang = kiosk.top_bar(story.question(frame.lang()))
text = story_text(story, kiosk.story_table(), lang)

figure, words = st.columns([2, 3], vertical_alignment="center")
with figure:
    kiosk.figure(text.figure, text.figure_label)
words.write(text.text)

note, other, place = st.columns(3)
if note.button(
    t("kiosk.note_on_story", lang), key="kiosk_story_note", icon=":material/add_location_alt:",
    type="primary", use_container_width=True,
):  # fmt: skip
    st.switch_page(kiosk.NOTE_PAGE)
if other.button(
    t("kiosk.other_question", lang), key="kiosk_story_other", icon=":material/help:",
    use_container_width=True,
):  # fmt: skip
    st.switch_page(kiosk.START)
if place.button(
    t("kiosk.place", lang), key="kiosk_story_place", icon=":material/location_city:",
    use_container_width=True,
):  # fmt: skip
    st.switch_page(kiosk.PLACE_PAGE)

payload, layers = theme_payload(story.theme, story.indicator, (), lang)
show_map(payload, height=640)
date = REGISTRY[story.indicator].data_date(cache.snapshot(), lang)
st.caption(t("kiosk.as_of", lang, date=date))
frame.map_caption(cache.snapshot(), layers, cache.settings())
