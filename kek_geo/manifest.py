"""The snapshot manifest: per layer its source, date, licence, credit, method, size and sha256.

``MANIFEST.json`` is the machine-readable record; ``SOURCES.md`` next to it is the same
information for people browsing the repository.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kek_geo.catalog import LAYERS
from kek_geo.errors import LayerError
from kek_geo.sources import SOURCES, Source

if TYPE_CHECKING:
    from kek_geo.pipeline.model import BuiltLayer

MANIFEST_NAME = "MANIFEST.json"
SOURCES_NAME = "SOURCES.md"
#: Sub-folder of the snapshot for data a user imports later (GTFS, OSM, broadband updates).
IMPORTS_DIR = "imports"
SCHEMA_VERSION = 1


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file.

    Parameters
    ----------
    path
        File to hash.

    Returns
    -------
    str
        The digest.
    """
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class LayerRecord:
    """Manifest entry of one layer, as shown in the app."""

    name: str
    file: str
    title_de: str
    title_en: str
    sources: tuple[str, ...]
    source_files: tuple[str, ...]
    data_date: str
    licence: str
    attribution: str
    method_de: str
    method_en: str
    notes: tuple[str, ...]
    feature_count: int
    crs: str | None
    sha256: str
    bytes: int
    available: bool = True


def _joined(texts: Iterable[str]) -> str:
    """Distinct parts of several ``;``-separated texts, in first-seen order."""
    parts = (part.strip() for text in texts for part in text.split(";"))
    return "; ".join(dict.fromkeys(p for p in parts if p))


def _record(
    layer: BuiltLayer, data: pd.DataFrame, path: Path, sources: Mapping[str, Source]
) -> dict[str, Any]:
    spec = LAYERS[layer.name]
    srcs = [sources[k] for k in layer.sources]
    return {
        "file": spec.filename,
        "title_de": spec.title_de,
        "title_en": spec.title_en,
        "kind": "geo" if spec.is_geo else "table",
        "crs": spec.crs,
        "feature_count": len(data),
        "columns": [c for c in data.columns if c != "geometry"],
        "sources": list(layer.sources),
        "source_files": list(layer.files),
        "data_date": _joined(s.data_date for s in srcs),
        "licence": _joined(s.licence for s in srcs),
        "attribution": " · ".join(dict.fromkeys(s.attribution for s in srcs)),
        "method_de": layer.method_de,
        "method_en": layer.method_en,
        "notes": list(layer.notes),
        "available": layer.available,
        "sha256": sha256_file(path),
        "bytes": path.stat().st_size,
    }


def _district(written: list[tuple[BuiltLayer, pd.DataFrame]]) -> dict[str, str]:
    kreis = next((data for layer, data in written if layer.name == "kreis"), None)
    if kreis is None or kreis.empty:
        return {"ags": "", "name": ""}
    return {"ags": str(kreis["ags"].iloc[0]), "name": str(kreis["name"].iloc[0])}


def write_manifest(
    out_dir: Path,
    written: Iterable[tuple[BuiltLayer, pd.DataFrame]],
    sources: Mapping[str, Source] | None = None,
) -> Path:
    """Write ``MANIFEST.json`` and ``SOURCES.md`` for layers already written to ``out_dir``.

    Parameters
    ----------
    out_dir
        Snapshot folder holding the layer files.
    written
        Pairs of layer and the exact table written.
    sources
        The sources the layers name (default :data:`kek_geo.sources.SOURCES`; a build adds
        those whose date it reads from the raw folder, such as fetched OpenStreetMap data).

    Returns
    -------
    pathlib.Path
        Path of the manifest; its ``kreis`` entry names the district of the ``kreis`` layer.
    """
    known = SOURCES if sources is None else sources
    pairs = list(written)
    layers = {
        layer.name: _record(layer, data, out_dir / LAYERS[layer.name].filename, known)
        for layer, data in pairs
    }
    used = sorted({k for rec in layers.values() for k in rec["sources"]})
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "kreis": _district(pairs),
        "built_by": "kek-geo build-data",
        "sources": {k: known[k].as_dict() for k in used},
        "layers": dict(sorted(layers.items())),
    }
    path = out_dir / MANIFEST_NAME
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out_dir / SOURCES_NAME).write_text(sources_markdown(manifest), encoding="utf-8")
    return path


def sources_markdown(manifest: dict[str, Any]) -> str:
    """Human-readable list of layers with source, date, licence and credit.

    Parameters
    ----------
    manifest
        Parsed manifest.

    Returns
    -------
    str
        Markdown text.
    """
    lines = [
        "# geodata/: sources and licences",
        "",
        "Written by `kek-geo build-data`; do not edit by hand. Machine-readable: MANIFEST.json.",
        "",
        "| layer | features | data date | licence | credit |",
        "|---|---|---|---|---|",
    ]
    for name, rec in manifest["layers"].items():
        lines.append(
            f"| {name} | {rec['feature_count']} | {rec['data_date']} | {rec['licence']} "
            f"| {rec['attribution']} |"
        )
    lines += ["", "## Sources", ""]
    for src in manifest["sources"].values():
        lines.append(
            f"- **{src['name']}** ({src['publisher']}), {src['data_date']}, {src['licence']} "
            f"<{src['licence_url']}>: “{src['attribution']}”. {src['url']}"
        )
    return "\n".join(lines) + "\n"


def read_manifest(geodata_dir: Path) -> dict[str, Any]:
    """Read and minimally check the manifest of a snapshot.

    Parameters
    ----------
    geodata_dir
        Snapshot folder.

    Returns
    -------
    dict
        The parsed manifest.
    """
    path = geodata_dir / MANIFEST_NAME
    if not path.is_file():
        raise LayerError("MANIFEST", path, "missing: build the snapshot with `kek-geo build-data`")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LayerError("MANIFEST", path, f"not readable JSON ({exc})") from exc
    if manifest.get("schema_version") != SCHEMA_VERSION or "layers" not in manifest:
        raise LayerError("MANIFEST", path, f"expected schema_version {SCHEMA_VERSION} with layers")
    return manifest


def source_notes(manifest: dict[str, Any], keys: Iterable[str], lang: str) -> list[str]:
    """Caveats of the given sources in a language (e.g. perturbed grid values).

    Parameters
    ----------
    manifest
        Parsed manifest.
    keys
        Source keys.
    lang
        ``"de"`` or ``"en"``.

    Returns
    -------
    list of str
        The notes that are not empty.
    """
    field = "note_en" if lang == "en" else "note_de"
    notes = (manifest["sources"].get(k, {}).get(field, "") for k in keys)
    return [n for n in notes if n]


def layer_record(manifest: dict[str, Any], name: str) -> LayerRecord:
    """Typed view of one manifest entry.

    Parameters
    ----------
    manifest
        Parsed manifest.
    name
        Layer key.

    Returns
    -------
    LayerRecord
        The entry.
    """
    rec = manifest["layers"][name]
    return LayerRecord(
        name=name,
        file=rec["file"],
        title_de=rec["title_de"],
        title_en=rec["title_en"],
        sources=tuple(rec["sources"]),
        source_files=tuple(rec["source_files"]),
        data_date=rec["data_date"],
        licence=rec["licence"],
        attribution=rec["attribution"],
        method_de=rec["method_de"],
        method_en=rec["method_en"],
        notes=tuple(rec.get("notes", ())),
        feature_count=int(rec["feature_count"]),
        crs=rec.get("crs"),
        sha256=rec["sha256"],
        bytes=int(rec["bytes"]),
        available=bool(rec.get("available", True)),
    )
