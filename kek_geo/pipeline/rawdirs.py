"""Several raw data folders seen as one: the shipped data pack plus what ``kek-geo fetch`` added.

The build reads one raw folder. A planner may have two: the read-only data pack and a folder
that ``kek-geo fetch`` filled (``<KEK_DATA_DIR>/raw/<key>``). :func:`merged_raw` lays them over
each other by top-level entry (a source folder such as ``osm`` or ``bkg-vg250``, or a file such
as ``FETCH.json``): a later folder's entry replaces an earlier one's whole, so a source never
mixes files of two downloads. The merged folder holds only links and lives as long as the
``with`` block.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kek_geo.errors import DataSourceError

FETCH_RECORD = "FETCH.json"


def _link(target: Path, link: Path) -> None:
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except OSError:  # no symlinks allowed (some Windows set-ups): copy instead
        if target.is_dir():
            shutil.copytree(target, link)
        else:
            shutil.copy2(target, link)


def layout(folders: Sequence[Path]) -> dict[str, Path]:
    """Which folder each top-level entry comes from (later folders win).

    Parameters
    ----------
    folders
        Raw folders, lowest priority first.

    Returns
    -------
    dict
        Entry name → its path.
    """
    entries: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            raise DataSourceError(folder, "raw data folder not found")
        for entry in sorted(folder.iterdir()):
            if not entry.name.startswith("."):
                entries[entry.name] = entry.resolve()
    return entries


@contextmanager
def merged_raw(folders: Sequence[Path]) -> Iterator[Path]:
    """A temporary folder that shows several raw folders as one.

    Parameters
    ----------
    folders
        Raw folders, lowest priority first. A single folder is used as it is.

    Yields
    ------
    pathlib.Path
        The folder to build from.
    """
    if len(folders) == 1:
        if not folders[0].is_dir():
            raise DataSourceError(folders[0], "raw data folder not found")
        yield folders[0]
        return
    entries = layout(folders)
    with tempfile.TemporaryDirectory(prefix="kek-raw-") as tmp:
        root = Path(tmp)
        for name, target in entries.items():
            _link(target, root / name)
        yield root


def real_path(path: Path, root: Path, folders: Sequence[Path]) -> Path:
    """Where a file of the merged folder really lies (for messages: the merged one is gone).

    Parameters
    ----------
    path
        A path inside the merged folder (others are returned as they are).
    root
        The merged folder.
    folders
        The raw folders it was made of.

    Returns
    -------
    pathlib.Path
        The path in the raw folder the entry came from.
    """
    try:
        relative = path.relative_to(root)
    except ValueError:
        return path
    if not relative.parts:
        return path
    entries = layout(folders)
    source = entries.get(relative.parts[0])
    return source.joinpath(*relative.parts[1:]) if source else path


def district_of_folder(folder: Path) -> str | None:
    """The district key a raw folder holds boundaries for (``None`` if it tells none).

    Parameters
    ----------
    folder
        A raw folder.

    Returns
    -------
    str or None
        From its fetch record, else from its VG250 district file.
    """
    fetched = fetched_district(folder)
    if fetched:
        return fetched
    for path in sorted((folder / "bkg-vg250").glob("vg250_kreis_*.geojson")):
        try:
            features = json.loads(path.read_text(encoding="utf-8")).get("features") or []
            return str(features[0]["properties"]["AGS"])
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            continue
    return None


def fetch_record(raw_dir: Path) -> dict[str, Any]:
    """The ``files`` of a raw folder's fetch record (empty if it was not fetched).

    Parameters
    ----------
    raw_dir
        Raw data folder.

    Returns
    -------
    dict
        File or source key → what the fetch recorded.
    """
    path = raw_dir / FETCH_RECORD
    if not path.is_file():
        return {}
    try:
        files = json.loads(path.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError) as exc:
        raise DataSourceError(path, f"not a readable fetch record ({exc})") from exc
    if not isinstance(files, dict):
        raise DataSourceError(path, "its 'files' are not a table")
    return files


def fetched_district(folder: Path) -> str | None:
    """The district key a fetched raw folder was made for (``None`` if it was not fetched).

    Parameters
    ----------
    folder
        A raw folder.

    Returns
    -------
    str or None
        The five-digit key from its ``FETCH.json``.
    """
    path = folder / FETCH_RECORD
    if not path.is_file():
        return None
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["district"]["ags"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataSourceError(path, f"has no readable district ({exc})") from exc
