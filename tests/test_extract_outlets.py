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


# The outlets readers meet most (issue 11). Generic by design, with no row: BBC Indonesia (a path on
# bbc.com) and Grid ("grid" would become a site-name word for the title rules).
TOP = ("detik.com", "kompas.com", "tribunnews.com", "tribunjatim.com", "liputan6.com", "cnnindonesia.com",
       "cnbcindonesia.com", "okezone.com", "suara.com", "kumparan.com", "idntimes.com", "sindonews.com",
       "tempo.co", "antaranews.com", "republika.co.id", "merdeka.com", "jpnn.com", "jawapos.com", "bisnis.com",
       "kontan.co.id", "katadata.co.id", "tirto.id", "inews.id", "voaindonesia.com")


@pytest.mark.parametrize("host", TOP)
def test_every_top_outlet_says_what_it_knows_and_where_it_was_checked(host: str):
    outlet = outlet_for(f"https://www.{host}/read/1/x")
    assert outlet is not None, f"{host} is not in the outlet table"
    assert outlet.checked  # a real page it was checked on, "not on a real page", or the generic path
    if outlet.body:
        assert outlet.checked != "generic path"


def test_bbc_indonesia_relies_on_the_generic_path():
    assert outlet_for("https://www.bbc.com/indonesia/articles/c1") is None
