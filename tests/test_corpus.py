"""Quality gate: every real page in ../shared/corpus extracts cleanly.

The check is the one /work/shared/README.md describes: the title matches, the first and last
sentences of the body are in the text (a leading dateline may be dropped), and no boilerplate
snippet from `must_not_contain` is. Comparison is after NFKC, straight quotes, U+00A0 as a space
and collapsed whitespace. The corpus is test data that a fresh clone does not have: without
../shared these tests skip.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from service.acquire import acquire_file
from service.config import Settings

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MANIFEST = CORPUS / "manifest.jsonl"

pytestmark = pytest.mark.skipif(not MANIFEST.is_file(), reason="../shared/corpus is not available")

_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})
_DATELINE = re.compile(r"^.{0,60}?(?:\s[-–—]{1,2}\s|\)\s*[-–—]{1,2}\s)")


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def _pages() -> list[dict]:
    if not MANIFEST.is_file():
        return []
    return [json.loads(line) for line in MANIFEST.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sentence_in(sentence: str, text: str) -> bool:
    """The sentence, or the sentence without its leading dateline, is in the text."""
    s = norm(sentence)
    return s in text or _DATELINE.sub("", s, count=1) in text


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p["file"])
def test_corpus_page_extracts_cleanly(page: dict) -> None:
    article = acquire_file(CORPUS / "html" / page["file"], Settings())
    text = norm(article.text)

    assert norm(article.title) == norm(page["title"])
    assert _sentence_in(page["first_sentence"], text), "first sentence missing"
    assert _sentence_in(page["last_sentence"], text), "last sentence missing"
    leaked = [s for s in page["must_not_contain"] if norm(s) in text]
    assert leaked == [], f"boilerplate in the body: {leaked}"
    assert article.language == "id"
