"""Kiosk "Was heißt das für meinen Ort?": tap a municipality, read each story for it."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.kiosk import names_by_ags, place_text, stories_with_data
from kek_geo.ui import frame, kiosk
from kek_geo.ui.mapview import show_map
from kek_geo.ui_state import apply_map_click

lang = kiosk.top_bar(t("kiosk.place_title", frame.lang()))
table = kiosk.story_table()
names = names_by_ags(table)
st.write(t("kiosk.place_intro", lang))

st.session_state.setdefault("kiosk_place_seen", "")
map_col, list_col = st.columns([3, 2])
with map_col:
    value = show_map(
        kiosk.place_payload(lang), height=560, returned_objects=("last_active_drawing",)
    )
chosen, seen = apply_map_click(
    st.session_state.get(kiosk.PLACE_KEY), st.session_state["kiosk_place_seen"], value, set(names)
)
st.session_state["kiosk_place_seen"] = seen
st.session_state[kiosk.PLACE_KEY] = chosen

with list_col:
    buttons = st.columns(3)
    for i, (ags, name) in enumerate(names.items()):
        buttons[i % 3].button(
            name,
            key=f"kiosk_place_{ags}",
            type="primary" if ags == chosen else "secondary",
            use_container_width=True,
            on_click=kiosk.choose_place,
            args=(ags,),
        )
    if chosen is not None and chosen in names:
        st.header(names[chosen])
        for story in stories_with_data(table):
            with st.container(border=True):
                st.markdown(
                    f"**{story.question(lang)}**  \n{place_text(story, table, chosen, lang)}"
                )
                if st.button(
                    t("kiosk.place_story", lang), key=f"kiosk_place_open_{story.key}",
                    icon=":material/map:",
                ):  # fmt: skip
                    kiosk.open_story(story.key)
