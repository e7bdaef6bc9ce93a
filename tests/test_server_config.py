"""The Streamlit settings the app is served with (``.streamlit/config.toml``)."""

from __future__ import annotations

import tomllib

from tests.helpers import ROOT


def served_config() -> dict[str, dict[str, object]]:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_no_full_garbage_collection_after_every_click() -> None:
    # about 60 ms per rerun with the snapshot in memory, holding up the next request
    assert served_config()["runner"]["postScriptGC"] is False


def test_offline_and_quiet() -> None:
    config = served_config()
    assert config["server"]["enableStaticServing"] is True  # the vendored Leaflet
    assert config["server"]["fileWatcherType"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
