"""The planning team's SWOT entries per municipality: :class:`SwotStore` over ``swot_entry``."""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select

from kek_geo.errors import KekGeoError
from kek_geo.storage.engine import Store
from kek_geo.storage.tables import swot_entry as swot_table
from kek_geo.text import one_line, visible_text

#: Kinds of entry.
SWOT_KINDS = ("chance", "risiko", "staerke", "schwaeche", "bemerkung")
#: Most characters of an entry.
MAX_ENTRY = 1000


class SwotError(KekGeoError):
    """An entry is invalid (empty, too long, unknown kind, no author)."""


@dataclass(frozen=True)
class SwotEntry:
    """One entry: what the planning team adds to a municipality's SWOT."""

    gemeinde_ags: str
    kind: str
    text: str
    author: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created: datetime = field(default_factory=lambda: datetime.now(UTC))


def make_entry(gemeinde_ags: str, kind: str, text: object, author: object) -> SwotEntry:
    """A validated entry (visible text only, 1–1,000 characters, an author).

    Parameters
    ----------
    gemeinde_ags
        The municipality.
    kind
        One of :data:`SWOT_KINDS`.
    text, author
        What was typed.

    Returns
    -------
    SwotEntry
        The entry.
    """
    if kind not in SWOT_KINDS:
        raise SwotError(f"unknown kind {kind!r}: use one of {', '.join(SWOT_KINDS)}")
    body = visible_text(text)
    if not body or len(body) > MAX_ENTRY:
        raise SwotError(f"the text must have 1 to {MAX_ENTRY} characters, not {len(body)}")
    name = one_line(author)[:200]
    if not name:
        raise SwotError("who writes the entry is missing")
    return SwotEntry(gemeinde_ags, kind, body, name)


class SwotStore(Store):
    """SWOT entries in the project database (SQLite or PostGIS)."""

    def add(self, entry: SwotEntry) -> SwotEntry:
        """Store an entry (one transaction)."""
        with self._writing() as conn:
            conn.execute(
                insert(swot_table).values(
                    id=entry.id, gemeinde_ags=entry.gemeinde_ags, kind=entry.kind,
                    text=entry.text, author=entry.author, created_at=entry.created,
                )
            )  # fmt: skip
        return entry

    def list(self, gemeinde_ags: str) -> builtins.list[SwotEntry]:
        """A municipality's entries, oldest first."""
        c = swot_table.c
        query = (
            select(c.gemeinde_ags, c.kind, c.text, c.author, c.id, c.created_at)
            .where(c.gemeinde_ags == gemeinde_ags)
            .order_by(c.created_at, c.id)
        )
        with self._reading() as conn:
            return [SwotEntry(*row) for row in conn.execute(query)]

    def delete(self, entry_id: str) -> bool:
        """Delete an entry; whether there was one."""
        with self._writing() as conn:
            result = conn.execute(delete(swot_table).where(swot_table.c.id == entry_id))
        return bool(result.rowcount)
