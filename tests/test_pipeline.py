"""The whole pipeline with tiny local models: what a user of the library notices."""

from __future__ import annotations

import dataclasses

import pytest

from service import pipeline
from service.errors import InputError, ModelNotAvailableError, ServiceError
from service.pipeline import ArticleReady, Done, Options, ParagraphReady, Progress, SummaryReady, TitleReady
from tests.support.fakes import FakeSummarizer, FakeTranslator

CONTRACT = {
    "title",
    "text",
    "paragraphs",
    "author",
    "published",
    "site",
    "url",
    "language",
    "title_en",
    "paragraphs_en",
    "translation",
    "summary",
    "summary_method",
    "models",
    "timings",
}


@pytest.fixture
def local(settings, tiny_models):
    return dataclasses.replace(
        settings, translation_model=tiny_models["translation"], summary_model=tiny_models["summary"]
    )


def test_an_indonesian_text_comes_back_complete_in_english_with_a_summary(local, article_id):
    result = pipeline.run(text=article_id, settings=local)
    d = result.to_dict()
    assert CONTRACT <= d.keys()
    assert d["title"] == "Hujan Deras Genangi Jalan di Pusat Kota"
    assert d["language"] == "id" and d["url"] is None
    assert len(d["paragraphs_en"]) == len(d["paragraphs"]) == 3
    assert all(p.strip() for p in d["paragraphs_en"])
    assert d["translation"] == "\n\n".join(d["paragraphs_en"])
    assert d["title_en"].strip()
    assert d["summary"].strip() and d["summary_method"] == "abstractive"
    assert d["models"] == {"translation": local.translation_model, "summary": local.summary_model}
    assert {"acquire", "translate", "summarize", "total"} <= d["timings"].keys()


def test_english_input_skips_translation(local, article_en):
    translator = FakeTranslator()
    result = pipeline.run(
        text=article_en, settings=local, options=Options(summary_method="extractive"), translator=translator
    )
    assert translator.sentences == [] and translator.paragraph_calls == 0  # never asked
    assert result.translated is False
    assert result.article.language == "en"
    assert result.paragraphs_en == result.article.paragraphs
    assert result.title_en == result.article.title
    assert result.to_dict()["models"]["translation"] is None


def test_the_translator_seam_gets_every_sentence_once_and_the_summary_gets_them_aligned(local, article_id):
    translator, summarizer = FakeTranslator(), FakeSummarizer()
    events = []
    result = pipeline.run(
        text=article_id,
        settings=local,
        options=Options(summary_length="short", bullets=True),
        translator=translator,
        summarizer=summarizer,
        on_event=events.append,
    )
    # the headline first, then every paragraph's sentences, each once
    assert result.title_en == FakeTranslator.english(result.article.title)
    assert all(p.startswith("EN:") for p in result.paragraphs_en)
    assert len(result.paragraphs_en) == len(result.article.paragraphs)
    assert [e.index for e in events if isinstance(e, ParagraphReady)] == list(
        range(len(result.paragraphs_en))
    )
    assert len(translator.sentences) == len(set(translator.sentences))
    (request,) = summarizer.requests
    assert request.length == "short" and request.bullets is True
    assert [len(p) for p in request.sentences_src] == [len(p) for p in request.sentences_en]
    assert result.summary.text.startswith("- EN:") and result.to_dict()["summary"] == result.summary.text
    assert result.cached is False  # made with stand-ins: never cached under the real models' ids


def test_events_arrive_in_order_and_paragraphs_stream_before_the_summary(local, article_id):
    events = list(
        pipeline.stream(text=article_id, settings=local, options=Options(summary_method="extractive"))
    )
    kinds = [type(e) for e in events]
    assert kinds.index(ArticleReady) < kinds.index(TitleReady) < kinds.index(ParagraphReady)
    assert kinds[-1] is Done
    indexes = [e.index for e in events if isinstance(e, ParagraphReady)]
    assert indexes == [0, 1, 2]
    first_summary_progress = next(
        i for i, e in enumerate(events) if isinstance(e, Progress) and e.stage == "summarize"
    )
    last_paragraph = max(i for i, e in enumerate(events) if isinstance(e, ParagraphReady))
    assert last_paragraph < first_summary_progress
    translate_progress = [e for e in events if isinstance(e, Progress) and e.stage == "translate"]
    assert translate_progress and translate_progress[-1].done == translate_progress[-1].total
    done = events[-1].result
    assert [e.english for e in events if isinstance(e, ParagraphReady)] == list(done.paragraphs_en)


def test_stream_raises_the_users_error_and_ends(local):
    with pytest.raises(InputError):
        list(pipeline.stream(text="   ", settings=local))


@pytest.mark.parametrize(
    "options", [Options(summary_method="poetic"), Options(summary_length="epic")], ids=["method", "length"]
)
def test_unknown_options_are_readable_input_errors(local, article_id, options):
    with pytest.raises(InputError, match="choose one of"):
        pipeline.run(text=article_id, settings=local, options=options)


def test_exactly_one_input_is_required(local, article_id):
    with pytest.raises(InputError, match="exactly one"):
        pipeline.run(text=article_id, url="https://example.com/", settings=local)


def test_a_missing_summary_model_falls_back_to_extractive_and_says_so(local, article_id, tmp_path):
    result = pipeline.run(
        text=article_id,
        settings=local,
        options=Options(summary_model=str(tmp_path / "no-such-model")),
    )
    assert result.summary.method == "extractive"
    assert result.summary.note and "extractive" in result.summary.note
    assert result.summary.text.strip()


def test_a_missing_translation_model_is_a_clear_error(local, article_id):
    with pytest.raises(ModelNotAvailableError, match="download-models"):
        pipeline.run(
            text=article_id,
            settings=local,
            options=Options(translation_model="nobody/no-such-model-anywhere"),
        )


def test_every_user_error_is_a_service_error(local):
    for bad in ("", "x", "\x00\x01\x02"):
        with pytest.raises(ServiceError):
            pipeline.run(text=bad, settings=local)


def test_closing_the_stream_early_stops_the_work(local, article_id):
    """A closed browser tab must free the CPU: no summary is made for nobody."""
    import threading
    import time

    closed = threading.Event()
    # Translates the first paragraph, then waits until the consumer has gone.
    translator = FakeTranslator(on_paragraph=lambda i: i == 0 and closed.wait(30))
    summarizer = FakeSummarizer()
    events = pipeline.stream(
        text=article_id,
        settings=local,
        options=Options(summary_method="extractive"),
        translator=translator,
        summarizer=summarizer,
    )
    first = next(e for e in events if isinstance(e, ParagraphReady))
    assert first.index == 0
    events.close()
    closed.set()
    deadline = time.monotonic() + 30
    while any(t.name == "pipeline" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "pipeline" for t in threading.enumerate())
    assert summarizer.requests == []


def test_the_callers_cancel_flag_ends_the_stream_at_once_and_stops_the_work(local, article_id):
    import threading

    stop, release = threading.Event(), threading.Event()
    # The first paragraph's model call hangs until the test lets it go (a long model step).
    translator = FakeTranslator(on_paragraph=lambda i: i == 0 and release.wait(30))
    summarizer = FakeSummarizer()
    events = pipeline.stream(
        text=article_id, settings=local, options=Options(summary_method="extractive"),
        translator=translator, summarizer=summarizer, cancel=stop,
    )
    assert isinstance(next(events), Progress)
    ended = threading.Event()
    threading.Thread(target=lambda: (list(events), ended.set()), daemon=True).start()
    stop.set()
    assert ended.wait(5), "the stream ended while the model step still ran"
    assert not release.is_set() and stop.is_set()
    release.set()
    for _ in range(600):
        if not any(t.name == "pipeline" for t in threading.enumerate()):
            break
        threading.Event().wait(0.05)
    assert not any(t.name == "pipeline" for t in threading.enumerate())
    assert summarizer.requests == []  # nothing after the step it was in


def test_a_stream_whose_flag_is_already_set_does_no_work(local, article_id):
    import threading

    flag = threading.Event()
    flag.set()
    translator = FakeTranslator()
    assert list(pipeline.stream(text=article_id, settings=local, translator=translator,
                                summarizer=FakeSummarizer(), cancel=flag)) == []
    assert translator.sentences == [] and not any(t.name == "pipeline" for t in threading.enumerate())


def test_a_stream_that_ends_normally_leaves_the_callers_flag_alone(local, article_id):
    import threading

    flag = threading.Event()
    events = list(pipeline.stream(text=article_id, settings=local, options=Options(summary_method="extractive"),
                                  translator=FakeTranslator(), summarizer=FakeSummarizer(), cancel=flag))
    assert isinstance(events[-1], Done) and not flag.is_set()


def test_the_same_article_again_comes_from_the_cache(local, article_id, monkeypatch):
    from service import translate

    first = pipeline.run(text=article_id, settings=local, options=Options(summary_method="extractive"))
    assert first.cached is False

    def no_model(*args, **kwargs):
        raise AssertionError("a cached article must not reach the model")

    monkeypatch.setattr(translate, "get_translator", no_model)
    events = []
    again = pipeline.run(
        text=article_id.replace("\n\n", "\n\n  "),  # re-pasted with other spacing
        settings=local,
        options=Options(summary_method="extractive"),
        on_event=events.append,
    )
    assert again.cached is True and again.to_dict()["cached"] is True
    assert again.paragraphs_en == first.paragraphs_en and again.summary.text == first.summary.text
    assert again.sentences_en == first.sentences_en and again.summary.anchors == first.summary.anchors
    assert [e.index for e in events if isinstance(e, ParagraphReady)] == [0, 1, 2]
    assert [e.summary for e in events if isinstance(e, SummaryReady)] == [first.summary]

    with pytest.raises(AssertionError, match="must not reach"):  # other options: a miss
        pipeline.run(
            text=article_id, settings=local, options=Options(summary_method="extractive", bullets=True)
        )


def test_the_cache_can_be_turned_off(local, article_id, monkeypatch):
    from service import translate

    off = dataclasses.replace(local, cache_enabled=False)
    pipeline.run(text=article_id, settings=off, options=Options(summary_method="extractive"))
    calls = []
    real = translate.get_translator
    monkeypatch.setattr(translate, "get_translator", lambda *a, **k: calls.append(1) or real(*a, **k))
    result = pipeline.run(text=article_id, settings=off, options=Options(summary_method="extractive"))
    assert calls == [1] and result.cached is False


def test_a_fallback_summary_is_not_cached(local, article_id, tmp_path):
    options = Options(summary_model=str(tmp_path / "no-such-model"))
    pipeline.run(text=article_id, settings=local, options=options)
    assert pipeline.run(text=article_id, settings=local, options=options).cached is False


def test_an_extractive_summary_shows_first_and_the_models_summary_replaces_it(local, article_id):
    events = []
    result = pipeline.run(
        text=article_id,
        settings=local,
        translator=FakeTranslator(),
        summarizer=FakeSummarizer(),
        on_event=events.append,
    )
    summaries = [e for e in events if isinstance(e, SummaryReady)]
    assert [s.provisional for s in summaries] == [True, False]
    provisional, final = summaries
    assert provisional.summary.method == "extractive" and provisional.summary.points
    assert final.summary == result.summary and result.summary.model == "fake-summarizer"
    last_paragraph = max(i for i, e in enumerate(events) if isinstance(e, ParagraphReady))
    assert last_paragraph < events.index(provisional)  # after the article, before the model's


def test_an_extractive_summary_points_at_the_sentences_it_quotes(local, article_id):
    result = pipeline.run(
        text=article_id,
        settings=local,
        options=Options(summary_method="extractive"),
        translator=FakeTranslator(),
    )
    summary = result.summary
    assert summary.anchors and len(summary.anchors) == len(summary.points)
    for point, (p, i) in zip(summary.points, summary.anchors, strict=True):
        assert result.sentences_en[p][i].strip() == point
    d = result.to_dict()
    assert [[cell["english"] for cell in para] for para in d["sentences"]] == [
        list(p) for p in result.sentences_en
    ]
    assert [[cell["source"] for cell in para] for para in d["sentences"]] == [
        list(p) for p in result.sentences_src
    ]


def test_changing_the_summary_options_does_not_translate_again(local, article_id):
    translator = FakeTranslator()
    first = pipeline.run(
        text=article_id, settings=local, options=Options(summary_method="extractive"), translator=translator
    )
    asked = list(translator.sentences)
    summarizer = FakeSummarizer()
    again = pipeline.summarize_again(
        first,
        Options(summary_method="abstractive", summary_length="short", bullets=True),
        settings=local,
        summarizer=summarizer,
    )
    assert translator.sentences == asked  # not one sentence more
    assert again.paragraphs_en == first.paragraphs_en and again.title_en == first.title_en
    assert again.summary.text.startswith("- EN:") and again.options.bullets is True
    (request,) = summarizer.requests
    assert request.length == "short" and request.sentences_en == first.sentences_en
    with pytest.raises(InputError):
        pipeline.summarize_again(first, Options(summary_length="epic"), settings=local)


def test_the_provisional_summary_is_written_only_for_someone_listening():
    from service import summarize as summarize_stage
    from service.config import Settings
    from service.types import Options
    from tests.support.fakes import FakeSummarizer, FakeTranslator

    text = (
        "Warga Desa Sukamaju Bangun Jembatan Bambu\n\n"
        "Warga Desa Sukamaju membangun jembatan bambu pada hari Minggu. Jembatan itu menghubungkan desa.\n\n"
        "Kepala desa mengatakan bahwa pembangunan dilakukan secara gotong royong."
    )
    calls = []
    real = summarize_stage.summarize

    def counting(request, settings, **kwargs):
        calls.append(request.method)
        return real(request, settings, **kwargs)

    import pytest

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(summarize_stage, "summarize", counting)
        args = dict(text=text, settings=Settings(cache_enabled=False), options=Options(summary_method="abstractive"),
                    translator=FakeTranslator(), summarizer=FakeSummarizer())
        pipeline.run(**args)
        assert calls == []  # nobody listens (batch, a library call): no provisional summary
        events = []
        pipeline.run(**args, on_event=events.append)
        assert calls == ["extractive"] and sum(getattr(e, "provisional", False) for e in events) == 1
