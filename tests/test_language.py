"""What a reader is told about the language of a very short text."""

from __future__ import annotations

import pytest

from service.errors import InputError, UnsupportedLanguageError
from service.extract.language import detect_language


@pytest.mark.parametrize("text", ["halo", "oke sip", "wkwk"])
def test_a_word_or_two_is_too_short_to_tell_not_a_foreign_language(text):
    with pytest.raises(InputError, match="too short to tell its language") as raised:
        detect_language(text)
    assert not isinstance(raised.value, UnsupportedLanguageError)
    assert "doesn't look Indonesian" not in str(raised.value)


def test_a_real_sentence_in_another_language_is_still_named():
    with pytest.raises(UnsupportedLanguageError, match="German"):
        detect_language("Die Regierung hat am Montag eine neue Politik für die Reispreise angekündigt.")


def test_one_indonesian_sentence_is_read():
    assert detect_language("Pemerintah mengumumkan kebijakan baru untuk harga beras pada hari Senin.") == "id"
