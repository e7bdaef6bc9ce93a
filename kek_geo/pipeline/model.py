"""The result of one pipeline step: a layer plus how it was made."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

#: Simplification tolerances of the map copies, in metres.
DISPLAY_TOLERANCE_M = {"gemeinden": 15.0, "neighbours": 40.0, "settlement": 10.0}


@dataclass
class BuiltLayer:
    """A layer produced by the pipeline, with its provenance.

    Attributes
    ----------
    name
        Layer key from :data:`kek_geo.catalog.LAYERS`.
    data
        The table or GeoDataFrame to write.
    sources
        Keys of :data:`kek_geo.sources.SOURCES` it derives from.
    files
        Raw files read, relative to the raw data folder.
    method_de, method_en
        How the layer was derived, in plain words.
    notes
        Caveats and counts worth knowing (e.g. how much population could not be placed).
    available
        False when the source is not in the raw data and the layer is written empty (only for
        layers with a ``missing_key`` in the catalogue).
    """

    name: str
    data: pd.DataFrame
    sources: tuple[str, ...]
    files: tuple[str, ...]
    method_de: str
    method_en: str
    notes: list[str] = field(default_factory=list)
    available: bool = True
