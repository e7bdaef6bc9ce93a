"""Exceptions raised by KEK Geo.

Every error that a user can cause (a corrupt file, a missing column, a wrong CRS) names the
file and the problem in one sentence, so that the command line and the app can show it as is.
"""

from __future__ import annotations

from pathlib import Path


class KekGeoError(Exception):
    """Base class of all KEK Geo errors."""


class DataSourceError(KekGeoError):
    """A raw input file is missing, unreadable or does not have the expected shape.

    Parameters
    ----------
    path
        The file that caused the problem.
    problem
        What is wrong with it, in one sentence.
    """

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class LayerError(KekGeoError):
    """A layer of the data snapshot is missing or does not match its schema.

    Parameters
    ----------
    layer
        Name of the layer, e.g. ``"gemeinden"``.
    path
        The snapshot file of the layer.
    problem
        What is wrong with it, in one sentence.
    """

    def __init__(self, layer: str, path: Path | str, problem: str) -> None:
        self.layer = layer
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"layer '{layer}' ({self.path}): {problem}")
