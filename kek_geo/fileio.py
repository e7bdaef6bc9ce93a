"""Writing files and folders all or nothing: the snapshot build, imports and exports use this."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing_folder(final: Path) -> Iterator[Path]:
    """A temporary folder beside ``final`` that replaces it when the block succeeds.

    On an error the temporary folder is removed and an existing ``final`` stays untouched, so
    nothing half-written is ever left behind.

    Parameters
    ----------
    final
        The folder to create or replace.

    Yields
    ------
    pathlib.Path
        The temporary folder to write into.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    tmp.chmod(0o755)  # mkdtemp makes a private folder; these folders are meant to be shared
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = final.parent / f".{final.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    try:
        tmp.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_file(data: str | bytes, path: Path) -> None:
    """Write a file through a temporary file beside it, so nothing half-written is left.

    Parameters
    ----------
    data
        Text (written as UTF-8) or bytes.
    path
        The file.
    """
    tmp = path.with_name(path.name + ".part")
    try:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
