"""A burst of visitors through the API: each one gets the right answer or the busy sentence.

The short form of benchmarks/load_test.py, run by the same code: app.py with tiny local models,
one model worker and a queue of 3, and 12 `translate_article` requests sent at once, each from
its own gradio_client Client. Request 0 takes the worker by reading a local page that is held
open until each of the others has been queued or turned away, so the queue fills and both
outcomes happen on any machine, however slow or busy: no sleeps, no timing to win. Every wait
is bounded.
"""

from __future__ import annotations

import pytest

from benchmarks.load_test import SAMPLES, LoadReport, check_result, format_report, run_load
from tests.webapp_server import tiny_model_env

REQUESTS = 12
QUEUE_SIZE = 3

# Validators run concurrently and Gradio queues an event only after its validator returns;
# service/web/handlers.py counts admissions under a lock until Gradio records them, so a burst cannot
# overfill the queue or meet Gradio's own raw "Queue is full" answer. Every assertion is strict.


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> LoadReport:
    models = tiny_model_env(tmp_path_factory.mktemp("load-models"))
    result = run_load(
        REQUESTS, queue_size=QUEUE_SIZE, concurrency=1, hold=60.0, deadline=240.0, models=models
    )
    print(format_report(result))
    return result


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_every_request_is_answered_right_or_told_the_service_is_busy(report):
    assert len(report.outcomes) == REQUESTS
    assert report.failures == [], format_report(report)
    assert report.completed + report.busy == REQUESTS


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_the_queue_fills_and_turns_visitors_away_while_others_are_served(report):
    assert report.completed >= 1, format_report(report)
    assert report.busy >= 1, format_report(report)
    # Turned away at the door, not after waiting in the queue.
    assert report.busy_s["max"] < 60, format_report(report)


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_no_more_requests_wait_than_the_queue_size(report):
    """While request 0 holds the only worker, at most SERVICE_QUEUE_SIZE others may be queued."""
    assert report.queued_while_held is not None
    assert report.queued_while_held <= QUEUE_SIZE, format_report(report)


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_the_app_still_answers_after_the_burst_and_logged_no_bug(report):
    assert report.after is not None and report.after.kind == "completed", format_report(report)
    assert report.server_errors == []


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_the_burst_does_not_blow_up_the_apps_memory(report):
    rss = report.rss_mib
    assert rss["before"] > 100, rss  # Gradio and torch are loaded: this is the app's process
    assert rss["peak"] - rss["before"] < 1024, rss  # tiny models: the burst itself costs ~100 MiB


def test_a_result_meant_for_another_visitor_is_caught():
    """The load test can fail: an answer with another request's title or paragraphs is wrong."""
    two, three = SAMPLES[0], SAMPLES[1]
    assert len(two.paragraphs) != len(three.paragraphs)
    answer = {
        "title": three.title,
        "paragraphs": list(three.paragraphs),
        "paragraphs_en": ["x"] * len(three.paragraphs),
        "title_en": "x",
        "summary": "x",
        "translated": True,
    }
    assert check_result(three, answer) == []
    problems = check_result(two, answer)
    assert any("title" in p for p in problems) and any("paragraphs, expected 2" in p for p in problems)
    assert check_result(three, {**answer, "summary": ""}) == ["summary is missing or empty"]
    # same article, another request's copy
    assert check_result(three.numbered(4), {**answer, "paragraphs": list(three.numbered(3).paragraphs)}) == [
        "the paragraphs are not the ones sent"
    ]
