"""Map sheets for council papers: A4 landscape, drawn with matplotlib from the page's own map.

The folium map a page shows (:mod:`kek_geo.export.content`) is read back layer by layer: its
GeoJSON and the colours its style functions give each feature, its point markers, its
legends and its place names. So the sheet is the page's map on paper, with what a printed
map needs besides: title, the municipality, key figures beside the district, legend, scale
bar, north arrow, sources with licences and data dates, and the scenario's name if any. No
browser is needed.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import folium
import geopandas as gpd
import matplotlib.colors
import shapely
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, Rectangle

from kek_geo.district import district_key
from kek_geo.export.content import ThemeContent
from kek_geo.i18n import fmt_number, register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.maps import Labels, Legend
from kek_geo.settings import ANALYSIS_CRS, DISPLAY_CRS

register_texts(
    {
        "sheet.key_figures": ("Kennzahlen", "Key figures"),
        "sheet.kreis": ("Kreis", "District"),
        "sheet.sources": ("Quellen", "Sources"),
        "sheet.as_of": ("Stand der Daten", "Data as of"),
        "sheet.scenario": ("Szenario", "Scenario"),
        "sheet.made": (
            "Erstellt mit KEK Geo am {day}. Werte bei den Vorgabe-Schwellenwerten.",
            "Made with KEK Geo on {day}. Values at the default thresholds.",
        ),
        "sheet.made_changed": (
            "Erstellt mit KEK Geo am {day}. Geänderte Schwellenwerte: {thresholds}.",
            "Made with KEK Geo on {day}. Changed thresholds: {thresholds}.",
        ),
    }
)

#: A4 landscape in inches.
A4_LANDSCAPE = (11.69, 8.27)
#: Pixels per inch of the PNG (A4 landscape at 150 dpi: 1754 × 1240 pixels).
PNG_DPI = 150
#: Share of the extent added around a municipality.
MARGIN = 0.12
#: Typographic points per CSS pixel.
PT_PER_PX = 0.75


@dataclass(frozen=True)
class Drawn:
    """One layer of the folium map, in metres, with a colour per feature."""

    frame: gpd.GeoDataFrame
    points: bool
    name: str


def _features(layer: folium.GeoJson) -> Iterator[dict[str, Any]]:
    data = layer.data
    yield from data.get("features", []) if isinstance(data, dict) else []


def _style(layer: folium.GeoJson, feature: dict[str, Any]) -> dict[str, Any]:
    function = getattr(layer, "style_function", None)
    return dict(function(feature)) if callable(function) else {}


def _marker_style(layer: folium.GeoJson) -> dict[str, Any]:
    marker = getattr(layer, "marker", None)
    return dict(marker.options) if marker is not None else {}


def read_layers(m: folium.Map) -> list[Drawn]:
    """The map's GeoJSON layers in drawing order, projected to metres, with their colours.

    Parameters
    ----------
    m
        A folium map built by a page.

    Returns
    -------
    list of Drawn
        Polygon layers with ``fill``, ``edge``, ``width``; point layers with ``fill``,
        ``edge``, ``size`` (points²).
    """
    drawn: list[Drawn] = []
    for child in m._children.values():
        if not isinstance(child, folium.GeoJson):
            continue
        marker = _marker_style(child)
        rows = []
        for feature in _features(child):
            if not feature.get("geometry"):
                continue
            style = {**marker, **_style(child, feature)}
            fill = style.get("fillColor", "#3388ff")
            stroke = style.get("color", "#3388ff")
            radius = float(style.get("radius", 4.0))
            rows.append(
                {
                    "geometry": shapely.geometry.shape(feature["geometry"]),
                    "fill": to_rgba(fill, float(style.get("fillOpacity", 0.2))),
                    "edge": to_rgba(stroke, float(style.get("opacity", 1.0))),
                    "width": float(style.get("weight", 1.0)) * PT_PER_PX,
                    "size": (2 * radius * PT_PER_PX) ** 2,
                }
            )
        if not rows:
            continue
        frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=DISPLAY_CRS).to_crs(ANALYSIS_CRS)
        points = bool((frame.geom_type == "Point").all())
        drawn.append(Drawn(frame, points=points, name=str(child.layer_name or "")))
    return drawn


def _legends(m: folium.Map) -> list[Legend]:
    return [c for c in m._children.values() if isinstance(c, Legend)]


def _labels(m: folium.Map) -> list[tuple[float, float, str]]:
    places: list[tuple[float, float, str]] = []
    for child in m._children.values():
        if isinstance(child, Labels):
            places.extend(child.places)
    return places


def draw_map(ax: Axes, m: folium.Map) -> None:
    """Draw a folium map's layers and place names on matplotlib axes (in metres)."""
    for layer in read_layers(m):
        frame = layer.frame
        if layer.points:
            xs, ys = frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()
            ax.scatter(
                xs, ys, s=list(frame["size"]), c=list(frame["fill"]),
                edgecolors=list(frame["edge"]), linewidths=0.4, zorder=3,
            )  # fmt: skip
        else:
            frame.plot(
                ax=ax, color=list(frame["fill"]), edgecolor=list(frame["edge"]),
                linewidth=list(frame["width"]), zorder=2,
            )  # fmt: skip
    places = _labels(m)
    if places:
        points = gpd.GeoSeries(
            [shapely.Point(lon, lat) for lat, lon, _ in places], crs=DISPLAY_CRS
        ).to_crs(ANALYSIS_CRS)
        for point, (_, _, name) in zip(points, places, strict=True):
            ax.annotate(
                name, (point.x, point.y), ha="center", va="center", fontsize=8.5,
                fontweight="bold", color="#1a1a1a", zorder=5, annotation_clip=True,
                path_effects=[_halo()],
            )  # fmt: skip


def _halo() -> Any:
    from matplotlib import patheffects  # noqa: PLC0415 - small, only for labels

    return patheffects.withStroke(linewidth=2.5, foreground="white")


def nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10ⁿ metres) of about a fifth of ``span_m``.

    Parameters
    ----------
    span_m
        Width of the map in metres.

    Returns
    -------
    float
        The length in metres.
    """
    target = span_m / 5
    power = 10 ** math.floor(math.log10(target))
    return float(max(step * power for step in (1, 2, 5) if step * power <= target))


def scale_bar(ax: Axes, bounds: Sequence[float], lang: str) -> None:
    """A scale bar in the lower left corner, labelled in metres or kilometres."""
    minx, miny, maxx, maxy = bounds
    length = nice_length(maxx - minx)
    x0, y0 = minx + (maxx - minx) * 0.04, miny + (maxy - miny) * 0.04
    height = (maxy - miny) * 0.008
    ax.add_patch(Rectangle((x0, y0), length / 2, height, color="#222", zorder=6))
    ax.add_patch(Rectangle((x0 + length / 2, y0), length / 2, height, fc="white", ec="#222",
                           lw=0.6, zorder=6))  # fmt: skip
    text = (
        f"{fmt_number(length / 1000, 0, lang)} km"
        if length >= 1000
        else f"{fmt_number(length, 0, lang)} m"
    )
    ax.text(x0 + length, y0 + height * 2.2, text, ha="right", va="bottom", fontsize=8, zorder=6)
    ax.text(x0, y0 + height * 2.2, "0", ha="left", va="bottom", fontsize=8, zorder=6)


def north_arrow(ax: Axes, bounds: Sequence[float]) -> None:
    """A north arrow in the upper right corner (grid north of UTM 32N, within 0.3° of true)."""
    minx, miny, maxx, maxy = bounds
    x = maxx - (maxx - minx) * 0.05
    y = maxy - (maxy - miny) * 0.16
    length = (maxy - miny) * 0.08
    ax.add_patch(FancyArrow(x, y, 0, length, width=length * 0.18, head_width=length * 0.42,
                            head_length=length * 0.4, length_includes_head=True,
                            color="#222", zorder=6))  # fmt: skip
    ax.text(x, y + length * 1.08, "N", ha="center", va="bottom", fontsize=11,
            fontweight="bold", zorder=6)  # fmt: skip


def extent(gemeinden: gpd.GeoDataFrame, ags: str) -> tuple[float, float, float, float]:
    """Bounds of the sheet in metres: the municipality with a margin, or the district."""
    shapes = gemeinden if ags == district_key(gemeinden) else gemeinden[gemeinden["ags"] == ags]
    minx, miny, maxx, maxy = (float(v) for v in shapes.total_bounds)
    pad = max(maxx - minx, maxy - miny) * MARGIN
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def _fit(bounds: Sequence[float], aspect: float) -> tuple[float, float, float, float]:
    """Widen ``bounds`` to the axes' aspect ratio (width / height), keeping the centre."""
    minx, miny, maxx, maxy = bounds
    width, height = maxx - minx, maxy - miny
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        return minx - grow, miny, maxx + grow, maxy
    grow = (width / aspect - height) / 2
    return minx, miny - grow, maxx, maxy + grow


def _value(table: Any, ags: str, ind: Indicator, lang: str) -> str:
    value = table.loc[ags, ind.key]
    return f"{fmt_number(float(value), ind.decimals, lang)} {ind.unit_in(lang)}".strip()


@dataclass(frozen=True)
class Line:
    """One line of the side panel: a text, optional values, an optional colour box."""

    text: str
    values: tuple[str, ...] = ()
    colour: str | None = None
    bold: bool = False
    small: bool = False


def figure_lines(content: ThemeContent, ags: str, lang: str) -> list[Line]:
    """Key figures of the area beside the district, one indicator per row (wrapped)."""
    area = str(content.table.loc[ags, "gemeinde"])
    kreis = district_key(content.table.index)
    head = (area,) if ags == kreis else (area, t("sheet.kreis", lang))
    lines = [Line(t("sheet.key_figures", lang), head, bold=True)]
    for ind in content.indicators[:8]:
        values = [_value(content.table, ags, ind, lang)]
        if ags != kreis:
            values.append(_value(content.table, kreis, ind, lang))
        wrapped = textwrap.wrap(ind.name(lang), 30)
        lines.append(Line(wrapped[0], tuple(values)))
        lines.extend(Line(more) for more in wrapped[1:])
    return lines


def legend_lines(m: folium.Map) -> list[Line]:
    """The map's legends (title, a colour box per class, the note), then its point layers."""
    lines: list[Line] = []
    for legend in _legends(m):
        lines.append(Line(""))
        lines.extend(Line(part, bold=True) for part in textwrap.wrap(legend.title, 50))
        lines.extend(Line(label, colour=colour) for colour, label in legend.entries)
        lines.extend(Line(part, small=True) for part in textwrap.wrap(legend.note, 62))
    named = {legend_label for legend in _legends(m) for _, legend_label in legend.entries}
    points = [layer for layer in read_layers(m) if layer.points and layer.name not in named]
    if points:
        lines.append(Line(""))
    for layer in points:
        colour = layer.frame["fill"].iloc[0]
        lines.append(Line(layer.name, colour=matplotlib.colors.to_hex(colour)))
    return lines


def side_panel(ax: Axes, lines: Sequence[Line]) -> None:
    """Draw the panel's lines top down, closer together when there are many."""
    ax.axis("off")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    step = min(0.028, 1 / max(len(lines), 1))
    size = 7.5 if step >= 0.025 else 6.5
    y = 1.0
    for line in lines:
        x = 0.0
        if line.colour is not None:
            box = Rectangle((0, y - step * 0.85), 0.04, step * 0.75, facecolor=line.colour,
                            edgecolor="#777", linewidth=0.5)  # fmt: skip
            ax.add_patch(box)
            x = 0.06
        ax.text(x, y - step * 0.45, line.text, va="center", color="#444" if line.small else "#111",
                fontsize=size - (0.5 if line.small else 0),
                fontweight="bold" if line.bold else "normal")  # fmt: skip
        for i, value in enumerate(reversed(line.values)):
            ax.text(1.0 - i * 0.25, y - step * 0.45, value, va="center", ha="right", fontsize=size,
                    fontweight="bold" if line.bold else "normal")  # fmt: skip
        y -= step


def map_axes(
    ax: Axes, m: folium.Map, gemeinden: gpd.GeoDataFrame, ags: str, *, lang: str, aspect: float
) -> None:
    """Draw a page's map on axes, framed on a municipality (outlined) or the district.

    Parameters
    ----------
    ax
        The axes.
    m
        The page's folium map.
    gemeinden
        Municipalities in metres.
    ags
        The municipality to frame, or the district.
    lang
        Language (scale bar).
    aspect
        Width / height of the axes, so the map fills them.
    """
    bounds = _fit(extent(gemeinden, ags), aspect)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal")
    ax.set_facecolor("#f4f4f4")
    draw_map(ax, m)
    if ags != district_key(gemeinden):
        outline = gemeinden[gemeinden["ags"] == ags].boundary
        outline.plot(ax=ax, color="#c51b7d", linewidth=2.4, zorder=4)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    scale_bar(ax, bounds, lang)
    north_arrow(ax, bounds)


def area_map(m: folium.Map, gemeinden: gpd.GeoDataFrame, ags: str, lang: str) -> Figure:
    """A page's map framed on one municipality, as a figure of its own (e.g. for a profile)."""
    fig = Figure(figsize=(7.0, 5.0))
    map_axes(fig.add_axes((0, 0, 1, 1)), m, gemeinden, ags, lang=lang, aspect=7.0 / 5.0)
    return fig


def sheet_figure(
    content: ThemeContent,
    gemeinden: gpd.GeoDataFrame,
    ags: str,
    *,
    lang: str,
    credit_line: str,
    as_of: str,
    scenario: str = "",
    today: date | None = None,
    thresholds: str = "",
) -> Figure:
    """The A4 landscape map sheet of a theme for a municipality or the district.

    Parameters
    ----------
    content
        The theme as its page shows it.
    gemeinden
        Municipalities in metres (for the extent and the outline of the chosen one).
    ags
        The municipality, or the district.
    lang
        Language.
    credit_line
        Sources with licences of every layer shown.
    as_of
        Data dates of the indicators.
    scenario
        Name of the scenario the figures are under (empty for today).
    today
        Date printed on the sheet.
    thresholds
        Thresholds that differ from their default (empty: every default).

    Returns
    -------
    matplotlib.figure.Figure
        The sheet.
    """
    fig = Figure(figsize=A4_LANDSCAPE)
    area = str(content.table.loc[ags, "gemeinde"])
    title = f"{t(content.title_key, lang)} – {area}"
    fig.text(0.03, 0.955, title, fontsize=17, fontweight="bold", va="top")
    subtitle = content.indicator.header(lang)
    if scenario:
        subtitle = f"{t('sheet.scenario', lang)}: {scenario} · {subtitle}"
    fig.text(0.03, 0.905, subtitle, fontsize=10.5, va="top", color="#333")

    ax = fig.add_axes((0.03, 0.16, 0.62, 0.72))
    aspect = 0.62 * A4_LANDSCAPE[0] / (0.72 * A4_LANDSCAPE[1])
    map_axes(ax, content.map, gemeinden, ags, lang=lang, aspect=aspect)

    side_panel(
        fig.add_axes((0.68, 0.03, 0.30, 0.85)),
        [*figure_lines(content, ags, lang), *legend_lines(content.map)],
    )

    day = (today or date.today()).strftime("%d.%m.%Y" if lang == "de" else "%Y-%m-%d")
    made = t("sheet.made", lang, day=day)
    if thresholds:
        made = t("sheet.made_changed", lang, day=day, thresholds=thresholds)
    footer = [
        f"{t('sheet.sources', lang)}: {credit_line}",
        f"{t('sheet.as_of', lang)}: {as_of}",
        made,
    ]
    fig.text(0.03, 0.14, "\n".join(textwrap.fill(line, 160) for line in footer),
             fontsize=6.2, va="top", color="#333", linespacing=1.3)  # fmt: skip
    fig.set_layout_engine(None)
    return fig


def figure_bytes(fig: Figure, fmt: str, *, title: str = "") -> bytes:
    """The sheet as PDF or PNG bytes.

    Parameters
    ----------
    fig
        The sheet.
    fmt
        ``"pdf"`` or ``"png"``.
    title
        Title in the PDF's metadata.

    Returns
    -------
    bytes
        The file.
    """
    buffer = io.BytesIO()
    if fmt == "pdf":
        fig.savefig(buffer, format="pdf", metadata={"Title": title, "Creator": "KEK Geo"})
    else:
        fig.savefig(buffer, format="png", dpi=PNG_DPI)
    return buffer.getvalue()
