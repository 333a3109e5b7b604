"""Per-outlet rules are data: every selector must compile, and hosts map to the right outlet."""

from __future__ import annotations

import pytest
from lxml.cssselect import CSSSelector

from service.extract.outlets import OUTLETS, outlet_for


@pytest.mark.parametrize("outlet", OUTLETS, ids=lambda o: o.name)
def test_every_selector_is_valid_css(outlet):  # type: ignore[no-untyped-def]
    for selector in (*outlet.body, *outlet.junk):
        CSSSelector(selector)  # raises on a typo


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://nasional.kompas.com/read/2023/05/18/1/x", "Kompas.com"),
        ("https://www.tribunnews.com/x", "Tribunnews.com"),
        ("https://jogja.tribunnews.com/x", "Tribunnews.com"),
        ("https://news.detik.com/berita/d-1/x", "detikcom"),
        ("https://www.antaranews.com/berita/1/x", "Antara"),
        ("https://www.ihram.co.id/berita/x", "Republika"),
        ("https://notkompas.com/x", None),  # a different domain that merely ends the same way
        ("https://kompas.com.evil.example/x", None),
    ],
)
def test_hosts_and_subdomains_map_to_their_outlet(url: str, name: str | None):
    outlet = outlet_for(url)
    assert (outlet.name if outlet else None) == name
