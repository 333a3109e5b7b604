"""Prompt files: each one renders, and a typo in a placeholder fails before reaching a model."""

from __future__ import annotations

import re

import pytest

from service.summarize import prompts
from service.summarize.prompts import PLACEHOLDERS, PromptError, Template


def _sample_values() -> dict[str, str]:
    return {name: f"<<{name.upper()}>>" for name in PLACEHOLDERS}


def test_there_are_summary_prompts_for_every_model_family():
    names = set(prompts.all_names())
    for needed in (
        "summary/chat_system.txt",
        "summary/chat_user.txt",
        "summary/chat_combine_user.txt",
        "summary/t5.txt",
        "summary/t5_multilingual.txt",
        "summary/t5_combine.txt",
        "summary/style_prose.txt",
        "summary/style_bullets.txt",
    ):
        assert needed in names


@pytest.mark.parametrize("name", prompts.all_names())
def test_every_prompt_file_renders_with_its_placeholders(name):
    template = prompts.load(name)
    values = _sample_values()
    text = template.render(**values)
    assert text.strip(), f"{name} renders to nothing"
    for field in template.fields:
        assert values[field] in text
    # Nothing left that looks like an unfilled placeholder.
    assert not re.search(r"\{[A-Za-z_]+\}", text), text


@pytest.mark.parametrize("name", [n for n in prompts.all_names() if "_user" in n or "t5" in n])
def test_prompts_that_carry_text_have_a_slot_for_it(name):
    assert prompts.load(name).fields & {"article", "summaries"}


def test_an_unknown_placeholder_fails_when_the_file_is_loaded(tmp_path):
    (tmp_path / "bad.txt").write_text("Summarise {artikel} in English.\n", encoding="utf-8")
    with pytest.raises(PromptError, match="artikel"):
        prompts.load("bad.txt", directory=tmp_path)


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("Summarise {article!r}", "format or conversion"),
        ("Summarise {article:>10}", "format or conversion"),
        ("Summarise {0}", "placeholder"),
        ("Summarise {article.upper}", "placeholder"),
        ("Summarise { article", "malformed"),
    ],
)
def test_malformed_placeholders_are_refused(text, complaint):
    with pytest.raises(PromptError, match=complaint):
        Template("inline", text)


def test_a_missing_value_raises_and_names_it():
    with pytest.raises(PromptError, match="article"):
        prompts.load("summary/chat_user.txt").render(title="A title", style="short", language="Indonesian")


def test_literal_braces_and_braces_in_values_survive():
    template = Template("inline", 'Answer as JSON like {{"summary": ...}}. Article: {article}')
    out = template.render(article="Harga naik {lagi} hari ini")
    assert out == 'Answer as JSON like {"summary": ...}. Article: Harga naik {lagi} hari ini'


def test_the_trailing_newline_an_editor_adds_is_not_part_of_the_prompt(tmp_path):
    (tmp_path / "p.txt").write_text("Title: {title}\n\n", encoding="utf-8")
    assert prompts.load("p.txt", directory=tmp_path).render(title="X") == "Title: X"


def test_a_missing_prompt_file_says_which(tmp_path):
    with pytest.raises(PromptError, match="nope.txt"):
        prompts.load("nope.txt", directory=tmp_path)
