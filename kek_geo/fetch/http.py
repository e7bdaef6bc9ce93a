"""Downloads with retries, a progress bar and a local cache; nothing half-written is kept.

Every request of ``kek-geo fetch`` goes through :class:`Downloader`:

- HTTP 429 and 5xx answers and broken connections are retried with exponential backoff (a
  ``Retry-After`` header is honoured, capped); after the last try a :class:`FetchError` names
  the address and the problem in one sentence;
- a body shorter than its ``Content-Length`` (a connection cut mid-file) is an error, never a
  file;
- a finished download lands in the cache (``KEK_CACHE_DIR``, default ``data/cache``) under a
  name derived from the address; the next fetch uses the cache unless ``refresh`` is set, so
  a rerun after a failure does not download again what already arrived;
- files are written to ``*.part`` and renamed when complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from tqdm import tqdm

from kek_geo.errors import KekGeoError

#: HTTP answers worth another try.
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
#: Longest pause between tries, whatever ``Retry-After`` says (seconds).
MAX_PAUSE_S = 120.0
USER_AGENT = "KEK-Geo (Kreisentwicklungskonzept; kek-geo fetch)"


class FetchError(KekGeoError):
    """A download failed for good.

    Parameters
    ----------
    url
        The address.
    problem
        What went wrong, in one sentence.
    """

    def __init__(self, url: str, problem: str) -> None:
        self.url = url
        self.problem = problem
        super().__init__(f"{url}: {problem}")


@dataclass(frozen=True)
class Fetched:
    """A downloaded file in the cache, with what is known about it."""

    url: str
    path: Path
    bytes: int
    sha256: str
    fetched_at: str
    from_cache: bool


def cache_name(url: str, data: Mapping[str, str] | None = None) -> str:
    """File name of a download in the cache (the address's hash plus its file name)."""
    key = url + (json.dumps(dict(data), sort_keys=True) if data else "")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    tail = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0][-60:] or "download"
    return f"{digest}-{tail}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Downloader:
    """Fetches addresses into a cache folder.

    Parameters
    ----------
    cache_dir
        Where finished downloads are kept.
    retries
        Tries after the first one.
    backoff_s
        Pause before the first retry; it doubles with every further try.
    timeout_s
        Seconds to wait for the server to answer (and between two blocks of data).
    progress
        Show a progress bar per download.
    refresh
        Download again even if the cache has the file.
    sleep
        The pause function (tests pass one that does not wait).
    """

    def __init__(
        self,
        cache_dir: Path,
        *,
        retries: int = 4,
        backoff_s: float = 2.0,
        timeout_s: float = 120.0,
        progress: bool = True,
        refresh: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache_dir = cache_dir
        self.retries = retries
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self.progress = progress
        self.refresh = refresh
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def fetch(
        self, url: str, *, data: Mapping[str, str] | None = None, check: Check | None = None
    ) -> Fetched:
        """Download an address (POST if ``data`` is given) into the cache, or reuse it.

        Parameters
        ----------
        url
            The address.
        data
            Form fields to POST (e.g. an Overpass query).
        check
            Looks at a complete body and names what is wrong with it (``None``: fine); a body
            it rejects is retried like a busy server and never cached.

        Returns
        -------
        Fetched
            The file in the cache.
        """
        path = self.cache_dir / cache_name(url, data)
        meta = path.with_name(path.name + ".json")
        if path.is_file() and meta.is_file() and not self.refresh:
            info = json.loads(meta.read_text(encoding="utf-8"))
            return Fetched(url, path, path.stat().st_size, info["sha256"], info["fetched_at"],
                           from_cache=True)  # fmt: skip
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._download(url, data, path, check)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        fetched = Fetched(url, path, path.stat().st_size, _sha256(path), now, from_cache=False)
        meta.write_text(
            json.dumps({"url": url, "sha256": fetched.sha256, "fetched_at": fetched.fetched_at}),
            encoding="utf-8",
        )
        return fetched

    def forget(self, fetched: Fetched) -> None:
        """Drop a download from the cache (it proved unusable later), so the next run asks again.

        Parameters
        ----------
        fetched
            The download.
        """
        fetched.path.unlink(missing_ok=True)
        fetched.path.with_name(fetched.path.name + ".json").unlink(missing_ok=True)

    def _download(
        self, url: str, data: Mapping[str, str] | None, path: Path, check: Check | None = None
    ) -> None:
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self._pause(attempt, problem))
            try:
                response = self._request(url, data)
            except requests.RequestException as exc:
                problem = f"no answer ({type(exc).__name__})"
                continue
            if response.status_code in RETRY_STATUS:
                problem = f"HTTP {response.status_code} {response.reason}"
                self._retry_after = response.headers.get("Retry-After")
                response.close()
                continue
            if response.status_code >= 400:
                response.close()
                raise FetchError(url, f"HTTP {response.status_code} {response.reason}")
            try:
                self._save(response, url, path)
            except (requests.RequestException, _TruncatedError) as exc:
                problem = f"the transfer broke off ({exc})"
                continue
            wrong = check(path) if check is not None else None
            if wrong:
                path.unlink(missing_ok=True)
                problem = f"an unusable answer ({wrong})"
                continue
            return
        tries = self.retries + 1
        raise FetchError(url, f"{problem} after {tries} tries; the previous data are kept")

    _retry_after: str | None = None

    def _pause(self, attempt: int, problem: str) -> float:
        pause = float(self.backoff_s * 2 ** (attempt - 1))
        if problem.startswith("HTTP 429") and self._retry_after:
            with contextlib.suppress(ValueError):
                pause = max(pause, float(self._retry_after))
        self._retry_after = None
        return min(pause, MAX_PAUSE_S)

    def _request(self, url: str, data: Mapping[str, str] | None) -> requests.Response:
        if data is not None:
            return self.session.post(url, data=dict(data), timeout=self.timeout_s, stream=True)
        return self.session.get(url, timeout=self.timeout_s, stream=True)

    def _save(self, response: requests.Response, url: str, path: Path) -> None:
        total = int(response.headers.get("Content-Length") or 0) or None
        part = path.with_name(path.name + ".part")
        written = 0
        try:
            bar = tqdm(total=total, unit="B", unit_scale=True, desc=_label(url),
                       disable=not self.progress, leave=False)  # fmt: skip
            with bar, part.open("wb") as handle:
                for block in response.iter_content(1 << 16):
                    handle.write(block)
                    written += len(block)
                    bar.update(len(block))
            if total is not None and written < total:
                raise _TruncatedError(f"{written} of {total} bytes")
            part.replace(path)
        finally:
            part.unlink(missing_ok=True)
            response.close()


Check = Callable[[Path], "str | None"]


def zip_check(path: Path) -> str | None:
    """``None`` for a readable ZIP archive, else what it is instead."""
    if zipfile.is_zipfile(path):
        return None
    head = path.read_bytes()[:60].decode("utf-8", "replace").strip()
    return f"not a ZIP archive but {head[:40]!r}…" if head else "an empty file"


def overpass_check(path: Path) -> str | None:
    """``None`` for complete OSM XML; Overpass reports a timeout or lack of memory in a remark."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        return f"not OSM XML ({exc})"
    for remark in root.iter("remark"):
        text = (remark.text or "").strip()
        if "error" in text.lower():
            return f"Overpass stopped early: {text[:120]}"
    return None


class _TruncatedError(Exception):
    """The body ended before its announced length."""


def _label(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0][:40] or url[:40]


def describe(fetched: Fetched) -> dict[str, Any]:
    """What a fetch manifest records about a download."""
    return {
        "url": fetched.url,
        "bytes": fetched.bytes,
        "sha256": fetched.sha256,
        "fetched_at": fetched.fetched_at,
    }
