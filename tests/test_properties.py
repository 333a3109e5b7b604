"""Property-based checks on the text stages: arbitrary Unicode never breaks them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.segment import normalize_space, split_long, split_sentences

# Text that looks like news (letters, digits, the punctuation the splitter cares about)
# mixed with anything Unicode can throw at us.
_newsy = st.lists(
    st.sampled_from(list("abcdeABCDE 0123456789.,;:!?\"'“”‘’()[]…-—\n\t\u00a0") + ["Dr. ", "Rp", " dll. ", "3.016"]),
    max_size=120,
).map("".join)
_any = st.text(max_size=300)
texts = st.one_of(_newsy, _any)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts)
def test_sentence_splitting_loses_no_characters(text):
    sentences = split_sentences(text)
    assert " ".join(sentences) == normalize_space(text)
    assert all(s and s == s.strip() for s in sentences)


@FAST
@given(texts, st.integers(min_value=1, max_value=40))
def test_splitting_long_sentences_respects_the_token_budget(text, budget):
    def count(s: str) -> int:
        return len(s.split())

    parts = split_long(text, budget, count)
    assert " ".join(parts) == normalize_space(text)
    # Only a single word can exceed the budget: there is no boundary left to cut at.
    assert all(count(p) <= budget or len(p.split()) == 1 for p in parts)
