"""Kiosk start screen: questions to the map with their big figure, "my town", taking part."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.kiosk import idle_text, stories_with_data, story_text
from kek_geo.ui import cache, frame, kiosk

title = t("kiosk.title", frame.lang(), kreis=cache.snapshot().district.name)
lang = kiosk.top_bar(title, home=False)
st.write(t("kiosk.intro", lang))

table = kiosk.story_table()
st.subheader(t("kiosk.questions", lang))
for i, story in enumerate(stories_with_data(table)):
    if i % 2 == 0:  # two cards a row, of one height, their buttons at the foot
        columns = st.columns(2)
    text = story_text(story, table, lang)
    with columns[i % 2].container(border=True, height="stretch", vertical_alignment="distribute"):
        kiosk.figure(text.figure, text.figure_label)
        if st.button(
            story.question(lang),
            key=f"kiosk_open_{story.key}",
            icon=story.icon,
            type="primary",
            use_container_width=True,
        ):
            kiosk.open_story(story.key)

st.subheader(t("kiosk.more", lang))
place, give, read = st.columns(3)
if place.button(
    t("kiosk.place", lang), key="kiosk_place_button", icon=":material/location_city:",
    use_container_width=True,
):  # fmt: skip
    st.switch_page(kiosk.PLACE_PAGE)
if give.button(
    t("kiosk.give_note", lang), key="kiosk_give_note", icon=":material/add_location_alt:",
    use_container_width=True,
):  # fmt: skip
    st.session_state.pop(kiosk.STORY_KEY, None)
    st.switch_page(kiosk.NOTE_PAGE)
if read.button(
    t("kiosk.see_notes", lang), key="kiosk_see_notes", icon=":material/forum:",
    use_container_width=True,
):  # fmt: skip
    st.switch_page(kiosk.NOTES_PAGE)

st.caption(idle_text(cache.settings().kiosk_idle_s, lang))
