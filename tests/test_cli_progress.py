"""The CLI's progress line says what the wait is for, with units on its counters."""

from __future__ import annotations

import dataclasses
import io

from service import pipeline
from service.cli import ProgressBar
from service.pipeline import Options, Progress, TitleReady
from tests.support.fakes import FakeSummarizer, FakeTranslator


def test_the_bar_names_the_model_loading_and_counts_in_units():
    out = io.StringIO()
    bar = ProgressBar(out, enabled=True)
    for event in (Progress("acquire", 0, 1), Progress("models", 0, 1), Progress("translate", 3, 10)):
        bar(event)
    bar(Progress("summarize", 1, 3))
    text = out.getvalue()
    assert "loading models" in text
    assert "3/10 sentences" in text and "1/3 parts" in text
    assert "0/1" not in text  # a one-step stage shows no counter that never moves


def test_the_pipeline_says_it_is_loading_models_before_the_headline(settings, tiny_models, article_id):
    events = []
    local = dataclasses.replace(settings, translation_model=tiny_models["translation"], cache_enabled=False)
    pipeline.run(
        text=article_id, settings=local, options=Options(summary_method="extractive"), on_event=events.append
    )
    stages = [e.stage if isinstance(e, Progress) else type(e).__name__ for e in events]
    assert stages.index("models") < stages.index("TitleReady")
    assert any(isinstance(e, TitleReady) for e in events)


def test_with_a_translator_handed_in_nothing_is_loaded_and_no_wait_is_announced(settings, article_id):
    events = []
    pipeline.run(
        text=article_id,
        settings=settings,
        options=Options(summary_method="extractive"),
        on_event=events.append,
        translator=FakeTranslator(),
        summarizer=FakeSummarizer(),
    )
    assert "models" not in [e.stage for e in events if isinstance(e, Progress)]
