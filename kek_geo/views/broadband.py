"""Breitband: availability per municipality, gap classes, technologies and the trend over time.

The map colours the municipalities by a broadband indicator; the tables and the chart of the
page are built here from the tidy broadband table (snapshot plus imported releases).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kek_geo.analysis.broadband import (
    GAP_CLASSES,
    SEGMENTS,
    bandwidth_options,
    broadband_table,
    estimated_households,
    gap_table,
    latest_release,
    mobile_table,
    release_end,
    release_name,
    release_series,
    technology_breakdown,
    technology_options,
)
from kek_geo.district import district_of
from kek_geo.i18n import fmt_number, register_texts, t
from kek_geo.indicators.registry import LayerSource
from kek_geo.thematic import shown_layers
from kek_geo.views import ThemeView, register_view

register_texts(
    {
        "broadband.title": ("Breitband", "Broadband"),
        "broadband.intro": (
            "Wie viele Haushalte, Unternehmen und Gewerbegebiete haben mindestens 30, 100 oder "
            "1.000 Mbit/s – und wie viele Haushalte liegen in weißen oder grauen Flecken? "
            "Anteile je Gemeinde aus dem Breitbandatlas der Bundesnetzagentur, Stand Ende 2018 "
            "bis Mitte 2021 (neuere Stände nur nach Import, siehe unten). FTTH/B: Glasfaser bis "
            "in die Wohnung (Home) oder bis ins Gebäude (Building).",
            "How many households, businesses and commercial areas have at least 30, 100 or "
            "1,000 Mbit/s – and how many households are in white or grey spots? Shares per "
            "municipality from the Breitbandatlas of the Bundesnetzagentur, end 2018 to mid 2021 "
            "(newer releases only after an import, see below). FTTH/B: fibre to the home or to "
            "the building.",
        ),
        "broadband.data_date": ("Stand der Breitbanddaten: {date}", "Broadband data as of {date}"),
        "broadband.imported": ("importiert", "imported"),
        "broadband.not_newer": (
            "Neuere Stände (Gigabit-Grundbuch ab Ende 2022) sind nicht im Datensatz; wie man "
            "sie importiert, steht unter „Über die Daten“.",
            "Newer releases (Gigabit-Grundbuch from end 2022) are not in the data; “About the "
            "data” says how to import them.",
        ),
        "broadband.has_imports": (
            "Enthält importierte Stände: {releases}.",
            "Includes imported releases: {releases}.",
        ),
        "broadband.gaps": (
            "Weiße und graue Flecken: betroffene Haushalte ({date})",
            "White and grey spots: households affected ({date})",
        ),
        "broadband.gaps_note": (
            "Haushalte geschätzt als Einwohner (Zensus 2022) / durchschnittliche "
            "Haushaltsgröße. Betroffene Haushalte = (100 − Anteil mit mindestens der "
            "Bandbreite) / 100 × Haushalte, alle Technologien. Die Klassen sind geschachtelt "
            "(ein weißer Fleck ist auch grau und nicht gigabitfähig). Kreis: Haushalte als Summe "
            "der Gemeinden, Anteile wie veröffentlicht (bei importierten Ständen aus den "
            "Summen). Definitionen: weißer Fleck < 30 Mbit/s (historische Aufgreifschwelle), "
            "grauer Fleck < 100 Mbit/s (Graue-Flecken-Programm seit 26.04.2021), nicht "
            "gigabitfähig < 1.000 Mbit/s.",
            "Households estimated as population (Zensus 2022) / average household size. "
            "Households affected = (100 − share with at least the bandwidth) / 100 × "
            "households, all technologies. The classes nest (a white spot is also grey and not "
            "gigabit-capable). District: households as the sum of the municipalities, shares as "
            "published (for imported releases from the totals). Definitions: white spot "
            "< 30 Mbit/s (historic funding threshold), grey spot < 100 Mbit/s "
            "(Graue-Flecken-Programm since 26 Apr 2021), not gigabit-capable < 1,000 Mbit/s.",
        ),
        "broadband.col.households": ("Haushalte (geschätzt)", "Households (estimated)"),
        "broadband.col.share": ("{label}: Anteil (%)", "{label}: share (%)"),
        "broadband.col.count": ("{label}: Haushalte", "{label}: households"),
        "broadband.class.white": ("Weißer Fleck < 30 Mbit/s", "White spot < 30 Mbit/s"),
        "broadband.class.grey": ("Grauer Fleck < 100 Mbit/s", "Grey spot < 100 Mbit/s"),
        "broadband.class.not_gigabit": (
            "Nicht gigabitfähig < 1.000 Mbit/s",
            "Not gigabit-capable < 1,000 Mbit/s",
        ),
        "broadband.trend": ("Entwicklung über die Zeit", "Development over time"),
        "broadband.segment": ("Segment", "Segment"),
        "broadband.technology": ("Technologie", "Technology"),
        "broadband.bandwidth": ("Mindestbandbreite", "Minimum bandwidth"),
        "broadband.chart_y": ("Anteil (%)", "Share (%)"),
        "broadband.chart_x": ("Stand", "Release"),
        "broadband.chart_area": ("Gebiet", "Area"),
        "broadband.chart_empty": (
            "Für diese Auswahl gibt es keine Werte.",
            "There are no values for this choice.",
        ),
        "broadband.chart_note": (
            "Eine Linie je Gemeinde, schwarz der Kreis (wie veröffentlicht; für importierte "
            "Haushalts-Stände aus den Summen mit geschätzten Haushalten). Stände ({segment}): "
            "{releases}.",
            "One line per municipality, the district in black (as published; for imported "
            "household releases from the totals with estimated households). Releases "
            "({segment}): {releases}.",
        ),
        "broadband.technologies": (
            "Technologien: Glasfaser, Kabel, DSL ({segment}, {date})",
            "Technologies: fibre, cable, DSL ({segment}, {date})",
        ),
        "broadband.technologies_note": (
            "Anteil in % mit mindestens der Bandbreite über die jeweilige Technologie. Leere "
            "Spalten fehlen in der Quelle (DSL erreicht keine 1.000 Mbit/s; FTTH/B wird erst ab "
            "100 Mbit/s ausgewiesen). Gigabit über Kabel (aufgerüstetes Fernsehkabelnetz) und über "
            "Glasfaser getrennt lesen.",
            "Share in % with at least the bandwidth over each technology. Missing columns are "
            "not published (DSL does not reach 1,000 Mbit/s; FTTH/B is published from 100 "
            "Mbit/s). Read gigabit over cable (upgraded TV cable networks) apart from gigabit over "
            "fibre.",
        ),
        "broadband.mobile": (
            "Mobilfunk: Flächenabdeckung im Kreis ({date})",
            "Mobile: area coverage in the district ({date})",
        ),
        "broadband.mobile_note": (
            "Anteil der Fläche je Flächenart in %, nur für den ganzen Kreis veröffentlicht. "
            "Technologie-Codes und Flächenarten wie im Breitbandatlas.",
            "Share of the area of each land use in %, published for the whole district only. "
            "Technology codes and land uses as in the Breitbandatlas.",
        ),
        "broadband.col.group": ("Flächengruppe", "Land-use group"),
        "broadband.col.land_use": ("Flächenart", "Land use"),
        "broadband.seg.households": ("Haushalte", "Households"),
        "broadband.seg.businesses": ("Unternehmen", "Businesses"),
        "broadband.seg.commercial_areas": ("Gewerbegebiete", "Commercial areas"),
        "broadband.tech.all": ("alle Technologien", "all technologies"),
        "broadband.tech.wired": ("leitungsgebunden", "wired"),
        "broadband.tech.ftth_b": ("Glasfaser (FTTH/B)", "Fibre (FTTH/B)"),
        "broadband.tech.catv": ("Kabel (CATV)", "Cable (CATV)"),
        "broadband.tech.dsl": ("DSL", "DSL"),
    }
)

#: District line colour in the chart; the municipalities take Tableau 10.
KREIS_COLOUR = "#000000"
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def line_colours(n_areas: int) -> list[str]:
    """Colours of the chart's lines: the palette for the municipalities, black for the district.

    Parameters
    ----------
    n_areas
        Municipalities plus the district (the last).

    Returns
    -------
    list of str
        One colour per area; beyond ten municipalities the palette repeats, never the black.
    """
    return [*(PALETTE[i % len(PALETTE)] for i in range(n_areas - 1)), KREIS_COLOUR]


VIEW = register_view(
    ThemeView(
        key="broadband",
        title_key="broadband.title",
        intro_key="broadband.intro",
        shown=shown_layers((), extra=("broadband",)),
    )
)


def segment_label(segment: str, lang: str) -> str:
    """Name of a segment, e.g. ``Haushalte``."""
    return t(f"broadband.seg.{segment}", lang)


def technology_label(technology: str, lang: str) -> str:
    """Name of a technology code, e.g. ``Kabel (CATV)``."""
    return t(f"broadband.tech.{technology}", lang)


def bandwidth_label(mbit: int, lang: str) -> str:
    """E.g. ``≥ 1.000 Mbit/s``."""
    return f"≥ {fmt_number(mbit, 0, lang)} Mbit/s"


def _names(source: LayerSource) -> dict[str, str]:
    """AGS → name of the municipalities and the district."""
    gem = source.layer("gemeinden")
    names = dict(zip(gem["ags"].astype(str), gem["name"].astype(str), strict=True))
    district = district_of(source)
    return {**dict(sorted(names.items())), district.ags: district.name}


def _households(source: LayerSource) -> pd.Series:
    return estimated_households(source.layer("gemeinden"))


def imported_releases(source: LayerSource) -> set[tuple[str, str]]:
    """(segment, release) pairs that come from an import."""
    imported = source.extra("broadband_releases")
    if imported is None or len(imported) == 0:
        return set()
    pairs = zip(imported["segment"].astype(str), imported["release"].astype(str), strict=True)
    return set(pairs)


def release_text(source: LayerSource, segment: str, lang: str) -> str:
    """Readable newest release of a segment, marked when imported, e.g. ``Mitte 2021``."""
    release = latest_release(broadband_table(source), segment)
    text = release_name(release, lang)
    if (segment, release) in imported_releases(source):
        text += f" ({t('broadband.imported', lang)})"
    return text


def data_date(source: LayerSource, lang: str) -> str:
    """The data date of the page, e.g. ``Stand der Breitbanddaten: Mitte 2021``.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    str
        One date when all segments share it, else one per segment.
    """
    texts = {seg: release_text(source, seg, lang) for seg in SEGMENTS}
    if len(set(texts.values())) == 1:
        date = next(iter(texts.values()))
    else:
        date = ", ".join(f"{segment_label(s, lang)} {d}" for s, d in texts.items())
    return t("broadband.data_date", lang, date=date)


def data_note(source: LayerSource, lang: str) -> str:
    """What is missing (nothing newer than the snapshot) or which releases were imported.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    str
        One sentence (how to import is on "Über die Daten", not on the theme page).
    """
    pairs = sorted(imported_releases(source), key=lambda p: (p[1], p[0]))
    if not pairs:
        return t("broadband.not_newer", lang)
    releases = ", ".join(f"{segment_label(s, lang)} {release_name(r, lang)}" for s, r in pairs)
    return t("broadband.has_imports", lang, releases=releases)


def gap_frame(source: LayerSource, lang: str) -> pd.DataFrame:
    """Display table of the gap classes with the affected households.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Index AGS; municipality name, estimated households, and per class the share below
        and the households affected (rounded).
    """
    table = broadband_table(source)
    gaps = gap_table(table, _households(source), latest_release(table, "households"))
    out = pd.DataFrame({t("overview.municipality", lang): pd.Series(_names(source))})
    out = out.reindex(gaps.index)
    out[t("broadband.col.households", lang)] = gaps["households"].round(0)
    for key, _mbit in GAP_CLASSES:
        label = t(f"broadband.class.{key}", lang)
        out[t("broadband.col.share", lang, label=label)] = gaps[f"{key}_share"].round(1)
        out[t("broadband.col.count", lang, label=label)] = gaps[f"{key}_households"].round(0)
    return out


def technology_frame(source: LayerSource, segment: str, lang: str) -> pd.DataFrame:
    """Display table of the shares by technology and bandwidth, newest release of a segment.

    Parameters
    ----------
    source
        Snapshot.
    segment
        Segment key.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Index AGS; municipality name and one column per published technology and bandwidth.
    """
    table = broadband_table(source)
    wide = technology_breakdown(
        table, _households(source), segment=segment, release=latest_release(table, segment)
    )
    out = pd.DataFrame({t("overview.municipality", lang): pd.Series(_names(source))})
    out = out.reindex(wide.index)
    for technology, mbit in wide.columns:
        header = f"{technology_label(technology, lang)} {bandwidth_label(mbit, lang)} (%)"
        out[header] = wide[(technology, mbit)].round(1)
    return out


def chart_technologies(source: LayerSource, segment: str) -> list[str]:
    """Technology codes the chart offers for a segment."""
    return technology_options(broadband_table(source), segment)


def chart_bandwidths(source: LayerSource, segment: str, technology: str) -> list[int]:
    """Bandwidth classes the chart offers for a segment and technology."""
    return bandwidth_options(broadband_table(source), segment, technology)


def default_bandwidth(bandwidths: list[int]) -> int:
    """Position of the preselected bandwidth: 1,000 Mbit/s if offered, else the highest."""
    return bandwidths.index(1000) if 1000 in bandwidths else max(len(bandwidths) - 1, 0)


def trend_data(
    source: LayerSource, *, segment: str, technology: str, threshold_mbit: int, lang: str
) -> pd.DataFrame:
    """Long table for the time-series chart: one row per release and area.

    Parameters
    ----------
    source
        Snapshot.
    segment, technology, threshold_mbit
        Which share to show.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (end of the release month), ``release`` (readable), ``area`` (name),
        ``share`` (%); missing values left out.
    """
    wide = release_series(
        broadband_table(source),
        _households(source),
        segment=segment,
        technology=technology,
        threshold_mbit=threshold_mbit,
    )
    names = _names(source)
    long = wide.rename(columns=names).rename_axis(columns="area").stack().rename("share")
    data = long.dropna().reset_index()
    data.insert(0, "date", [release_end(r) for r in data["release"]])
    data["release"] = [release_name(r, lang) for r in data["release"]]
    return data[["date", "release", "area", "share"]].reset_index(drop=True)


def trend_chart(data: pd.DataFrame, source: LayerSource, lang: str) -> alt.Chart:
    """Line chart of :func:`trend_data`: one line per municipality, the district in black.

    Parameters
    ----------
    data
        From :func:`trend_data`.
    source
        Snapshot (for the area order).
    lang
        Language.

    Returns
    -------
    altair.Chart
        The chart.
    """
    areas = list(_names(source).values())
    kreis = district_of(source).name
    colours = line_colours(len(areas))
    area_title = t("broadband.chart_area", lang)
    # one tick per release (the data dates), not a calendar grid
    ticks = [
        alt.DateTime(year=d.year, month=d.month, date=d.day)
        for d in sorted(set(pd.to_datetime(data["date"])))
    ]
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "date:T",
                title=t("broadband.chart_x", lang),
                axis=alt.Axis(format="%m/%Y", values=ticks, labelAngle=0),
            ),
            y=alt.Y("share:Q", title=t("broadband.chart_y", lang)),
            color=alt.Color(
                "area:N",
                title=area_title,
                sort=areas,
                scale=alt.Scale(domain=areas, range=colours),
            ),
            strokeWidth=alt.condition(alt.datum.area == kreis, alt.value(3.5), alt.value(1.5)),
            tooltip=[
                alt.Tooltip("area:N", title=area_title),
                alt.Tooltip("release:N", title=t("broadband.chart_x", lang)),
                alt.Tooltip("share:Q", title=t("broadband.chart_y", lang), format=".1f"),
            ],
        )
    )
    return chart


def chart_note(source: LayerSource, segment: str, lang: str) -> str:
    """Caption of the chart: the releases of a segment, imported ones marked."""
    table = broadband_table(source)
    rows = table[(table["segment"] == segment) & table["share_pct"].notna()]
    imported = imported_releases(source)
    names = [
        release_name(r, lang)
        + (f" ({t('broadband.imported', lang)})" if (segment, r) in imported else "")
        for r in sorted(set(rows["release"].astype(str)))
    ]
    return t(
        "broadband.chart_note",
        lang,
        segment=segment_label(segment, lang),
        releases=", ".join(names),
    )


#: The Breitbandatlas' land-use labels and mobile technology codes in English (as published
#: in German); a label not listed is shown as published.
MOBILE_LABELS_EN = {
    "Infrastruktur": "Infrastructure",
    "Gemeindefläche": "Municipal area",
    "Autobahn": "Motorways",
    "Bahnstrecken": "Railway lines",
    "Bundesstraßen": "Federal roads",
    "Landstraßen": "State roads",
    "Kreisstraßen": "District roads",
    "Wasserstraßen": "Waterways",
    "Gewerbliche Nutzfläche": "Commercial land",
    "Gewässer": "Water bodies",
    "Landwirtschaftliche Flächen": "Farmland",
    "Wald-, Wiesenflächen": "Woods and meadows",
    "Wohnbaufläche": "Residential land",
    "Mobil Alle": "All mobile",
}


def mobile_frame(source: LayerSource, lang: str) -> pd.DataFrame:
    """Display table of the district's mobile coverage by land use and technology.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Land-use group, land use and one column per technology code (share in %).
    """
    wide = mobile_table(source.layer("mobile_coverage"))
    if wide.empty:
        return wide
    out = wide.reset_index()
    if lang == "en":
        out = out.replace(MOBILE_LABELS_EN).rename(columns=MOBILE_LABELS_EN)
    return out.rename(
        columns={
            "land_use_group": t("broadband.col.group", lang),
            "land_use": t("broadband.col.land_use", lang),
        }
    )


def mobile_date(source: LayerSource, lang: str) -> str:
    """Readable release of the mobile coverage table, e.g. ``Mitte 2021``."""
    mobile = source.layer("mobile_coverage")
    return release_name(str(mobile["release"].max()), lang) if len(mobile) else "–"
