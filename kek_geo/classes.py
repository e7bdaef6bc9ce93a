"""Colour classes of choropleths: rounded bounds, ramps by direction, counts per class.

Classes are half-open intervals ``[a, b)`` between rounded bounds (multiples of 1, 2, 2.5 or 5
times a power of ten), so no two classes share a bound and a legend reads "20 bis unter 40".
The first class also takes everything below its lower bound and the last everything above, so
bounds fixed once (e.g. from an indicator's values at its default thresholds) still colour the
values of any other setting; the legend then says "unter 20" and "80 und mehr".
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kek_geo.i18n import fmt_number, register_texts, t
from kek_geo.tables import decimals_of

#: Colour of missing values.
MISSING_COLOUR = "#bdbdbd"

#: ColorBrewer ramps by number of classes (3, 4, 5); fewer classes take from the 3-class ramp.
#: Neutral figures (YlGnBu): darker = more.
NEUTRAL = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
}
#: Figures with a direction (RdPu): darker = less favourable.
CONCERN = {
    3: ("#fde0dd", "#fa9fb5", "#c51b8a"),
    4: ("#feebe2", "#fbb4b9", "#f768a1", "#ae017e"),
    5: ("#feebe2", "#fbb4b9", "#f768a1", "#c51b8a", "#7a0177"),
}
#: Counts of people or households in gaps, drawn as cells (OrRd): darker = more. The
#: darker end of the 7-class ramp, so even the lightest class of 1-ha cells stands out on
#: the pale choropleth beneath.
CELLS = {
    3: ("#fdbb84", "#ef6548", "#990000"),
    4: ("#fdbb84", "#fc8d59", "#d7301f", "#990000"),
    5: ("#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#990000"),
}
#: The 5-class neutral ramp (light = low, dark = high).
SEQUENTIAL = NEUTRAL[5]

#: At most this many classes.
MAX_CLASSES = 5
#: Classes are at least this share of the largest absolute value wide: a difference of less
#: than 5 % of the figure gets no colour of its own.
RELATIVE_WIDTH = 0.05
#: Mantissas of rounded class widths.
_NICE = (1.0, 2.0, 2.5, 5.0)

register_texts(
    {
        "classes.below": ("unter {b}", "under {b}"),
        "classes.range": ("{a} bis unter {b}", "{a} to under {b}"),
        "classes.above": ("{a} und mehr", "{a} and more"),
        "classes.all": ("{a} bis {b}", "{a} to {b}"),
        "classes.darker_worse": ("dunkler = ungünstiger", "darker = less favourable"),
        "classes.darker_more": ("dunkler = mehr", "darker = more"),
    }
)


def ramp(palette: dict[int, tuple[str, ...]], n: int, *, reverse: bool = False) -> tuple[str, ...]:
    """``n`` colours of a ramp, light to dark (dark to light with ``reverse``).

    Parameters
    ----------
    palette
        One of :data:`NEUTRAL`, :data:`CONCERN`, :data:`CELLS`.
    n
        Number of classes (1 to :data:`MAX_CLASSES`).
    reverse
        Dark first, e.g. when low values are the unfavourable ones.

    Returns
    -------
    tuple of str
        Hex colours.
    """
    if n >= 3:
        colours = palette[n]
    else:
        three = palette[3]
        colours = (three[1],) if n == 1 else (three[0], three[2])
    return tuple(reversed(colours)) if reverse else colours


def nice_width(span: float, *, min_width: float = 0.0, n: int = MAX_CLASSES) -> float:
    """The smallest rounded class width (1, 2, 2.5 or 5 × 10^k) that covers ``span`` in ``n``.

    Parameters
    ----------
    span
        Range of the values.
    min_width
        Narrowest width allowed (so differences too small to matter get no classes of their own).
    n
        Number of classes.

    Returns
    -------
    float
        The width (1.0 for a span of zero and no minimum).
    """
    target = max(span / n, min_width)
    if target <= 0:
        return 1.0
    exponent = math.floor(math.log10(target))
    for power in (exponent, exponent + 1):
        for mantissa in _NICE:
            width = mantissa * 10.0**power
            if width >= target * (1 - 1e-12):
                return width
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Classes:
    """Colour classes ``[bounds[i], bounds[i+1])``, the outer ones open to either side.

    Attributes
    ----------
    bounds
        Increasing class bounds, one more than there are classes.
    colours
        One colour per class.
    """

    bounds: tuple[float, ...]
    colours: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.bounds) != len(self.colours) + 1:
            msg = "classes need one bound more than colours"
            raise ValueError(msg)

    def index(self, value: float | None) -> int | None:
        """The class of a value (``None`` when missing)."""
        if value is None or not np.isfinite(value):
            return None
        position = bisect.bisect_right(self.bounds, float(value)) - 1
        return min(max(position, 0), len(self.colours) - 1)

    def colour(self, value: float | None) -> str:
        """The colour of a value (grey when missing)."""
        i = self.index(value)
        return MISSING_COLOUR if i is None else self.colours[i]

    def counts(self, values: Iterable[float | None]) -> list[int]:
        """How many of the values fall into each class (missing values are not counted)."""
        counts = [0] * len(self.colours)
        for value in values:
            i = self.index(value)
            if i is not None:
                counts[i] += 1
        return counts

    def labels(self, lang: str, fmt: Callable[[float], str] | None = None) -> list[str]:
        """One label per class: "unter 20", "20 bis unter 40", …, "80 und mehr".

        Parameters
        ----------
        lang
            Language.
        fmt
            Formats a bound; by default with as many decimals as the bounds need.

        Returns
        -------
        list of str
            The labels; a single class reads "a bis b".
        """
        fmt = fmt or bound_format(self.bounds, lang)
        b = [fmt(x) for x in self.bounds]
        n = len(self.colours)
        if n == 1:
            return [t("classes.all", lang, a=b[0], b=b[1])]
        middle = [t("classes.range", lang, a=b[i], b=b[i + 1]) for i in range(1, n - 1)]
        first = t("classes.below", lang, b=b[1])
        return [first, *middle, t("classes.above", lang, a=b[n - 1])]


def bound_format(bounds: Sequence[float], lang: str) -> Callable[[float], str]:
    """A formatter that shows every bound exactly (no more decimals than needed, at most 3)."""
    decimals = decimals_of(pd.Series(bounds, dtype="float64"), most=3)
    return lambda x: fmt_number(x, decimals, lang)


def nice_classes(
    values: Iterable[float | None],
    *,
    palette: dict[int, tuple[str, ...]] = NEUTRAL,
    reverse: bool = False,
    min_width: float = 0.0,
) -> Classes:
    """Classes with rounded bounds over the range of the values (missing values ignored).

    Parameters
    ----------
    values
        Values that set the bounds.
    palette
        Ramp to colour them with.
    reverse
        Dark for the low values.
    min_width
        Narrowest class width (at least :data:`RELATIVE_WIDTH` of the largest absolute value).

    Returns
    -------
    Classes
        At most :data:`MAX_CLASSES` classes; two when all values lie within one width (the
        lower one then empty), one grey class when there is no value.
    """
    arr = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if arr.size == 0:
        return Classes((0.0, 1.0), (MISSING_COLOUR,))
    lo, hi = float(arr.min()), float(arr.max())
    floor = max(min_width, RELATIVE_WIDTH * max(abs(lo), abs(hi)))
    width = nice_width(hi - lo, min_width=floor)
    while True:
        start = math.floor(lo / width + 1e-9)
        stop = max(math.ceil(hi / width - 1e-9), start + 1)
        if stop - start <= MAX_CLASSES:
            break
        width = nice_width(width * MAX_CLASSES * 1.0001)
    if stop - start == 1:
        # one class would say nothing: show the empty one beside it too (never below zero)
        if start == 0 and lo >= 0:
            stop += 1
        else:
            start -= 1
    bounds = tuple(round(i * width, 10) for i in range(start, stop + 1))
    return Classes(bounds, ramp(palette, len(bounds) - 1, reverse=reverse))


def legend_entries(
    classes: Classes,
    values: Iterable[float | None],
    lang: str,
    fmt: Callable[[float], str] | None = None,
) -> list[tuple[str, str]]:
    """Legend rows ``(colour, "20 bis unter 40 (3)")``: each class with how many values it has.

    Parameters
    ----------
    classes
        The classes.
    values
        The values on the map (counted per class).
    lang
        Language.
    fmt
        Formats a bound.

    Returns
    -------
    list of tuple
        One row per class; none for the grey class of a map without values.
    """
    if classes.colours == (MISSING_COLOUR,):
        return []
    counts = classes.counts(values)
    labels = classes.labels(lang, fmt)
    return [(c, f"{lab} ({n})") for c, lab, n in zip(classes.colours, labels, counts, strict=True)]


#: Compared with the district, for figures with a direction: blue = more favourable, red =
#: less favourable than the district (RdBu), the middle class light grey.
COMPARED_DIRECTED = ("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b")
#: Compared with the district, for neutral figures: orange = less, purple = more (PuOr).
COMPARED_NEUTRAL = ("#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99")

register_texts(
    {
        "compared.far_below": ("{w} und mehr unter dem Kreis", "{w} or more below the district"),
        "compared.below": ("{c} bis unter {w} unter dem Kreis", "{c} to under {w} below"),
        "compared.about": ("etwa wie der Kreis (± unter {c})", "about the district (± under {c})"),
        "compared.above": ("{c} bis unter {w} über dem Kreis", "{c} to under {w} above"),
        "compared.far_above": ("{w} und mehr über dem Kreis", "{w} or more above the district"),
        "compared.title": ("im Vergleich zum Kreis", "compared with the district"),
        "compared.note": (
            "Unterschied zum Kreiswert ({kreis}) in {unit}; {colours}",
            "difference to the district value ({kreis}) in {unit}; {colours}",
        ),
        "compared.points": ("Prozentpunkten", "percentage points"),
        "compared.directed": ("blau = günstiger, rot = ungünstiger", "blue = better, red = worse"),
        "compared.neutral": ("lila = mehr, orange = weniger", "purple = more, orange = less"),
    }
)


@dataclass(frozen=True)
class Compared:
    """Classes of the difference to the district: far below, below, about, above, far above.

    Attributes
    ----------
    near
        Differences smaller than this count as "about the district".
    far
        Differences of at least this are "far" below or above.
    colours
        Five colours, from far below to far above.
    """

    near: float
    far: float
    colours: tuple[str, ...]

    @property
    def classes(self) -> Classes:
        """The same as :class:`Classes` over the differences (for colours and counts)."""
        # the outer bounds only close the open outer classes
        bounds = (-2 * self.far, -self.far, -self.near, self.near, self.far, 2 * self.far)
        return Classes(bounds, self.colours)

    def labels(self, lang: str) -> list[str]:
        """One label per class, e.g. "20 und mehr unter dem Kreis".

        Parameters
        ----------
        lang
            Language.

        Returns
        -------
        list of str
            Five labels (the legend's note names the unit).
        """
        c, w = (
            fmt_number(self.near, decimals_of(pd.Series([self.near])), lang),
            fmt_number(self.far, decimals_of(pd.Series([self.far])), lang),
        )
        keys = ("far_below", "below", "about", "above", "far_above")
        return [t(f"compared.{k}", lang, c=c, w=w) for k in keys]


def compared_classes(
    differences: Iterable[float | None],
    *,
    min_width: float = 0.0,
    higher_is_better: bool | None = None,
) -> Compared:
    """Classes of the differences to the district value, symmetric around zero.

    "Far" is a rounded width (1, 2, 2.5 or 5 × 10^k) that the largest difference reaches at
    most twice; "about the district" is a fifth of it, but never narrower than
    ``min_width / 2`` (differences too small to matter are not coloured).

    Parameters
    ----------
    differences
        Municipal value minus district value.
    min_width
        The indicator's narrowest class width (e.g. 0.5 points for shares).
    higher_is_better
        Direction: blue for the favourable side (red for the other); ``None`` for neutral
        figures (orange below, purple above).

    Returns
    -------
    Compared
        The classes.
    """
    arr = np.asarray([d for d in differences if d is not None and np.isfinite(d)], dtype=float)
    largest = float(np.abs(arr).max()) if arr.size else 0.0
    far = nice_width(largest, n=2, min_width=min_width)
    near = max(far / 5, min_width / 2)
    if near >= far:
        far = nice_width(near * 2)
    colours: tuple[str, ...]
    if higher_is_better is None:
        colours = COMPARED_NEUTRAL
    elif higher_is_better:
        colours = tuple(reversed(COMPARED_DIRECTED))
    else:
        colours = COMPARED_DIRECTED
    return Compared(near, far, colours)
