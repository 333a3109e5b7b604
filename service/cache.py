"""A result cache on disk, so the same article with the same models and options is instant.

Translating and summarising an article takes seconds to minutes on a CPU; readers often
open the same article twice (a reload, a shared link, a second tab). Results are kept in
one SQLite file under `settings.cache_dir`, bounded by `settings.cache_max_mb` with the
least recently used entries evicted first, and they survive restarts.

The cache must never be the reason a request fails: a corrupt or unreadable file is
replaced by a fresh one, and if even that is impossible (read-only disk) the cache turns
itself off for this process and every lookup is a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import Settings

log = logging.getLogger(__name__)

FILE_NAME = "results.sqlite3"
# Bump when the shape of cached values changes, so old entries are never returned.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    size INTEGER NOT NULL,
    used INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS results_used ON results(used);
"""


def normalize_text(text: str) -> str:
    """The text as the cache sees it: NFC, whitespace runs collapsed, paragraph breaks kept.

    Two pastes of one article that differ only in spacing or line wrapping hit the same entry.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [" ".join(block.split()) for block in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cache_key cannot encode {type(value).__name__}")


def cache_key(text: str, models: Mapping[str, Any], options: Any) -> str:
    """A stable key for one request: the normalised text, the models and every option.

    `models` names each model used (and anything that changes its output, such as the
    backend or the number of beams); `options` is a mapping or a dataclass (pipeline.Options).
    """
    if dataclasses.is_dataclass(options) and not isinstance(options, type):
        options = dataclasses.asdict(options)
    payload = json.dumps(
        {"v": SCHEMA_VERSION, "text": normalize_text(text), "models": dict(models), "options": options},
        sort_keys=True,
        ensure_ascii=False,
        default=_plain,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ResultCache:
    """`get(key) -> dict | None` and `put(key, dict)`, shared safely by threads and processes."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = bool(settings.cache_enabled) and settings.cache_max_mb > 0
        self.max_bytes = max(0, int(settings.cache_max_mb)) * 1024 * 1024
        self.path = Path(settings.cache_dir).expanduser() / FILE_NAME
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    # -- public ---------------------------------------------------------------------------

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached value, or None on a miss; a hit becomes the most recently used entry."""
        if not self.enabled:
            return None
        with self._lock:
            row = self._run(lambda c: c.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone())
            if not row:
                return None
            try:
                value = json.loads(row[0])
            except ValueError:
                value = None
            if not isinstance(value, dict):  # a damaged row: forget it, recompute
                self._run(lambda c: c.execute("DELETE FROM results WHERE key = ?", (key,)))
                return None
            self._run(lambda c: c.execute("UPDATE results SET used = ? WHERE key = ?", (_tick(), key)))
            return value

    def put(self, key: str, value: Mapping[str, Any]) -> None:
        """Store `value` (JSON-serialisable) and evict the least recently used beyond the size bound."""
        if not self.enabled:
            return
        data = json.dumps(dict(value), ensure_ascii=False, sort_keys=True)
        size = len(data.encode("utf-8"))
        if size > self.max_bytes:
            return  # one entry larger than the whole cache: not worth evicting everything for
        with self._lock:

            def write(c: sqlite3.Connection) -> None:
                c.execute("BEGIN IMMEDIATE")  # one writer at a time, across processes too
                try:
                    c.execute(
                        "INSERT OR REPLACE INTO results (key, value, size, used) VALUES (?, ?, ?, ?)",
                        (key, data, size, _tick()),
                    )
                    total = c.execute("SELECT COALESCE(SUM(size), 0) FROM results").fetchone()[0]
                    excess = total - self.max_bytes
                    victims = []
                    if excess > 0:
                        rows = c.execute("SELECT key, size FROM results WHERE key != ? ORDER BY used", (key,))
                        for k, s in rows.fetchall():
                            victims.append((k,))
                            excess -= s
                            if excess <= 0:
                                break
                    c.executemany("DELETE FROM results WHERE key = ?", victims)
                    c.execute("COMMIT")
                except BaseException:
                    if c.in_transaction:
                        c.execute("ROLLBACK")
                    raise

            self._run(write)

    def clear(self) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._run(lambda c: c.execute("DELETE FROM results"))

    def stats(self) -> dict[str, int]:
        """Entries and payload bytes held (for tests and the benchmark)."""
        if not self.enabled:
            return {"entries": 0, "bytes": 0}
        with self._lock:
            row = self._run(
                lambda c: c.execute("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM results").fetchone()
            )
        return {"entries": int(row[0]), "bytes": int(row[1])} if row else {"entries": 0, "bytes": 0}

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- internals ------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
        try:
            conn.executescript(_SCHEMA)
            conn.execute("SELECT COUNT(*) FROM results").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn

    def _run(self, op: Any) -> Any:
        """Run `op(connection)`; on a damaged file start a fresh one, on anything worse turn off."""
        for attempt in (1, 2):
            try:
                if self._conn is None:
                    self._conn = self._connect()
                return op(self._conn)
            except sqlite3.OperationalError as exc:
                message = str(exc).lower()
                if "locked" in message or "busy" in message:
                    log.warning("result cache busy (%s); treating as a miss", exc)
                    return None
                if attempt == 2 or not self._reset(exc):
                    return self._disable(exc)
            except (sqlite3.Error, OSError) as exc:
                if attempt == 2 or not self._reset(exc):
                    return self._disable(exc)
        return None

    def _reset(self, exc: BaseException) -> bool:
        """Delete a damaged database so the next call creates a fresh one; False if impossible."""
        log.warning("result cache %s is unusable (%s); starting a fresh one", self.path, exc)
        self._close_quietly()
        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                p = Path(str(self.path) + suffix)
                if p.is_dir():
                    return False  # not ours to delete
                p.unlink(missing_ok=True)
        except OSError:
            return False
        return True

    def _close_quietly(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def _disable(self, exc: BaseException) -> None:
        log.warning("result cache disabled for this process: %s", exc)
        self.enabled = False
        self._close_quietly()


_last_tick = 0
_tick_lock = threading.Lock()


def _tick() -> int:
    """A strictly increasing use stamp (wall-clock ns), so LRU order survives restarts."""
    global _last_tick
    with _tick_lock:
        _last_tick = max(_last_tick + 1, time.time_ns())
        return _last_tick
