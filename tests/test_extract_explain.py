"""`extract --explain`: which finder gave the body, what each rule removed, why there was no
article. It is how a user reports a bad page, so it must name things a person can check."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from service.cli import main
from service.errors import ExtractionError
from service.extract.page import extract_html, extract_text

PAGES = Path(__file__).parent / "fixtures" / "pages"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_explanation_names_the_finder_and_what_each_rule_removed():
    a = extract_html((PAGES / "short_story_item.html").read_text(encoding="utf-8"))
    explain = a.extras["explain"]
    assert explain["finder"] == "readability" and explain["outlet"] is None
    assert explain["removed"]["list of teasers"]["count"] == 5
    assert any("Pasar Malam Kembali Dibuka" in s for s in explain["removed"]["list of teasers"]["snippets"])
    assert explain["removed"]["credit line (kept as author/editor/source)"]["snippets"] == ["Sumber: Humas Unit Layanan"]
    assert explain["no_article"] is None


def test_an_outlet_page_says_which_outlet_rules_applied_and_that_they_can_be_turned_off():
    html = (PAGES / "inline_tag_links.html").read_text(encoding="utf-8")
    url = "https://money.kompas.com/read/2024/01/01/1/x"
    on = extract_html(html, url).extras["explain"]
    off = extract_html(html, url, outlet_rules=False).extras["explain"]
    assert (on["outlet"], on["finder"]) == ("Kompas.com", "outlet")
    assert any(rule.startswith("outlet widget (a.inner-link-baca-juga)") for rule in on["removed"])
    assert (off["outlet_rules"], off["finder"]) == (False, "readability")
    assert not any(rule.startswith("outlet") for rule in off["removed"])


def test_hidden_sections_kept_are_counted():
    a = extract_html((PAGES / "paged_sections.html").read_text(encoding="utf-8"))
    assert a.extras["explain"]["hidden_sections_kept"] == 2


def test_no_article_says_why():
    with pytest.raises(ExtractionError) as err:
        extract_html("<html><body><h1>Berita</h1><p>Tidak ada isi.</p></body></html>")
    explain = err.value.explain  # type: ignore[attr-defined]
    assert "characters of text were left" in explain["no_article"]
    assert explain["tried"]  # the finders it tried, with what each found


def test_a_paste_is_explained_too():
    a = extract_text("Harga cabai naik lagi di pasar induk kota.\n\nBaca juga: Harga Bawang Turun\n\n"
                     "Pedagang menyebut pasokan dari petani berkurang karena hujan turun setiap hari.")
    explain = a.extras["explain"]
    assert explain["finder"] == "pasted text"
    assert explain["removed"]["boilerplate line"]["snippets"] == ["Baca juga: Harga Bawang Turun"]


def test_cli_explain_prints_the_explanation_on_stderr_and_keeps_stdout_the_article():
    code, out, err = cli("extract", "--file", str(PAGES / "short_story_item.html"), "--explain")
    assert code == 0
    assert "body from: readability" in err and "list of teasers" in err
    assert "Pasar Malam" not in out and "Aliran listrik" in out


def test_cli_explain_with_json_adds_an_explain_field():
    code, out, _ = cli("extract", "--file", str(PAGES / "short_story_item.html"), "--explain", "--format", "json")
    assert code == 0
    assert json.loads(out)["explain"]["finder"] == "readability"
    code, out, _ = cli("extract", "--file", str(PAGES / "short_story_item.html"), "--format", "json")
    assert "explain" not in json.loads(out)  # the contract's fields only, without the flag


def test_cli_explain_says_why_a_page_had_no_article(tmp_path: Path):
    page = tmp_path / "index.html"
    page.write_text("<html><body><h1>Berita</h1><p>Tidak ada isi.</p></body></html>", encoding="utf-8")
    code, out, err = cli("extract", "--file", str(page), "--explain")
    assert code == 1 and out == ""
    assert "no article: after boilerplate was removed" in err
    assert err.rstrip().endswith("error: No article found on this page. Paste the article text instead.")


def test_outlet_rules_can_be_turned_off_by_setting_for_the_cli(monkeypatch, tmp_path):
    from service.acquire import acquire_file
    from service.config import Settings

    page = tmp_path / "page.html"
    html = (PAGES / "inline_tag_links.html").read_text(encoding="utf-8")
    page.write_text(html.replace("<head>", '<head><link rel="canonical" href="https://money.kompas.com/read/2024/01/01/1/x">', 1), encoding="utf-8")
    off = Settings.from_env({"SERVICE_EXTRACT_OUTLET_RULES": "0"})
    assert off.extract_outlet_rules is False and Settings.from_env({}).extract_outlet_rules is True
    assert acquire_file(page, off).extras["explain"]["outlet_rules"] is False
    monkeypatch.setenv("SERVICE_EXTRACT_OUTLET_RULES", "0")
    code, _, err = cli("extract", "--file", str(page), "--explain")
    assert code == 0 and "outlet rules off" in err
