"""Command line: ``kek-geo <command>`` (or ``python -m kek_geo <command>``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kek_geo.errors import KekGeoError
from kek_geo.settings import KREIS_AGS, Settings, get_settings


def _geodata(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.geodata) if getattr(args, "geodata", None) else settings.geodata_dir


def _imports_dir(args: argparse.Namespace, settings: Settings) -> Path:
    if getattr(args, "geodata", None):
        from kek_geo.manifest import IMPORTS_DIR

        return Path(args.geodata) / IMPORTS_DIR
    assert settings.imports_dir is not None
    return settings.imports_dir


def raw_folders(raw: Sequence[str] | None, kreis: str | None, settings: Settings) -> list[Path]:
    """The raw folders ``build-data`` reads: those given, else the data pack and the fetched one.

    Parameters
    ----------
    raw
        ``--raw`` values (lowest priority first) or ``None``.
    kreis
        ``--kreis`` or ``None``.
    settings
        Settings (``KEK_RAW_DIR``, ``KEK_DATA_DIR``).

    Returns
    -------
    list of Path
        Existing folders, lowest priority first (the data pack, then ``<data>/raw/<key>``).
    """
    from kek_geo.pipeline.rawdirs import district_of_folder

    if raw:
        return [Path(r) for r in raw]
    key = kreis or KREIS_AGS
    fetched = settings.data_dir / "raw" / key
    pack = settings.raw_dir
    # the data pack only under its own district's fetched data, never under another's
    use_pack = pack.is_dir() and district_of_folder(pack) in (key, None)
    folders = [f for f in ((pack if use_pack else None), fetched) if f is not None and f.is_dir()]
    return folders or [pack]


def _build_data(args: argparse.Namespace) -> int:
    from kek_geo.manifest import read_manifest
    from kek_geo.pipeline import build_snapshot
    from kek_geo.pipeline.rawdirs import fetched_district

    settings = get_settings()
    folders = raw_folders(args.raw, args.kreis, settings)
    fetched = [k for k in (fetched_district(f) for f in folders if f.is_dir()) if k]
    kreis = args.kreis or (fetched[-1] if fetched else KREIS_AGS)
    out = Path(args.out) if args.out else settings.geodata_dir
    manifest_path = build_snapshot(folders, out, kreis_ags=kreis)
    manifest = read_manifest(manifest_path.parent)
    total = sum(rec["bytes"] for rec in manifest["layers"].values())
    district = manifest["kreis"]
    print(f"wrote {len(manifest['layers'])} layers ({total / 1e6:.1f} MB) for {district['ags']} "
          f"{district['name']} to {out}, from {', '.join(map(str, folders))}")  # fmt: skip
    for name, rec in manifest["layers"].items():
        state = "" if rec.get("available", True) else "  not available"
        print(f"  {name:<26} {rec['feature_count']:>7} rows  {rec['sha256'][:12]}{state}")
    if not args.skip_imports:
        from kek_geo.pipeline.fetched import import_fetched
        from kek_geo.pipeline.rawdirs import merged_raw

        imports = (None if args.out else settings.imports_dir) or out / "imports"
        with merged_raw(folders) as raw:
            for line in import_fetched(raw, out, imports):
                print(line)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from kek_geo.snapshot import validate_snapshot

    out = _geodata(args, get_settings())
    manifest = validate_snapshot(out)
    print(f"{out}: {len(manifest['layers'])} layers match their schema and sha256")
    return 0


def _indicators(args: argparse.Namespace) -> int:
    from kek_geo.indicators import indicators_for
    from kek_geo.indicators.export import indicator_frame, render
    from kek_geo.snapshot import Snapshot

    settings = get_settings()
    geodata = _geodata(args, settings)
    snap = Snapshot(geodata, _imports_dir(args, settings))
    source: Any = snap
    if args.scenario:
        from kek_geo.scenario import geojson
        from kek_geo.scenario.apply import ScenarioSource

        source = ScenarioSource(snap, geojson.read(Path(args.scenario)))
    # CSV and JSON keep full precision; the Markdown table is for people
    frame = indicator_frame(source, indicators_for(args.theme), rounded=args.format == "md")
    for problem in snap.import_problems():
        print(f"kek-geo: warning: {problem} (treated as not imported)", file=sys.stderr)
    sys.stdout.write(render(frame, args.format))
    return 0


def _scenario_apply(args: argparse.Namespace) -> int:
    from kek_geo.indicators import compute_table, indicators_for
    from kek_geo.indicators.export import render
    from kek_geo.scenario import geojson
    from kek_geo.scenario.compare import delta_table, scenario_table
    from kek_geo.snapshot import Snapshot

    settings = get_settings()
    snap = Snapshot(_geodata(args, settings), _imports_dir(args, settings))
    scenario = geojson.read(Path(args.file))
    inds = indicators_for(args.theme)
    baseline = compute_table(snap, inds)
    table = scenario_table(snap, scenario, inds, baseline=baseline)
    sys.stdout.write(render(delta_table(baseline, table, [i.key for i in inds]), args.format))
    return 0


def _store() -> Any:
    from kek_geo.storage import open_store

    return open_store(get_settings())


def _scenario_list(_args: argparse.Namespace) -> int:
    rows = _store().list()
    for row in rows:
        print(f"{row.id}  {row.updated:%Y-%m-%d %H:%M}  {row.edits:>3} edits  {row.name}")
    if not rows:
        print("no saved scenarios")
    return 0


def _stored(scenario_id: str) -> Any:
    from kek_geo.scenario import ScenarioError

    scenario = _store().get(scenario_id)
    if scenario is None:
        raise ScenarioError(0, "scenario", f"no saved scenario {scenario_id!r}", "")
    return scenario


def _scenario_show(args: argparse.Namespace) -> int:
    from kek_geo.scenario.geojson import edit_properties

    scenario = _stored(args.id)
    print(f"{scenario.name}  ({scenario.id})")
    print(f"author: {scenario.author or '–'}  updated: {scenario.updated.isoformat()}")
    if scenario.description:
        print(scenario.description)
    for pos, edit in enumerate(scenario.edits, start=1):
        props = edit_properties(edit)
        params = ", ".join(f"{k}={v}" for k, v in props.items() if k != "edit")
        print(f"  {pos:>3}. {props['edit']}  {params}")
    return 0


def _scenario_import(args: argparse.Namespace) -> int:
    from kek_geo.scenario import geojson
    from kek_geo.scenario.apply import ScenarioSource
    from kek_geo.snapshot import Snapshot

    settings = get_settings()
    scenario = geojson.read(Path(args.file))
    ScenarioSource(Snapshot(_geodata(args, settings), _imports_dir(args, settings)), scenario)
    saved = _store().save(scenario)
    print(f"saved {saved.id}  {saved.name}  ({len(saved.edits)} edits)")
    return 0


def _scenario_export(args: argparse.Namespace) -> int:
    from kek_geo.scenario import geojson

    scenario = _stored(args.id)
    if args.out:
        geojson.write(scenario, Path(args.out))
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(geojson.dumps(scenario))
    return 0


def _add_scenario_parser(sub: Any) -> None:
    scen = sub.add_parser("scenario", help="saved scenarios and scenario files")
    ssub = scen.add_subparsers(dest="scenario_command", required=True)
    ssub.add_parser("list", help="saved scenarios").set_defaults(func=_scenario_list)
    show = ssub.add_parser("show", help="one saved scenario and its edits")
    show.add_argument("id")
    show.set_defaults(func=_scenario_show)
    apply = ssub.add_parser(
        "apply", help="print baseline, scenario and delta per indicator (database untouched)"
    )
    apply.add_argument("file", help="scenario file (GeoJSON, kek_scenario 1)")
    apply.add_argument("--format", choices=("csv", "json", "md"), default="csv")
    apply.add_argument("--theme", help="only the indicators of one theme (e.g. mobility)")
    _add_geodata(apply)
    apply.set_defaults(func=_scenario_apply)
    imp = ssub.add_parser("import", help="validate a scenario file and save it")
    imp.add_argument("file")
    _add_geodata(imp)
    imp.set_defaults(func=_scenario_import)
    exp = ssub.add_parser("export", help="write a saved scenario as GeoJSON")
    exp.add_argument("id")
    exp.add_argument("--out", help="file to write (default: standard output)")
    exp.set_defaults(func=_scenario_export)


def _locator(args: argparse.Namespace) -> Any:
    from kek_geo.notes.places import GemeindeLocator
    from kek_geo.snapshot import Snapshot

    settings = get_settings()
    snap = Snapshot(_geodata(args, settings), _imports_dir(args, settings))
    return GemeindeLocator(snap.geo("gemeinden"))


def _notes_export(args: argparse.Namespace) -> int:
    from kek_geo.fileio import write_file
    from kek_geo.notes import APPROVED, interchange
    from kek_geo.snapshot import Snapshot
    from kek_geo.storage import open_note_store

    out = Path(args.file)
    suffix = out.suffix.lower()
    if suffix not in {".geojson", ".json", ".csv"}:
        print(f"kek-geo: error: {out}: write .geojson or .csv", file=sys.stderr)
        return 2
    statuses = None if args.status == "all" else {APPROVED}
    notes = open_note_store(get_settings()).list(statuses=statuses)
    if suffix == ".csv":
        gem = Snapshot(_geodata(args, get_settings())).layer("gemeinden")
        names = dict(zip(gem["ags"].astype(str), gem["name"], strict=True))
        write_file(interchange.notes_csv(notes, args.lang, names), out)
    else:
        write_file(interchange.dumps(notes), out)
    print(f"wrote {len(notes)} notes ({args.status}) to {out}")
    return 0


def _notes_import(args: argparse.Namespace) -> int:
    from kek_geo.notes import interchange
    from kek_geo.storage import open_note_store

    result = interchange.read(Path(args.file), _locator(args), keep_status=args.keep_status)
    added = open_note_store(get_settings()).import_notes(result.notes)
    known = len(result.notes) - added
    print(f"{args.file}: imported {added} new notes, {known} already present")
    for problem in result.problems:
        print(f"kek-geo: skipped {problem.message('en')}", file=sys.stderr)
    return 1 if result.problems else 0


def _add_notes_parser(sub: Any) -> None:
    notes = sub.add_parser("notes", help="citizen notes: move them between databases")
    nsub = notes.add_subparsers(dest="notes_command", required=True)
    exp = nsub.add_parser("export", help="write the notes as GeoJSON (to import) or CSV (Excel)")
    exp.add_argument("file", help="FILE.geojson or FILE.csv")
    exp.add_argument("--status", choices=("all", "approved"), default="all")
    exp.add_argument("--lang", choices=("de", "en"), default="de", help="CSV headers, separator")
    _add_geodata(exp)
    exp.set_defaults(func=_notes_export)
    imp = nsub.add_parser(
        "import", help="add the notes of an exported file (known ids are skipped)"
    )
    imp.add_argument("file", help="FILE.geojson written by 'kek-geo notes export'")
    imp.add_argument(
        "--keep-status",
        action="store_true",
        help="keep each note's status (default: every imported note is 'neu' and needs "
        "moderation here)",
    )
    _add_geodata(imp)
    imp.set_defaults(func=_notes_import)


def _export(args: argparse.Namespace) -> int:
    from kek_geo.export import export_file
    from kek_geo.fileio import write_file
    from kek_geo.snapshot import Snapshot

    settings = get_settings()
    snap = Snapshot(_geodata(args, settings), _imports_dir(args, settings))
    scenario = None
    if args.scenario:
        from kek_geo.scenario import geojson

        scenario = geojson.read(Path(args.scenario))
    result = export_file(
        snap, args.theme, args.gemeinde, args.format, lang=args.lang, scenario=scenario,
        settings=settings,
    )  # fmt: skip
    out = Path(args.out) if args.out else Path(result.name)
    if out.is_dir():
        out = out / result.name
    write_file(result.data, out)
    print(f"wrote {out} ({len(result.data) / 1e6:.2f} MB)")
    return 0


def _methods(args: argparse.Namespace) -> int:
    from kek_geo.export.content import theme_key
    from kek_geo.fileio import write_file
    from kek_geo.indicators import indicators_for
    from kek_geo.methods import method_sheet, methods_pdf
    from kek_geo.snapshot import Snapshot

    settings = get_settings()
    snap = Snapshot(_geodata(args, settings), _imports_dir(args, settings))
    theme = theme_key(args.theme) if args.theme else None
    sheets = [method_sheet(snap, ind, args.lang) for ind in indicators_for(theme)]
    out = Path(args.out or f"kek-geo-methoden-{args.theme or 'alle'}.pdf")
    write_file(methods_pdf(sheets, args.lang), out)
    print(f"wrote {out} ({len(sheets)} method sheets)")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    import os

    from kek_geo.fetch.http import Downloader
    from kek_geo.fetch.run import fetch_district

    settings = get_settings()
    cache = Path(args.cache) if args.cache else settings.data_dir / "cache"
    downloader = Downloader(
        cache, progress=not args.quiet, refresh=args.refresh, retries=args.retries,
        backoff_s=args.backoff,
    )  # fmt: skip
    overpass = args.overpass or os.environ.get("KEK_OVERPASS_URL") or None
    kwargs = {"overpass_url": overpass} if overpass else {}
    only = set(args.only.split(",")) if args.only else None
    report = fetch_district(
        args.kreis, Path(args.raw) if args.raw else None, downloader, only=only,
        tile_km=args.tile_km, default_root=settings.data_dir / "raw", **kwargs,
    )  # fmt: skip
    print(report.text())
    return 1 if report.failed else 0


def _add_export_parser(sub: Any) -> None:
    from kek_geo.export.content import THEMES

    exp = sub.add_parser(
        "export", help="a theme for a municipality as PDF/PNG map sheet, XLSX or GeoPackage"
    )
    exp.add_argument("--theme", required=True, choices=tuple(THEMES), help="as in the page URLs")
    exp.add_argument("--gemeinde", help="name or AGS (default: the whole Kreis)")
    exp.add_argument("--format", required=True, choices=("pdf", "png", "xlsx", "gpkg"))
    exp.add_argument("--scenario", help="scenario file (GeoJSON): figures under it")
    exp.add_argument("--out", help="file or folder (default: the suggested name, here)")
    exp.add_argument("--lang", choices=("de", "en"), default="de")
    _add_geodata(exp)
    exp.set_defaults(func=_export)
    methods = sub.add_parser("methods", help="the method sheet of every indicator as a PDF")
    methods.add_argument("--theme", choices=tuple(THEMES), help="only one theme's indicators")
    methods.add_argument("--out", help="PDF file (default: kek-geo-methoden-<theme>.pdf)")
    methods.add_argument("--lang", choices=("de", "en"), default="de")
    _add_geodata(methods)
    methods.set_defaults(func=_methods)


def _import_gtfs(args: argparse.Namespace) -> int:
    from kek_geo.analysis.gtfs import import_gtfs

    settings = get_settings()
    summary = import_gtfs(
        Path(args.file),
        _imports_dir(args, settings),
        _geodata(args, settings),
        date=args.date,
        licence=args.licence,
        attribution=args.attribution,
    )
    print(summary)
    return 0


def _import_osm(args: argparse.Namespace) -> int:
    from kek_geo.analysis.network import import_osm

    settings = get_settings()
    print(import_osm(Path(args.file), _imports_dir(args, settings)))
    return 0


def _fetch_osm(args: argparse.Namespace) -> int:
    from kek_geo.analysis.network import fetch_osm

    settings = get_settings()
    print(fetch_osm(_geodata(args, settings), _imports_dir(args, settings)))
    return 0


def _import_broadband(args: argparse.Namespace) -> int:
    from kek_geo.analysis.broadband import import_release

    settings = get_settings()
    print(
        import_release(
            Path(args.file),
            release=args.release,
            segment=args.segment,
            imports_dir=_imports_dir(args, settings),
            geodata_dir=_geodata(args, settings),
            replace=args.replace,
        )
    )
    return 0


def _add_geodata(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--geodata", help="snapshot folder (default: KEK_GEODATA_DIR or geodata/)")


def build_parser() -> argparse.ArgumentParser:
    """Create the argument parser with all sub-commands.

    Returns
    -------
    argparse.ArgumentParser
        The parser.
    """
    parser = argparse.ArgumentParser(prog="kek-geo", description="KEK Geo data and indicators")
    sub = parser.add_subparsers(dest="command", required=True)

    # `serve` passes every further option to streamlit run; main() dispatches it directly.
    sub.add_parser("serve", help="start the dashboard (streamlit run app.py [options])")

    build = sub.add_parser("build-data", help="build geodata/ from the raw open data")
    build.add_argument(
        "--raw",
        action="append",
        help="raw data folder; repeat to lay several over each other, later ones winning per "
        "source folder (default: KEK_RAW_DIR, then <KEK_DATA_DIR>/raw/<key> if fetched)",
    )
    build.add_argument("--out", help="snapshot folder (default: KEK_GEODATA_DIR or geodata/)")
    build.add_argument(
        "--kreis",
        help=f"five-digit district key (default: that of a fetched raw folder, or {KREIS_AGS})",
    )
    build.add_argument(
        "--skip-imports",
        action="store_true",
        help="do not import a fetched walking network (osm/walk.osm) or timetable (gtfs/*.zip)",
    )
    build.set_defaults(func=_build_data)

    val = sub.add_parser("validate", help="check every snapshot layer against schema and sha256")
    _add_geodata(val)
    val.set_defaults(func=_validate)

    ind = sub.add_parser(
        "indicators", help="print every indicator per municipality plus a district row"
    )
    ind.add_argument("--format", choices=("csv", "json", "md"), default="csv")
    ind.add_argument("--theme", help="only the indicators of one theme (e.g. mobility)")
    ind.add_argument("--scenario", help="scenario file (GeoJSON): indicators under it")
    _add_geodata(ind)
    ind.set_defaults(func=_indicators)

    gtfs = sub.add_parser("import-gtfs", help="import a GTFS feed (zip) for ÖV-Güteklassen")
    gtfs.add_argument("--file", required=True, help="GTFS zip, e.g. the DELFI Germany feed")
    gtfs.add_argument("--date", help="service day to evaluate, YYYY-MM-DD (default: automatic)")
    gtfs.add_argument("--licence", help="licence of the feed, e.g. 'CC BY 4.0'")
    gtfs.add_argument("--attribution", help="credit the feed requires, e.g. 'DELFI e.V.'")
    _add_geodata(gtfs)
    gtfs.set_defaults(func=_import_gtfs)

    osm = sub.add_parser(
        "import-osm", help="import an OSM extract (.osm/.osm.bz2) as walking network"
    )
    osm.add_argument("--file", required=True, help="OSM XML file covering the district")
    _add_geodata(osm)
    osm.set_defaults(func=_import_osm)

    fetch = sub.add_parser("fetch-osm", help="download the walking network with osmnx (online)")
    _add_geodata(fetch)
    fetch.set_defaults(func=_fetch_osm)

    bb = sub.add_parser(
        "import-broadband", help="import a newer broadband release per municipality"
    )
    bb.add_argument("--file", required=True, help="CSV in the shape of the Breitbandatlas tables")
    bb.add_argument("--release", required=True, help="release, YYYY-MM (e.g. 2024-12)")
    bb.add_argument(
        "--segment", required=True, choices=("households", "businesses", "commercial_areas")
    )
    bb.add_argument("--replace", action="store_true", help="replace an imported release")
    _add_geodata(bb)
    bb.set_defaults(func=_import_broadband)
    _add_scenario_parser(sub)
    _add_notes_parser(sub)
    _add_export_parser(sub)
    _add_fetch_parser(sub)
    return parser


def _add_fetch_parser(sub: Any) -> None:
    fetch = sub.add_parser("fetch", help="download the raw data of any German Kreis (online)")
    fetch.add_argument("--kreis", required=True, help="five-digit key (05766) or name (Lippe)")
    fetch.add_argument("--raw", help="raw folder to fill (default: <KEK_DATA_DIR>/raw/<key>)")
    fetch.add_argument("--only", help="comma-separated sources, e.g. osm,zensus2022-population")
    fetch.add_argument("--refresh", action="store_true", help="download again, not from cache")
    fetch.add_argument("--cache", help="download cache (default: <KEK_DATA_DIR>/cache)")
    fetch.add_argument("--overpass", help="Overpass API (default: KEK_OVERPASS_URL or public)")
    fetch.add_argument("--tile-km", type=float, default=25.0, help="tile edge of OSM queries")
    fetch.add_argument("--quiet", action="store_true", help="no progress bars")
    fetch.add_argument("--retries", type=int, default=4, help="tries after the first (4)")
    fetch.add_argument("--backoff", type=float, default=2.0, help="first pause (s), doubling")
    fetch.set_defaults(func=_fetch)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        Exit status: 0 on success, 1 on a data error, 2 on a usage error.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["serve"]:
        from kek_geo.serve import serve

        return serve(arguments[1:])
    args = build_parser().parse_args(arguments)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except KekGeoError as exc:
        print(f"kek-geo: error: {exc}", file=sys.stderr)
        return 1
