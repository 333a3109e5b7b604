"""The translation stage as a reader would notice it: every paragraph and sentence arrives, in order.

The models are tiny and random (tests/tiny_translators.py), so their English is nonsense; the
tests look at what reached the model and at the shape of what came back.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from tiny_translators import TINY_MAX_POSITIONS, build_tiny_m2m100, build_tiny_marian, build_tiny_nllb

from service import models
from service.config import Settings
from service.errors import ModelNotAvailableError, ModelRuntimeError
from service.segment import normalize_space, split_sentences
from service.translate import get_translator, identity_translation

GREEDY = Settings(num_beams=1)  # beam search only costs time here; the beams test checks the setting


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("tiny-translators")
    return {
        "marian": str(build_tiny_marian(root / "marian")),
        "m2m100": str(build_tiny_m2m100(root / "m2m100")),
        "nllb": str(build_tiny_nllb(root / "nllb")),
    }


class Recorder:
    """Wraps a translator's generation seam and its model's generate() and records what they get."""

    def __init__(self, translator, monkeypatch, events: list | None = None) -> None:
        self.batches: list[list[str]] = []
        self.generate_calls: list[dict[str, Any]] = []
        self.events = events if events is not None else []
        backend = translator.backend
        real_batch = backend.translate_batch
        real_generate = backend.model.generate

        def translate_batch(texts):
            self.batches.append(list(texts))
            self.events.append(("batch", list(texts)))
            return real_batch(texts)

        def generate(**kwargs):
            output = real_generate(**kwargs)
            self.generate_calls.append({**kwargs, "output": output})
            return output

        monkeypatch.setattr(backend, "translate_batch", translate_batch)
        monkeypatch.setattr(backend.model, "generate", generate)

    @property
    def texts(self) -> list[str]:
        return [t for batch in self.batches for t in batch]


# -- a long article, written for this test ---------------------------------------------------------

_SUBJECTS = [
    "Pemerintah",
    "Dr. Budi Santoso",
    "Warga Kec. Sukajadi",
    "PT Kereta Api Indonesia (Persero)",
    "Gubernur Jawa Barat",
    "Para nelayan",
    "Bank Indonesia",
    "Prof. B. J. Susilo, M.Si.",
]
_VERBS = ["mengumumkan", "membahas", "menolak", "meninjau", "menyiapkan", "melaporkan"]
_OBJECTS = [
    "kenaikan harga beras",
    "pembangunan jalan tol",
    "bantuan sosial senilai Rp 3.016 miliar",
    "data inflasi 2,5 persen",
    "jadwal kereta di Jl. Merdeka No. 12",
    "stok pangan, gula, minyak, dll.",
]
_TAILS = [
    "pada Sabtu (18/5/2023).",
    "sekitar pukul 16.00 WIB.",
    "di Jakarta kemarin.",
    "pekan lalu.",
    "menjelang Lebaran.",
    "di www.contoh.go.id hari ini.",
]


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    base = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}"
    if kind < 0.15:
        return f'"{base[:-1]}," kata dia.'
    if kind < 0.25:
        # Far beyond the tiny model's 64 positions: must be split, and every part must arrive.
        clauses = [f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}" for _ in range(6)]
        return "; ".join(", ".join(clauses[i : i + 2]) for i in range(0, 6, 2)) + "."
    return base


def long_article(min_chars: int = 30_000, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    paragraphs: list[str] = ["JAKARTA, KOMPAS.com - " + _sentence(rng)]
    while sum(len(p) for p in paragraphs) < min_chars:
        if rng.random() < 0.05:
            paragraphs.append(rng.choice(["", "   ", "\n"]))
        paragraphs.append(" ".join(_sentence(rng) for _ in range(rng.randint(1, 6))))
    return paragraphs


# -- tests --------------------------------------------------------------------------------------------


def test_long_article_reaches_the_model_sentence_by_sentence(tiny_models, monkeypatch):
    paragraphs = long_article()
    assert sum(len(p) for p in paragraphs) >= 30_000
    translator = get_translator(tiny_models["marian"], GREEDY)
    events: list = []
    recorder = Recorder(translator, monkeypatch, events)
    progress: list[tuple[int, int]] = []

    result = translator.translate_paragraphs(
        paragraphs,
        on_paragraph=lambda i, english: events.append(("paragraph", i, english)),
        on_progress=lambda done, total: progress.append((done, total)),
    )

    # One English paragraph per source paragraph, in order; empty ones stay empty.
    assert len(result.paragraphs_en) == len(paragraphs) == len(result.sentences_src)
    for src, units, en_units, english in zip(
        paragraphs, result.sentences_src, result.sentences_en, result.paragraphs_en
    ):
        assert " ".join(units) == normalize_space(src)  # nothing dropped between segmenting and the model
        assert len(en_units) == len(units)
        assert bool(english) == bool(src.strip())

    # Every unit reached the model exactly once, and nothing else did.
    all_units = [u for units in result.sentences_src for u in units]
    assert sorted(recorder.texts) == sorted(all_units)
    # Over-long sentences were cut, not truncated: more units than sentences.
    assert len(all_units) > sum(len(split_sentences(p)) for p in paragraphs)

    # What the model was given is the whole unit, within its input limit.
    lengths = sorted(int(n) for call in recorder.generate_calls for n in call["attention_mask"].sum(dim=1))
    assert lengths == sorted(translator.backend.count_tokens(t) for t in recorder.texts)
    assert max(lengths) <= translator.max_input_tokens == TINY_MAX_POSITIONS

    # Paragraphs stream out in order; the first before the model sees anything from later ones.
    reported = [e[1] for e in events if e[0] == "paragraph"]
    assert reported == list(range(len(paragraphs)))
    first_report = next(i for i, e in enumerate(events) if e[0] == "paragraph")
    batches_before = [e[1] for e in events[:first_report] if e[0] == "batch"]
    assert sorted(t for b in batches_before for t in b) == sorted(result.sentences_src[0])
    last_batch = max(i for i, e in enumerate(events) if e[0] == "batch")
    assert sum(1 for e in events[:last_batch] if e[0] == "paragraph") > 1

    assert progress[-1] == (len(all_units), len(all_units))
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)


def test_over_long_sentence_is_split_and_every_part_translated(tiny_models, monkeypatch):
    translator = get_translator(tiny_models["marian"], GREEDY)
    recorder = Recorder(translator, monkeypatch)
    sentence = (
        "Pemerintah Provinsi Jawa Barat menyiapkan bantuan sosial bagi warga terdampak banjir di Kab. "
        "Bandung, Kab. Bogor dan Kota Bekasi; bantuan itu berupa beras, minyak goreng, gula pasir, "
        "selimut, obat-obatan dan air bersih, yang dikirim dengan truk dari gudang Dinas Sosial sejak "
        "Sabtu (18/5/2023) pagi hingga Minggu malam menjelang pukul 22.00 WIB."
    )
    assert translator.backend.count_tokens(sentence) > translator.max_input_tokens

    english = translator.translate_sentences([sentence])

    assert len(english) == 1 and english[0]
    assert len(recorder.texts) > 1
    assert all(translator.backend.count_tokens(t) <= translator.max_input_tokens for t in recorder.texts)
    units = translator.translate_paragraphs([sentence]).sentences_src[0]
    assert " ".join(units) == sentence
    assert sorted(recorder.texts[: len(units)]) == sorted(units)


def test_a_word_too_long_for_the_model_is_kept_not_dropped(tiny_models, monkeypatch):
    translator = get_translator(tiny_models["marian"], GREEDY)
    recorder = Recorder(translator, monkeypatch)
    blob = "https://contoh.go.id/" + "a1b2c3d4" * 40
    result = translator.translate_paragraphs([f"Dokumen lengkap ada di {blob} untuk umum."])

    assert blob in result.paragraphs_en[0]
    assert all(blob not in t for t in recorder.texts)
    assert " ".join(result.sentences_src[0]) == f"Dokumen lengkap ada di {blob} untuk umum."


def test_sentences_keep_their_order_and_count(tiny_models):
    translator = get_translator(tiny_models["marian"], GREEDY)
    sentences = ["Harga beras naik.", "", "Warga mengeluh di pasar tradisional pada hari Senin.", "Ya."]
    done: list[int] = []
    english = translator.translate_sentences(sentences, on_progress=done.append)
    assert len(english) == 4
    assert english[1] == "" and all(english[i] for i in (0, 2, 3))
    assert done[-1] == 4


@pytest.mark.parametrize(
    "family, source_code, target_code", [("nllb", "ind_Latn", "eng_Latn"), ("m2m100", "__id__", "__en__")]
)
def test_multilingual_models_are_told_indonesian_to_english(
    tiny_models, monkeypatch, family, source_code, target_code
):
    translator = get_translator(tiny_models[family], GREEDY)
    assert translator.family == family
    tokenizer = translator.backend.tokenizer
    source_id = tokenizer.convert_tokens_to_ids(source_code)
    target_id = tokenizer.convert_tokens_to_ids(target_code)
    assert source_id != tokenizer.unk_token_id and target_id != tokenizer.unk_token_id
    recorder = Recorder(translator, monkeypatch)

    english = translator.translate_sentences(["Harga beras naik di pasar.", "Warga mengeluh."])

    (call,) = recorder.generate_calls
    assert call["forced_bos_token_id"] == target_id
    assert all(source_id in row for row in call["input_ids"].tolist())  # source language tag on every input
    assert (call["output"][:, 1] == target_id).all()  # the model really started in English
    assert all(target_code not in e for e in english)


def test_num_beams_setting_and_output_budget_reach_generate(tiny_models, monkeypatch):
    sentence = "Harga beras naik di pasar."
    for beams, expected in ((3, 3), (0, None)):  # 0: the model's own generation config (2 beams)
        translator = get_translator(tiny_models["marian"], Settings(num_beams=beams))
        recorder = Recorder(translator, monkeypatch)
        translator.translate_sentences([sentence])
        (call,) = recorder.generate_calls
        assert call.get("num_beams") == expected
        source_len = call["input_ids"].shape[1]
        assert call["max_new_tokens"] == min(2 * source_len + 10, TINY_MAX_POSITIONS - 1)


def test_out_of_memory_retries_smaller_batches(tiny_models, monkeypatch):
    translator = get_translator(tiny_models["marian"], GREEDY)
    real_generate = translator.backend.model.generate
    sizes: list[int] = []

    def generate(**kwargs):
        sizes.append(kwargs["input_ids"].shape[0])
        if kwargs["input_ids"].shape[0] > 1:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real_generate(**kwargs)

    monkeypatch.setattr(translator.backend.model, "generate", generate)
    paragraphs = ["Harga beras naik. Warga mengeluh. Pedagang bingung.", "Pemerintah diam."]
    result = translator.translate_paragraphs(paragraphs)
    assert all(result.paragraphs_en) and [len(u) for u in result.sentences_en] == [3, 1]
    assert sizes[0] == 3 and sizes.count(1) == 4


@pytest.mark.parametrize(
    "error, words", [("CUDA out of memory. Tried to allocate 2.00 GiB", "out of memory"), ("boom", "boom")]
)
def test_generation_errors_become_model_runtime_errors(tiny_models, monkeypatch, error, words):
    translator = get_translator(tiny_models["marian"], GREEDY)

    def generate(**kwargs):
        raise RuntimeError(error)

    monkeypatch.setattr(translator.backend.model, "generate", generate)
    with pytest.raises(ModelRuntimeError) as caught:
        translator.translate_paragraphs(["Harga beras naik. Warga mengeluh."])
    assert words in str(caught.value) and tiny_models["marian"] in str(caught.value)


def test_english_input_is_passed_through():
    paragraphs = ["The price of rice rose.  Traders complained.", "", "Dr. Smith agreed."]
    result = identity_translation(paragraphs)
    assert result.paragraphs_en == ("The price of rice rose. Traders complained.", "", "Dr. Smith agreed.")
    assert (
        result.sentences_src
        == result.sentences_en
        == (
            ("The price of rice rose.", "Traders complained."),
            (),
            ("Dr. Smith agreed.",),
        )
    )


def test_missing_model_offline_says_how_to_get_it():
    model_id = "test-org/opus-mt-id-en-never-downloaded"
    with pytest.raises(ModelNotAvailableError) as caught:
        get_translator(model_id, Settings())
    assert model_id in str(caught.value) and "download-models" in str(caught.value)
    assert model_id not in models.loaded_models()


def test_directory_without_a_model_is_named(tmp_path):
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelNotAvailableError) as caught:
        get_translator(str(tmp_path), Settings())
    assert str(tmp_path) in str(caught.value)


def test_a_sentence_the_model_answers_with_nothing_is_kept_in_the_source(tiny_models, monkeypatch):
    translator = get_translator(tiny_models["marian"], GREEDY)
    real = translator.backend.translate_batch

    def translate_batch(texts):
        return ["" if t.startswith("Warga") else out for t, out in zip(texts, real(texts), strict=True)]

    monkeypatch.setattr(translator.backend, "translate_batch", translate_batch)
    result = translator.translate_paragraphs(["Harga beras naik. Warga mengeluh di pasar."])
    assert result.sentences_en[0][1] == "Warga mengeluh di pasar."
    assert result.paragraphs_en[0].endswith("Warga mengeluh di pasar.")


def test_the_title_rides_in_the_first_batch_and_comes_back_as_on_its_own(tiny_models, monkeypatch):
    # Rows of a batch do not mix, so the title's English is the same whether it is translated
    # alone or with the first paragraph, as long as no row reaches the batch's length cap
    # (2 x its longest input + 10): random models never stop, so the cap is made the same
    # for every batch here; a real model stops long before it.
    translator = get_translator(tiny_models["marian"], GREEDY)
    monkeypatch.setattr(translator.backend, "max_new_tokens_cap", 8)
    title = "Banjir Rendam Ratusan Rumah. Warga Mengungsi"
    paragraphs = ["Hujan deras turun sejak pagi. Air naik cepat.", "", "Petugas membuka posko di balai desa."]
    alone_title = " ".join(translator.translate_sentences(split_sentences(title)))
    alone = translator.translate_paragraphs(paragraphs)

    events: list = []
    recorder = Recorder(translator, monkeypatch, events)
    progress: list[tuple[int, int]] = []
    title_en, together = translator.translate_article(
        title,
        paragraphs,
        on_title=lambda en: events.append(("title", en)),
        on_paragraph=lambda i, en: events.append(("paragraph", i)),
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert title_en == alone_title and together == alone
    kinds = [e[0] for e in events]
    assert kinds.index("title") < kinds.index("paragraph")
    # Title and first paragraph were in the batch(es) before the title was shown.
    before_title = [t for kind, texts in events[: kinds.index("title")] if kind == "batch" for t in texts]
    assert set(split_sentences(title)) | set(split_sentences(paragraphs[0])) <= set(before_title)
    total = sum(len(units) for units in alone.sentences_src)
    assert progress[0] == (0, total) and progress[-1] == (total, total)  # the paragraphs' sentences only
    assert recorder.texts.count(split_sentences(title)[0]) == 1


def test_an_article_with_a_title_and_no_text_still_gets_its_title(tiny_models):
    translator = get_translator(tiny_models["marian"], GREEDY)
    seen: list[str] = []
    title_en, translation = translator.translate_article("Harga Beras Naik", [], on_title=seen.append)
    assert title_en and seen == [title_en] and translation.paragraphs_en == ()
