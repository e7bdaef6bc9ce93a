"""The app's pages: one list that the navigation and the tests both read."""

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
        True for the start page.
    has_map
        True if the page shows a map (the end-to-end test waits for it to draw).
    """

    path: str
    title_key: str
    url_path: str
    icon: str
    section: str
    default: bool = False
    has_map: bool = True

    @property
    def file(self) -> str:
        """Absolute path of the script."""
        return str(REPO_ROOT / self.path)


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
        "pages/about.py", "nav.about", "daten", ":material/info:", "nav.section.info", has_map=False
    ),
)


def page_sections() -> dict[str, list[PageSpec]]:
    """Pages grouped by navigation section, in order.

    Returns
    -------
    dict
        Section text key → pages.
    """
    sections: dict[str, list[PageSpec]] = {}
    for page in PAGES:
        sections.setdefault(page.section, []).append(page)
    return sections
