"""KEK Geo: entry point. Sets up the page frame and the navigation; pages do the rest."""

import streamlit as st

from kek_geo.errors import KekGeoError
from kek_geo.i18n import md_escape, t
from kek_geo.pages import page_sections
from kek_geo.ui import cache, frame

st.set_page_config(page_title="KEK Geo – Kreis Herford", page_icon="🗺️", layout="wide")

settings = cache.settings()
frame.init_session(settings)
lang = frame.language_toggle()

try:
    cache.warm_up(("population",))
except KekGeoError as exc:
    st.error(f"{t('data.error', lang)}: {md_escape(str(exc))}")
    st.info(t("data.error_hint", lang))
    st.stop()

sections = {
    t(section, lang): [
        st.Page(
            page.path,
            title=t(page.title_key, lang),
            icon=page.icon,
            url_path=page.url_path,
            default=page.default,
        )
        for page in pages
    ]
    for section, pages in page_sections().items()
}
st.navigation(sections).run()
