"""The summary stage as a reader meets it: how many sentences, which ones, in what order,
what the model was given, and what happens when the model is missing or fails.

Models are tiny random-weight builds (tests/tiny_summarizers.py): their words are noise,
so model tests assert on what reached the model and on the shape of what came back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from tiny_summarizers import NEWS_EN_LINES, NEWS_ID_LINES, build_tiny_bart, build_tiny_chat_lm, build_tiny_t5

from service import models
from service.config import Settings
from service.errors import InputError, ModelRuntimeError
from service.summarize import LENGTHS, METHODS, Summary, prompts
from service.summarize import summarize as summarize_stage
from service.summarize.chunks import plan_chunks
from service.summarize.text import clean_generated, points_of
from service.types import SummaryRequest

SETTINGS = Settings(device="cpu")

# --- articles ---------------------------------------------------------------------------

# A flood story whose third sentence gathers the words the others share: it is central.
FLOOD_ID = [
    [
        "Banjir besar melanda Jakarta Utara sejak Sabtu malam.",
        "Ribuan warga Jakarta Utara mengungsi ke masjid.",
    ],
    [
        "Banjir besar di Jakarta Utara membuat ribuan warga mengungsi dan merendam ratusan rumah "
        "di Kelapa Gading.",
        "Air merendam ratusan rumah di Kelapa Gading setinggi satu meter.",
    ],
    ["Gubernur meninjau lokasi pengungsian pada Minggu pagi.", "Petugas membagikan makanan kepada warga."],
    ["Hujan deras diperkirakan turun hingga pekan depan.", "Pasar ikan tetap buka seperti biasa."],
]
FLOOD_EN = [
    [
        "A major flood has hit North Jakarta since Saturday night.",
        "Thousands of North Jakarta residents fled to mosques.",
    ],
    [
        "The major flood in North Jakarta forced thousands of residents to flee and submerged hundreds "
        "of homes in Kelapa Gading.",
        "Water submerged hundreds of homes in Kelapa Gading one metre deep.",
    ],
    ["The governor visited the evacuation site on Sunday morning.", "Officers handed out food to residents."],
    ["Heavy rain is expected to fall until next week.", "The fish market stays open as usual."],
]
CENTRAL_EN = FLOOD_EN[1][0]

# English sentences from the tiny tokenizers' training text, so they tokenise compactly
# and decode back exactly.
NEWS_EN = [list(NEWS_EN_LINES[i : i + 2]) for i in range(0, 10, 2)]
NEWS_ID = [list(NEWS_ID_LINES[i : i + 2]) for i in range(0, 10, 2)]


def _flat(paragraphs: list[list[str]]) -> list[str]:
    return [s for p in paragraphs for s in p]


def summarize(settings=None, on_progress=None, **fields: Any) -> Summary:
    """The stage, called with the request's fields as keywords (as most tests here build them)."""
    return summarize_stage(SummaryRequest(**fields), settings or SETTINGS, on_progress=on_progress)


def _args(src: list[list[str]], en: list[list[str]], language: str = "id", **over: Any) -> dict[str, Any]:
    args: dict[str, Any] = dict(
        title_en="News of the day",
        paragraphs_en=[" ".join(p) for p in en],
        sentences_src=src,
        sentences_en=en,
        source_text="\n\n".join(" ".join(p) for p in src),
        source_language=language,
        method="extractive",
        length="medium",
        bullets=False,
        settings=SETTINGS,
    )
    args.update(over)
    return args


def _norm(text: str) -> str:
    return " ".join(text.split())


# --- recording what the model is given ---------------------------------------------------


@dataclass
class Call:
    input_ids: list[int]
    kwargs: dict[str, Any]
    text: str  # decoded input, special tokens kept


@dataclass
class Recorder:
    lm: models.LoadedModel
    calls: list[Call] = field(default_factory=list)

    def inputs(self) -> list[str]:
        return [c.text for c in self.calls]


@pytest.fixture
def record(monkeypatch):
    """Wrap a loaded model's generate() so a test sees every input; generation still runs."""

    def attach(path, task) -> Recorder:
        lm = models.load(str(path), task, SETTINGS)
        rec = Recorder(lm)
        real = lm.model.generate

        def spy(*args, **kwargs):
            ids = kwargs["input_ids"][0].tolist()
            rec.calls.append(Call(ids, dict(kwargs), lm.tokenizer.decode(ids, skip_special_tokens=False)))
            return real(*args, **kwargs)

        monkeypatch.setattr(lm.model, "generate", spy)
        return rec

    return attach


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-summarizers")
    built = {
        "bart": build_tiny_bart(root / "bart", max_positions=64),
        "bart_wide": build_tiny_bart(root / "bart-wide", max_positions=256),
        "t5": build_tiny_t5(root / "t5", max_input_tokens=128),
        "mt5": build_tiny_t5(root / "mt0", max_input_tokens=256, model_type="mt5"),
        "chat": build_tiny_chat_lm(root / "chat", max_positions=1024),
        "chat_small": build_tiny_chat_lm(root / "chat-small", max_positions=640),
    }
    yield built
    models.forget_all()


# --- interface ---------------------------------------------------------------------------


def test_the_interface_the_pipeline_uses():
    assert METHODS == ("abstractive", "extractive", "instruct")
    assert LENGTHS == {"short": (1, 2), "medium": (3, 4), "long": (5, 7)}


@pytest.mark.parametrize("over, word", [({"method": "magic"}, "method"), ({"length": "tiny"}, "length")])
def test_unknown_method_or_length_is_a_readable_input_error(over, word):
    with pytest.raises(InputError, match=word):
        summarize(**_args(FLOOD_ID, FLOOD_EN, **over))


def test_an_empty_article_is_an_input_error():
    with pytest.raises(InputError, match="no text"):
        summarize(**_args([], [], paragraphs_en=[], source_text=""))


# --- extractive --------------------------------------------------------------------------


@pytest.mark.parametrize("length", list(LENGTHS))
def test_extractive_picks_as_many_sentences_as_the_length_allows_in_article_order(length):
    summary = summarize(**_args(FLOOD_ID, FLOOD_EN, length=length))
    assert summary.method == "extractive" and summary.model is None and summary.note is None
    assert len(summary.points) == LENGTHS[length][1]
    everything = _flat(FLOOD_EN)
    positions = [everything.index(p) for p in summary.points]
    assert positions == sorted(positions)
    assert summary.text == " ".join(summary.points)


def test_extractive_includes_the_central_sentence():
    summary = summarize(**_args(FLOOD_ID, FLOOD_EN, length="short"))
    assert CENTRAL_EN in summary.points


def test_extractive_ranks_the_indonesian_and_shows_its_english_translation():
    # English stand-ins with no overlap between them: ranking the English would be a coin
    # toss, so picking "sentence 2" proves the Indonesian was ranked and mapped back.
    opaque_en = [
        [f"English sentence number {i}{j}." for j, _ in enumerate(p)] for i, p in enumerate(FLOOD_ID)
    ]
    summary = summarize(**_args(FLOOD_ID, opaque_en, length="short"))
    assert "English sentence number 10." in summary.points
    assert all(p.startswith("English sentence number") for p in summary.points)


def test_extractive_ranks_english_input_directly():
    summary = summarize(**_args(FLOOD_EN, FLOOD_EN, language="en", length="short"))
    assert CENTRAL_EN in summary.points


def test_extractive_does_not_repeat_itself():
    src = [FLOOD_ID[1][:1] + FLOOD_ID[0]] + FLOOD_ID[1:]  # the central sentence twice
    en = [FLOOD_EN[1][:1] + FLOOD_EN[0]] + FLOOD_EN[1:]
    summary = summarize(**_args(src, en, length="medium"))
    assert summary.points.count(CENTRAL_EN) == 1


def test_extractive_bullets_are_dash_lines():
    summary = summarize(**_args(FLOOD_ID, FLOOD_EN, length="medium", bullets=True))
    lines = summary.text.split("\n")
    assert len(lines) == len(summary.points) == 4
    assert lines == [f"- {p}" for p in summary.points]


def test_extractive_of_a_short_article_gives_what_there_is():
    summary = summarize(**_args(FLOOD_ID[:1], FLOOD_EN[:1], length="long"))
    assert list(summary.points) == FLOOD_EN[0]


# --- fallback ----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["abstractive", "instruct"])
def test_a_missing_model_falls_back_to_extractive_with_a_note(tmp_path, method):
    missing = str(tmp_path / "no-such-model")
    summary = summarize(**_args(FLOOD_ID, FLOOD_EN, method=method, length="short", model_id=missing))
    assert summary.method == "extractive" and summary.model is None
    assert summary.note and "could not be loaded" in summary.note and "extractive" in summary.note
    assert "no-such-model" in summary.note
    assert summary.points == summarize(**_args(FLOOD_ID, FLOOD_EN, length="short")).points


def test_a_causal_model_without_chat_template_falls_back_with_a_note(tiny, tmp_path):
    import shutil

    plain = tmp_path / "plain-lm"
    shutil.copytree(tiny["chat"], plain)
    (plain / "chat_template.jinja").unlink()
    summary = summarize(**_args(NEWS_ID, NEWS_EN, method="instruct", length="short", model_id=str(plain)))
    assert summary.method == "extractive"
    assert "chat template" in summary.note


# --- abstractive -------------------------------------------------------------------------


def test_abstractive_summarises_a_long_article_chunk_by_chunk(tiny, record):
    rec = record(tiny["bart"], models.SEQ2SEQ)
    summary = summarize(
        **_args(NEWS_ID, NEWS_EN, method="abstractive", length="short", model_id=str(tiny["bart"]))
    )
    assert summary.method == "abstractive" and summary.model == str(tiny["bart"])
    assert summary.text and 1 <= len(summary.points) <= 2

    window = rec.lm.max_input_tokens
    assert window == 64
    assert len(rec.calls) > 2, "a 10-sentence article does not fit 64 tokens: expected several chunks"
    assert all(len(c.input_ids) <= window for c in rec.calls)
    seen = _norm(" ".join(rec.inputs()))
    for sentence in _flat(NEWS_EN):
        assert sentence in seen, f"never given to the model: {sentence}"
    # The chunks are the article in order: the first call starts where the article starts.
    assert _norm(rec.calls[0].text).startswith("<s>" + NEWS_EN[0][0])


def test_abstractive_never_drops_words_of_a_run_on_sentence(tiny, record):
    rec = record(tiny["bart"], models.SEQ2SEQ)
    words = (
        "rice prices rose in Jakarta and Surabaya while farmers in Central Java expect a harvest " * 6
    ).split()
    run_on = " ".join(words)
    summarize(
        **_args(
            [[run_on]],
            [[run_on]],
            language="en",
            method="abstractive",
            length="short",
            model_id=str(tiny["bart"]),
        )
    )
    assert all(len(c.input_ids) <= rec.lm.max_input_tokens for c in rec.calls)
    map_calls = [c for c in rec.calls if "rice" in c.text]
    given_words = " ".join(re.sub(r"</?s>", " ", c.text) for c in map_calls).split()
    assert given_words[: len(words)] == words


def test_abstractive_gives_a_short_article_to_the_model_whole(tiny, record):
    rec = record(tiny["bart_wide"], models.SEQ2SEQ)
    summarize(
        **_args(NEWS_ID, NEWS_EN, method="abstractive", length="medium", model_id=str(tiny["bart_wide"]))
    )
    assert len(rec.calls) == 1
    body = rec.calls[0].text.removeprefix("<s>").removesuffix("</s>")
    assert body == "\n".join(" ".join(p) for p in NEWS_EN)


def test_abstractive_length_sets_the_generation_bounds(tiny, record):
    rec = record(tiny["bart_wide"], models.SEQ2SEQ)
    results = {}
    for length in LENGTHS:
        results[length] = summarize(
            **_args(NEWS_ID, NEWS_EN, method="abstractive", length=length, model_id=str(tiny["bart_wide"]))
        )
    bounds = [(c.kwargs["min_new_tokens"], c.kwargs["max_new_tokens"]) for c in rec.calls]
    assert len(bounds) == 3
    (s_min, s_max), (m_min, m_max), (l_min, l_max) = bounds
    assert s_min < m_min < l_min and s_max < m_max < l_max
    assert l_max <= 256, "asked for more new tokens than the decoder has positions"
    for length, summary in results.items():
        assert len(summary.points) <= LENGTHS[length][1]


def test_abstractive_bullets_are_dash_lines(tiny):
    summary = summarize(
        **_args(
            NEWS_ID,
            NEWS_EN,
            method="abstractive",
            length="short",
            bullets=True,
            model_id=str(tiny["bart_wide"]),
        )
    )
    assert summary.text.split("\n") == [f"- {p}" for p in summary.points]


def test_progress_counts_every_model_call_and_ends_complete(tiny, record):
    rec = record(tiny["bart"], models.SEQ2SEQ)
    seen: list[tuple[int, int]] = []
    summarize(
        **_args(
            NEWS_ID,
            NEWS_EN,
            method="abstractive",
            length="short",
            model_id=str(tiny["bart"]),
            on_progress=lambda done, total: seen.append((done, total)),
        )
    )
    assert [d for d, _ in seen] == list(range(1, len(rec.calls) + 1))
    assert all(d <= t for d, t in seen)
    assert seen[-1][0] == seen[-1][1]


def test_a_failing_model_is_a_readable_runtime_error(tiny, monkeypatch):
    lm = models.load(str(tiny["bart_wide"]), models.SEQ2SEQ, SETTINGS)

    def broken(*args, **kwargs):
        raise RuntimeError("probability tensor contains inf")

    monkeypatch.setattr(lm.model, "generate", broken)
    with pytest.raises(ModelRuntimeError) as info:
        summarize(**_args(NEWS_ID, NEWS_EN, method="abstractive", model_id=str(tiny["bart_wide"])))
    message = str(info.value)
    assert str(tiny["bart_wide"]) in message and "probability tensor" in message and "extractive" in message


# --- instruct: T5 family -----------------------------------------------------------------


def _literal_head(name: str) -> str:
    """The prompt file's wording before its first placeholder."""
    return _norm(prompts.load(name).text.split("{", 1)[0])


def test_instruct_with_a_t5_model_prompts_it_with_the_english_text(tiny, record):
    rec = record(tiny["t5"], models.SEQ2SEQ)
    short_en, short_id = NEWS_EN[:1], NEWS_ID[:1]
    summary = summarize(
        **_args(short_id, short_en, method="instruct", length="short", model_id=str(tiny["t5"]))
    )
    assert summary.method == "instruct" and summary.model == str(tiny["t5"])
    assert summary.text and len(summary.points) <= 2
    assert len(rec.calls) == 1
    given = _norm(rec.calls[0].text)
    assert given.startswith(_literal_head("summary/t5.txt"))
    assert all(s in given for s in _flat(short_en))
    assert "Pemerintah" not in given


def test_instruct_with_a_t5_model_chunks_a_long_article_and_combines(tiny, record):
    rec = record(tiny["t5"], models.SEQ2SEQ)
    summarize(**_args(NEWS_ID, NEWS_EN, method="instruct", length="short", model_id=str(tiny["t5"])))
    assert len(rec.calls) > 1
    assert all(len(c.input_ids) <= rec.lm.max_input_tokens for c in rec.calls)
    seen = _norm(" ".join(rec.inputs()))
    assert all(s in seen for s in _flat(NEWS_EN))
    assert any(_norm(c.text).startswith(_literal_head("summary/t5_combine.txt")) for c in rec.calls)


def test_instruct_with_a_multilingual_t5_reads_the_indonesian(tiny, record):
    rec = record(tiny["mt5"], models.SEQ2SEQ)
    summary = summarize(
        **_args(NEWS_ID[:2], NEWS_EN[:2], method="instruct", length="short", model_id=str(tiny["mt5"]))
    )
    assert summary.method == "instruct"
    given = _norm(rec.calls[0].text)
    assert given.startswith(_literal_head("summary/t5_multilingual.txt"))
    assert "Indonesian" in given
    assert NEWS_ID[0][0] in given and NEWS_EN[0][0] not in given


# --- instruct: chat models ---------------------------------------------------------------


def test_instruct_with_a_chat_model_applies_its_chat_template(tiny, record):
    rec = record(tiny["chat"], models.CAUSAL)
    summary = summarize(
        **_args(NEWS_ID, NEWS_EN, method="instruct", length="short", model_id=str(tiny["chat"]))
    )
    assert summary.method == "instruct" and summary.model == str(tiny["chat"])
    assert summary.points and all("news" in p for p in summary.points)
    assert "<|im_end|>" not in summary.text and "assistant" not in summary.text

    assert len(rec.calls) == 1
    given = rec.calls[0].text
    system = prompts.render("summary/chat_system.txt")
    assert given.startswith(f"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n")
    assert given.endswith("<|im_start|>assistant\n")
    assert _literal_head("summary/chat_user.txt").split(" {")[0] in _norm(given)
    style = prompts.render("summary/style_prose.txt", min_sentences=1, max_sentences=2)
    assert style in given and "Indonesian" in given
    # The chat model reads the original text, not the translation.
    assert all(s in given for s in _flat(NEWS_ID))
    assert NEWS_EN[0][0] not in given


def test_instruct_bullets_ask_the_model_for_a_list(tiny, record):
    rec = record(tiny["chat"], models.CAUSAL)
    summary = summarize(
        **_args(NEWS_ID, NEWS_EN, method="instruct", length="short", bullets=True, model_id=str(tiny["chat"]))
    )
    assert prompts.render("summary/style_bullets.txt", min_sentences=1, max_sentences=2) in rec.calls[0].text
    assert summary.text.split("\n") == [f"- {p}" for p in summary.points]


def test_instruct_with_a_chat_model_chunks_under_its_context_and_combines(tiny, record):
    rec = record(tiny["chat_small"], models.CAUSAL)
    long_id = NEWS_ID * 3
    long_en = NEWS_EN * 3
    summarize(**_args(long_id, long_en, method="instruct", length="short", model_id=str(tiny["chat_small"])))
    assert len(rec.calls) > 2
    for call in rec.calls:
        assert len(call.input_ids) + call.kwargs["max_new_tokens"] <= 640
    seen = " ".join(rec.inputs())
    assert all(s in seen for s in _flat(long_id))
    combine_head = _literal_head("summary/chat_combine_user.txt").split(" {")[0]
    assert combine_head in _norm(rec.calls[-1].text)


# --- the pieces --------------------------------------------------------------------------


@hsettings(max_examples=60, deadline=None)
@given(
    sentences=st.lists(
        st.lists(
            st.sampled_from("alpha beta gamma delta epsilon zeta eta theta".split()), min_size=1, max_size=30
        ).map(" ".join),
        min_size=1,
        max_size=20,
    ),
    budget=st.integers(min_value=3, max_value=40),
)
def test_chunks_fit_the_budget_and_keep_every_word_in_order(sentences, budget):
    def cost(text: str) -> int:
        return len(text.split())

    units = [(i // 3, s) for i, s in enumerate(sentences)]
    chunks = plan_chunks(units, cost, budget, lambda text: cost(text) <= budget)
    assert all(cost(" ".join(s for _, s in chunk)) <= budget for chunk in chunks)
    assert " ".join(s for chunk in chunks for _, s in chunk).split() == " ".join(sentences).split()


def test_chat_answers_are_cleaned_of_thinking_preambles_labels_and_markdown():
    raw = (
        "<think>The user wants a summary.</think>\n"
        "Here is a summary of the article:\n\n"
        "**Summary:** The flood hit *North Jakarta*. Thousands fled.\n"
    )
    assert clean_generated(raw) == "The flood hit *North Jakarta*. Thousands fled."
    assert points_of(clean_generated(raw)) == ["The flood hit *North Jakarta*.", "Thousands fled."]


def test_a_listed_answer_becomes_its_points():
    raw = "### Key points\n- The flood hit North Jakarta.\n- Thousands fled.\n2. Rain continues."
    assert points_of(clean_generated(raw)) == [
        "The flood hit North Jakarta.",
        "Thousands fled.",
        "Rain continues.",
    ]


def test_an_echoed_prompt_is_removed():
    prompt = "Summarize the following news article.\n\nTitle: Flood"
    raw = "Summarize the following news article.\n\nTitle: Flood\nSummary: Thousands fled the flood."
    assert clean_generated(raw, prompt) == "Thousands fled the flood."


def test_an_ordinary_colon_in_the_answer_is_kept():
    assert clean_generated("Police said: the suspects fled.") == "Police said: the suspects fled."


def test_summary_is_a_frozen_record():
    summary = Summary("x", ("x",), "extractive", None)
    with pytest.raises(AttributeError):
        summary.text = "y"  # type: ignore[misc]


def test_a_word_longer_than_the_window_is_cut_into_pieces_not_dropped():
    """Pasted noise (a URL, a base64 blob) must not stop the summary or lose characters."""

    def cost(text: str) -> int:  # one token per 4 characters, like a subword tokenizer on noise
        return sum(-(-len(w) // 4) for w in text.split())

    blob = "x" * 1000
    units = [(0, "Kalimat pertama."), (0, blob), (1, "Kalimat terakhir.")]
    chunks = plan_chunks(units, cost, 20, lambda text: cost(text) <= 20)
    assert all(cost(" ".join(s for _, s in chunk)) <= 20 for chunk in chunks)
    assert "".join(s for chunk in chunks for _, s in chunk).replace(" ", "") == (
        "Kalimatpertama." + blob + "Kalimatterakhir."
    )
