"""Every per-article choice has one home (`service.choices`): the CLI, the web app, the API
checks and the summariser all offer exactly what it lists, and say the same when a value is
not offered."""

from __future__ import annotations

import pytest

from service import choices, summarize
from service.cli import build_parser
from service.config import Settings
from service.errors import InputError
from service.pipeline import Options
from service.summarize import neural as summarize_neural


def _cli_choices(command: str, flag: str) -> tuple[str, ...]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")  # argparse's subparsers action
    action = next(a for a in sub.choices[command]._actions if flag in a.option_strings)
    return tuple(action.choices)


def test_the_cli_offers_exactly_the_listed_lengths_and_methods():
    assert _cli_choices("run", "--summary-length") == tuple(choices.SUMMARY_LENGTHS)
    assert _cli_choices("run", "--summary-method") == tuple(choices.SUMMARY_METHODS)


def test_every_length_means_something_to_every_summariser():
    assert set(summarize.LENGTHS) == set(choices.SUMMARY_LENGTHS)
    assert set(summarize_neural.SEQ2SEQ_NEW_TOKENS) == set(choices.SUMMARY_LENGTHS)
    assert set(summarize_neural.CHAT_NEW_TOKENS) == set(choices.SUMMARY_LENGTHS)
    for length in choices.SUMMARY_LENGTHS.values():
        lo, hi = length.sentences
        assert 1 <= lo <= hi


def test_the_web_app_offers_the_same_lengths_and_methods():
    pytest.importorskip("gradio")
    from service import web

    assert list(web.LENGTH_LABELS) == list(choices.SUMMARY_LENGTHS)
    assert set(web.summary_methods(Settings())) == set(choices.SUMMARY_METHODS) - {"instruct"}
    assert set(web.summary_methods(Settings(instruct_enabled=True))) == set(choices.SUMMARY_METHODS)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (Options(summary_length="huge"), "Unknown summary length 'huge'; choose one of short, medium, long."),
        (Options(summary_method="poetic"), "Unknown summary method 'poetic'"),
    ],
)
def test_one_check_one_wording_for_library_and_server(options, message):
    with pytest.raises(InputError, match=message):
        options.validated(Settings())
    with pytest.raises(InputError, match=message):
        options.validated(Settings(), offered_methods=("abstractive", "extractive"), offered_models=("m",))


def test_a_server_that_does_not_offer_a_method_says_which_it_offers():
    with pytest.raises(InputError, match="not enabled on this server; choose abstractive or extractive"):
        Options(summary_method="instruct").validated(Settings(), offered_methods=("abstractive", "extractive"))
    assert Options(summary_length=" Short ").validated(Settings()).summary_length == "short"
