"""Fetching with manners, for many articles at once (the batch command, the web's many links).

Requests to one host are spaced by `per_host_delay` (one `HostSchedule` shared by everything
that fetches for the run; batch keeps it in a Ray actor), robots.txt is honoured (protego)
unless `respect_robots=False`, and a 429/503 doubles that host's spacing. Every fetch still
goes through `fetch.fetch`, so the SSRF guard and all its bounds apply.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import FetchError, HostBusyError, HTTPStatusError, RobotsDisallowedError

__all__ = ["DEFAULT_HOST_DELAY", "MAX_HOST_DELAY", "HostSchedule", "PoliteFetcher"]

DEFAULT_HOST_DELAY = 1.0  # seconds between two requests to one host (batch's --per-host-delay)
MAX_HOST_DELAY = 16.0  # seconds; more would eat most of one fetch deadline (30 s)


class HostSchedule:
    """When each host may next be asked, and how far apart: one for the whole run.

    In a Ray run it lives in one actor that every worker asks (`RemoteSchedule`), so a host is
    spaced by `per_host_delay` however many workers there are, and a 429 seen by one worker
    slows that host down for all of them.
    """

    def __init__(self, per_host_delay: float = DEFAULT_HOST_DELAY, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_host_delay = per_host_delay
        self._clock = clock
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._delay: dict[str, float] = {}

    def reserve(self, host: str, max_wait: float | None = None) -> float | None:
        """Book the host's next slot; the seconds to wait before using it. None, and nothing
        booked, when that is more than `max_wait` seconds away."""
        with self._lock:
            now = self._clock()
            at = max(now, self._next.get(host, now))
            if max_wait is not None and at - now > max_wait:
                return None
            self._next[host] = at + self._delay.get(host, self.per_host_delay)
        return at - now

    def slow_down(self, host: str) -> float:
        """The host answered 429/503: double its spacing (bounded); the new spacing."""
        with self._lock:
            delay = min(max(self._delay.get(host, self.per_host_delay), 0.5) * 2, MAX_HOST_DELAY)
            self._delay[host] = delay
        return delay

    def delay(self, host: str) -> float:
        with self._lock:
            return self._delay.get(host, self.per_host_delay)


class PoliteFetcher:
    """`fetch.fetch` with manners; same call signature, so `pipeline.run(fetcher=...)` takes it."""

    def __init__(
        self,
        per_host_delay: float = DEFAULT_HOST_DELAY,
        respect_robots: bool = True,
        fetch: Callable[..., Any] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        schedule: Any = None,  # a HostSchedule, or one with its calls (batch's RemoteSchedule)
        max_wait: float | None = None,
    ) -> None:
        """`max_wait`: the longest a request may wait for its host's slot; a request that would
        wait longer fails at once (HostBusyError) and books nothing, so that waiting requests
        cannot pile up on one host (the web app's many links; batch waits as long as it takes)."""
        if fetch is None:
            from .client import fetch
        self._fetch = fetch
        self.respect_robots = respect_robots
        self._sleep = sleep
        self.max_wait = max_wait
        self.schedule = schedule or HostSchedule(per_host_delay, clock)
        self._lock = threading.Lock()
        self._robots: dict[str, Any] = {}

    def __call__(self, url: str, settings: Settings, **kwargs: Any) -> Any:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if self.respect_robots and not self._allowed(url, parts, settings):
            raise RobotsDisallowedError(
                f"{host}'s robots.txt asks automated readers not to fetch this address, so it was not read. "
                "For a site you own, run batch with --ignore-robots."
            )
        self._wait(host)
        try:
            return self._fetch(url, settings, **kwargs)
        except HTTPStatusError as exc:
            if exc.status in (429, 503):  # the host asks us to slow down
                self.schedule.slow_down(host)
            raise

    def delay(self, host: str) -> float:
        return self.schedule.delay(host)

    def _wait(self, host: str) -> None:
        wait = self.schedule.reserve(host) if self.max_wait is None else self.schedule.reserve(host, self.max_wait)
        if wait is None:
            raise HostBusyError(
                f"Too many requests to {host} are waiting their turn (it is asked at most once every "
                f"{self.schedule.delay(host):g} s); try this link again in a minute."
            )
        if wait > 0:
            self._sleep(wait)

    def _allowed(self, url: str, parts: Any, settings: Settings) -> bool:
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            parser = self._robots.get(origin)
        if parser is None:
            parser = self._load_robots(origin, parts.hostname or "", settings)
            with self._lock:
                self._robots[origin] = parser
        return parser.can_fetch(url, settings.user_agent)

    def _load_robots(self, origin: str, host: str, settings: Settings) -> Any:
        from protego import Protego

        self._wait(host.lower())
        try:
            page = self._fetch(origin + "/robots.txt", settings, accept=("text/plain", "text/html"))
            text = page.body.decode(page.charset or "utf-8", errors="replace")
            if page.content_type == "text/html":  # a soft 404 page, not robots rules
                text = ""
        except HTTPStatusError as exc:
            # 4xx: no rules, everything allowed; 5xx: the site is unwell, treat as disallowed
            text = "User-agent: *\nDisallow: /\n" if exc.status >= 500 else ""
        except FetchError:
            text = ""  # unreachable robots.txt: the article fetch will report the real problem
        return Protego.parse(text)
