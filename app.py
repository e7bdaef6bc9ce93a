"""KEK Geo: entry point. Sets up the page frame and the navigation; pages do the rest.

The mode is the operator's choice on the server (``KEK_MODE``, ``kek-geo serve --kiosk``):
in the kiosk only the kiosk's pages are registered and the navigation is hidden, so nothing
in the browser leads to the planners' pages.
"""

import streamlit as st

from kek_geo.errors import KekGeoError
from kek_geo.i18n import md_escape, t
from kek_geo.pages import page_sections
from kek_geo.ui import cache, frame, kiosk, map_first

st.set_page_config(
    page_title="KEK Geo",
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="collapsed" if cache.settings().kiosk else "auto",
)

settings = cache.settings()
map_first.begin_run(enabled=not settings.kiosk)
frame.init_session(settings)
if settings.kiosk:
    kiosk.kiosk_frame(settings)
    lang = frame.lang()
else:
    frame.planner_frame()
    lang = frame.language_toggle()

try:
    cache.warm_up(("population",))
    district = cache.snapshot().district
except KekGeoError as exc:
    if settings.kiosk:  # visitors see no file names; the operator reads the server log
        st.error(t("kiosk.unavailable", lang))
        raise
    st.error(f"{t('data.error', lang)}: {md_escape(str(exc))}")
    st.info(t("data.error_hint", lang))
    st.stop()
# the browser tab names the district of the loaded snapshot
st.set_page_config(page_title=t("app.title", lang, kreis=district.name))

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
    for section, pages in page_sections(settings.mode).items()
}
# expanded: every page listed (by default the sidebar hides pages beyond the tenth)
st.navigation(sections, position="hidden" if settings.kiosk else "sidebar", expanded=True).run()
