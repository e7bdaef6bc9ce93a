"""Maps of citizen notes: where a visitor taps to place a note, and the approved notes.

Pure (folium, no Streamlit). A note's text is never put into the map as markup: the popup is
built in the browser with ``textContent`` from JSON escaped for a ``<script>``
(:func:`kek_geo.maps.script_json`), so ``<script>`` or ``<img onerror=…>`` in a note is shown
as the characters the visitor typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import folium
from branca.element import MacroElement
from jinja2 import Template

from kek_geo.i18n import register_texts, t
from kek_geo.indicators.registry import LayerSource
from kek_geo.jsonscript import script_json
from kek_geo.maps import Legend
from kek_geo.notes.model import KINDS, THEMES, Note, label
from kek_geo.notes.summary import local_time
from kek_geo.settings import Settings
from kek_geo.thematic import district_map, municipal_borders

register_texts(
    {
        "notes.map_layer": ("Hinweise", "Notes"),
        "notes.legend": ("Hinweise nach Art", "Notes by kind"),
        "notes.legend_note": (
            "Zahlen in Kreisen: mehrere Hinweise dicht beieinander – antippen zum Vergrößern.",
            "Numbers in circles: several notes close together – tap to zoom in.",
        ),
    }
)

#: Colour of each kind of note (strength green, weakness red, idea blue, risk orange).
KIND_COLOURS = {
    "staerke": "#1a9850",
    "schwaeche": "#d73027",
    "idee": "#2166ac",
    "risiko": "#b35806",
}


class NoteClusters(MacroElement):
    """Notes as coloured points, clustered where they crowd, each with a text popup.

    Leaflet.markercluster is loaded from the app's static files. The popups are built with
    ``textContent``, never from HTML.

    Parameters
    ----------
    rows
        ``[lat, lon, colour, heading, text, footer]`` per note.
    static_url
        URL of the app's static files.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var group = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40});
            function el(tag, text, css) {
                var node = document.createElement(tag);
                node.textContent = text;
                if (css) { node.style.cssText = css; }
                return node;
            }
            {{ this.rows_json }}.forEach(function (r) {
                var box = document.createElement("div");
                box.style.cssText = "white-space:pre-wrap;overflow-wrap:break-word";
                box.appendChild(el("b", r[3]));
                box.appendChild(el("div", r[4], "margin:4px 0"));
                box.appendChild(el("small", r[5], "color:#555"));
                group.addLayer(L.circleMarker([r[0], r[1]], {
                    radius: 9, color: "#fff", weight: 2, fillColor: r[2], fillOpacity: 0.95
                }).bindPopup(box, {minWidth: 220, maxWidth: 340}));
            });
            map.addLayer(group);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, rows: Sequence[Sequence[object]], static_url: str) -> None:
        super().__init__()
        self._name = "NoteClusters"
        self.rows_json = script_json([list(r) for r in rows])
        base = static_url.rstrip("/") + "/leaflet-markercluster"
        self.default_js = [("markercluster_js", f"{base}/leaflet.markercluster.js")]
        self.default_css = [
            ("markercluster_css", f"{base}/MarkerCluster.css"),
            ("markercluster_default_css", f"{base}/MarkerCluster.Default.css"),
        ]


def note_rows(notes: Sequence[Note], lang: str, names: Mapping[str, str]) -> list[list[object]]:
    """One marker row per note: position, colour of its kind, heading, text and footer.

    Parameters
    ----------
    notes
        The notes.
    lang
        Language.
    names
        Municipality names by AGS.

    Returns
    -------
    list
        ``[lat, lon, colour, heading, text, footer]`` per note (plain text, not escaped:
        the browser inserts it as text).
    """
    return [
        [
            n.lat,
            n.lon,
            KIND_COLOURS.get(n.kind, "#777777"),
            f"{label(KINDS, n.kind, lang)} · {label(THEMES, n.theme, lang)}",
            n.text,
            f"{names.get(n.gemeinde_ags, n.gemeinde_ags)}, {local_time(n)[:10]}",
        ]
        for n in notes
    ]


def map_key(notes: Sequence[Note]) -> tuple[tuple[str, str], ...]:
    """What the public map of these notes depends on, small enough to hash on every rerun.

    Parameters
    ----------
    notes
        The notes shown.

    Returns
    -------
    tuple
        ``(id, theme + kind + time of the last moderation)`` per note.
    """
    return tuple((n.id, f"{n.theme}{n.kind}{n.moderated_at}") for n in notes)


def kind_legend(lang: str) -> Legend:
    """Legend of the note colours."""
    entries = [(KIND_COLOURS[k], label(KINDS, k, lang)) for k in KINDS]
    return Legend(t("notes.legend", lang), entries, t("notes.legend_note", lang))


def pick_map(source: LayerSource, settings: Settings, lang: str) -> folium.Map:
    """The map a visitor taps to place a note: municipalities outlined and named.

    Nothing on it catches a tap, so every tap reaches the map as a place.

    Parameters
    ----------
    source
        Snapshot.
    settings
        Settings.
    lang
        Language.

    Returns
    -------
    folium.Map
        The map.
    """
    m = district_map(source, settings, lang)
    municipal_borders(source, m, lang)
    return m


def notes_map(
    source: LayerSource,
    settings: Settings,
    notes: Sequence[Note],
    lang: str,
    names: Mapping[str, str],
) -> folium.Map:
    """The approved notes on the district map, clustered, with a legend of the kinds.

    Parameters
    ----------
    source
        Snapshot.
    settings
        Settings.
    notes
        The notes to show (the page passes the approved ones only).
    lang
        Language.
    names
        Municipality names by AGS.

    Returns
    -------
    folium.Map
        The map.
    """
    m = pick_map(source, settings, lang)
    m.add_child(NoteClusters(note_rows(notes, lang, names), settings.static_url))
    m.add_child(kind_legend(lang))
    return m
