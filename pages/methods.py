"""Methodenblatt: one sheet per indicator, from the registry and the snapshot's manifest."""

from functools import partial

import streamlit as st

from kek_geo.export import THEMES
from kek_geo.i18n import t
from kek_geo.indicators import indicators_for
from kek_geo.methods import sheet_markdown
from kek_geo.ui import frame
from kek_geo.ui import methods as ui

frame.planner_only()
lang = frame.lang()
st.title(t("methods.title", lang))
st.write(t("methods.intro", lang))

titles = {key: t(f"nav.{key}", lang) for key in THEMES.values()}
pick, one = st.columns(2)
theme = pick.selectbox(
    t("methods.theme", lang),
    ["", *THEMES.values()],
    format_func=lambda k: titles.get(k, t("methods.all", lang)),
    key="methods_theme",
)
indicators = indicators_for(theme or None)
keys = tuple(ind.key for ind in indicators)
chosen = one.selectbox(
    t("methods.title", lang),
    keys,
    format_func=lambda k: next(i.name(lang) for i in indicators if i.key == k),
    key="methods_indicator",
)
st.download_button(
    t("methods.pdf", lang),
    data=partial(ui.pdf, keys, lang),
    file_name=f"kek-geo-methoden-{theme or 'alle'}.pdf",
    mime="application/pdf",
    key="methods_pdf",
    icon=":material/picture_as_pdf:",
)
current = ui.sheet(chosen, lang)
st.subheader(current.name)
st.markdown(sheet_markdown(current, lang))
