"""In-memory rate limits shared by the sessions of one server process (thread-safe)."""

from __future__ import annotations

import threading
from collections import defaultdict, deque


class SlidingWindow:
    """At most ``limit`` events per ``window_s`` seconds for each key.

    Parameters
    ----------
    limit
        Events allowed in a window.
    window_s
        Length of the window in seconds.
    """

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._events: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events[key]
        while events and now - events[0] >= self.window_s:
            events.popleft()
        return events

    def allowed(self, key: str, now: float) -> bool:
        """Whether another event of ``key`` fits into the window now (nothing is counted)."""
        with self._lock:
            return len(self._recent(key, now)) < self.limit

    def record(self, key: str, now: float) -> None:
        """Count an event of ``key`` at ``now``."""
        with self._lock:
            self._recent(key, now).append(now)

    def acquire(self, key: str, now: float) -> bool:
        """Count an event of ``key`` if it fits into the window; return whether it did."""
        with self._lock:
            events = self._recent(key, now)
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True
