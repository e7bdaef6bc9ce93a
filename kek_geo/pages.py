"""The app's pages: one list that the navigation and the tests both read.

A page is registered only in the modes it lists: the public kiosk (``KEK_MODE=kiosk``) gets its
start screen, the stories, the notes form and the public notes map, and nothing else, so the
paths of planner pages simply lead to the kiosk's start screen there.
"""

from __future__ import annotations

from dataclasses import dataclass

from kek_geo.settings import REPO_ROOT


@dataclass(frozen=True)
class PageSpec:
    """One page of the app.

    Attributes
    ----------
    path
        Script path relative to the repository root.
    title_key
        Text key of the title (see :mod:`kek_geo.i18n`).
    url_path
        Stable URL path, independent of the language.
    icon
        Material icon (the font ships with Streamlit, so it shows offline too).
    section
        Text key of the navigation section.
    default
        True for the start page (of each mode it is in).
    has_map
        True if the page shows a map (the end-to-end test waits for it to draw).
    modes
        Modes in which the page exists (see :data:`kek_geo.settings.MODES`).
    """

    path: str
    title_key: str
    url_path: str
    icon: str
    section: str
    default: bool = False
    has_map: bool = True
    modes: tuple[str, ...] = ("planner",)

    @property
    def file(self) -> str:
        """Absolute path of the script."""
        return str(REPO_ROOT / self.path)


BOTH = ("planner", "kiosk")
KIOSK = ("kiosk",)

PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "pages/overview.py",
        "nav.overview",
        "uebersicht",
        ":material/map:",
        "nav.section.start",
        default=True,
    ),
    PageSpec(
        "pages/services.py",
        "nav.services",
        "daseinsvorsorge",
        ":material/local_grocery_store:",
        "nav.section.themes",
    ),
    PageSpec(
        "pages/mobility.py",
        "nav.mobility",
        "mobilitaet",
        ":material/directions_bus:",
        "nav.section.themes",
    ),
    PageSpec(
        "pages/broadband.py", "nav.broadband", "breitband", ":material/wifi:", "nav.section.themes"
    ),
    PageSpec(
        "pages/education.py", "nav.education", "bildung", ":material/school:", "nav.section.themes"
    ),
    PageSpec(
        "pages/settlement.py",
        "nav.settlement",
        "siedlung",
        ":material/holiday_village:",
        "nav.section.themes",
    ),
    PageSpec(
        "pages/demography.py",
        "nav.demography",
        "demografie",
        ":material/elderly:",
        "nav.section.themes",
    ),
    PageSpec(
        "pages/synthesis.py",
        "nav.synthesis",
        "gesamtbild",
        ":material/layers:",
        "nav.section.themes",
    ),
    PageSpec(
        "pages/profile.py",
        "nav.profile",
        "steckbrief",
        ":material/badge:",
        "nav.section.workshop",
        has_map=False,
    ),
    PageSpec(
        "pages/comparison.py",
        "nav.comparison",
        "vergleich",
        ":material/table_chart:",
        "nav.section.workshop",
        has_map=False,
    ),
    PageSpec(
        "pages/scenarios.py",
        "nav.scenarios",
        "szenarien",
        ":material/compare:",
        "nav.section.scenarios",
    ),
    PageSpec(
        "pages/scenario_edit.py",
        "nav.scenario_edit",
        "szenario-bearbeiten",
        ":material/edit_location_alt:",
        "nav.section.scenarios",
    ),
    PageSpec(
        "pages/notes_give.py",
        "nav.notes_give",
        "hinweis-geben",
        ":material/add_location_alt:",
        "nav.section.participation",
        modes=BOTH,
    ),
    PageSpec(
        "pages/notes_public.py",
        "nav.notes_public",
        "hinweise",
        ":material/forum:",
        "nav.section.participation",
        modes=BOTH,
    ),
    PageSpec(
        "pages/notes_moderation.py",
        "nav.notes_moderation",
        "moderation",
        ":material/fact_check:",
        "nav.section.participation",
        has_map=False,
    ),
    PageSpec(
        "pages/methods.py",
        "nav.methods",
        "methoden",
        ":material/menu_book:",
        "nav.section.info",
        has_map=False,
    ),
    PageSpec(
        "pages/about.py", "nav.about", "daten", ":material/info:", "nav.section.info", has_map=False
    ),
    PageSpec(
        "pages/kiosk_start.py",
        "nav.kiosk_start",
        "start",
        ":material/home:",
        "nav.section.start",
        default=True,
        has_map=False,
        modes=KIOSK,
    ),
    PageSpec(
        "pages/kiosk_story.py",
        "nav.kiosk_story",
        "frage",
        ":material/help:",
        "nav.section.start",
        modes=KIOSK,
    ),
    PageSpec(
        "pages/kiosk_place.py",
        "nav.kiosk_place",
        "mein-ort",
        ":material/location_city:",
        "nav.section.start",
        modes=KIOSK,
    ),
)


def pages_for(mode: str) -> list[PageSpec]:
    """The pages registered in a mode, in order.

    Parameters
    ----------
    mode
        ``"planner"`` or ``"kiosk"``.

    Returns
    -------
    list of PageSpec
        The pages.
    """
    return [page for page in PAGES if mode in page.modes]


def page_sections(mode: str = "planner") -> dict[str, list[PageSpec]]:
    """The pages of a mode grouped by navigation section, in order.

    Parameters
    ----------
    mode
        ``"planner"`` or ``"kiosk"``.

    Returns
    -------
    dict
        Section text key → pages.
    """
    sections: dict[str, list[PageSpec]] = {}
    for page in pages_for(mode):
        sections.setdefault(page.section, []).append(page)
    return sections
