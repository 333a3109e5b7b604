"""The Hugging Face Hub as the loader sees it: can it be reached now, and what is cached.

Without this, a Hub id on a machine that cannot reach the Hub (no network, a firewall, a
self-hosted server) sits through huggingface_hub's retries, about 30 s and a dozen warning
lines per model, before failing; and a model that *is* cached waits the same before loading.
One short connection attempt (cached for a while) decides instead: unreachable means cached
files only, at once, and a missing model fails in seconds with one message.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

PROBE_TIMEOUT = 3.0  # seconds for one connection attempt to the Hub
PROBE_TTL = 60.0  # seconds an answer is trusted before asking again

_lock = threading.Lock()
_answer: tuple[float, str, bool] | None = None  # (when, endpoint, reachable)


def _endpoint() -> tuple[str, bool]:
    """(the Hub's base URL, whether huggingface_hub was told to stay offline)."""
    from huggingface_hub import constants

    return constants.ENDPOINT, bool(constants.HF_HUB_OFFLINE)


def reachable() -> bool:
    """Whether a TCP connection to the Hub opens now (False at once when told offline)."""
    global _answer
    endpoint, offline = _endpoint()
    if offline:
        return False
    with _lock:
        now = time.monotonic()
        if _answer is not None and _answer[1] == endpoint and now - _answer[0] < PROBE_TTL:
            return _answer[2]
        parts = urlsplit(endpoint)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname or "", port), timeout=PROBE_TIMEOUT):
                ok = True
        except (OSError, UnicodeError, ValueError):
            ok = False
        _answer = (time.monotonic(), endpoint, ok)
        return ok


def cached_snapshot(model_id: str, revision: str | None) -> Path | None:
    """The local folder of a cached Hub model (its config.json's snapshot), or None."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(model_id, "config.json", revision=revision)
    except (ValueError, OSError):  # not a valid repo id
        return None
    return Path(found).parent if isinstance(found, str) else None


def forget() -> None:
    """Ask again next time (after a download, or in tests)."""
    global _answer
    with _lock:
        _answer = None
