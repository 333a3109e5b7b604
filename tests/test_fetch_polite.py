"""Fetching with manners: spacing per host, and no pile-up of requests waiting for one host."""

from __future__ import annotations

import pytest

from service.config import Settings
from service.errors import HostBusyError
from service.fetch.polite import HostSchedule, PoliteFetcher


def test_a_slot_further_away_than_the_longest_wait_is_refused_and_not_booked():
    schedule = HostSchedule(1.0, clock=lambda: 50.0)  # the clock stands still
    assert [schedule.reserve("a.example", max_wait=1.5) for _ in range(3)] == [0.0, 1.0, None]
    assert schedule.reserve("a.example", max_wait=1.5) is None  # the refused one booked nothing
    assert schedule.reserve("a.example") == 2.0  # without a limit the next slot is the third
    assert schedule.reserve("b.example", max_wait=1.5) == 0.0  # other hosts are not held up


def test_the_web_apps_fetcher_fails_at_once_when_a_host_has_too_many_waiting():
    waits: list[float] = []
    fetched: list[str] = []
    polite = PoliteFetcher(
        1.0, respect_robots=False, fetch=lambda url, settings, **kw: fetched.append(url) or url,
        clock=lambda: 10.0, sleep=waits.append, max_wait=2.0,
    )
    for n in range(3):
        polite(f"https://a.example/{n}", Settings())
    with pytest.raises(HostBusyError, match="a.example"):
        polite("https://a.example/3", Settings())
    assert waits == [1.0, 2.0] and len(fetched) == 3
