"""Language detection: Indonesian and Malay proceed, English passes through, others are refused."""

from __future__ import annotations

import pytest

from service.errors import InputError, UnsupportedLanguageError
from service.extract.language import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "Pemerintah kota akan membangun jembatan baru di atas sungai itu tahun depan, kata wali kota kepada wartawan.",
        "Harga beras naik lagi",  # a short headline
        "Sering Begadang, Waspadai Gangguan Jantung!",
        "Kerajaan negeri akan membina jambatan baharu merentasi sungai itu tahun hadapan, kata Menteri Besar.",  # Malay
    ],
)
def test_indonesian_and_malay_are_id(text: str):
    assert detect_language(text) == "id"


def test_english_is_en():
    assert detect_language("The city government will build a new bridge over the river next year, the mayor said.") == "en"


def test_indonesian_article_quoting_english_is_still_id():
    text = (
        "Presiden menyampaikan pidato di forum internasional. \"We are ready to cooperate,\" katanya. "
        "Ia menambahkan bahwa Indonesia akan terus mendorong kerja sama ekonomi dengan negara-negara tetangga."
    )
    assert detect_language(text) == "id"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Die Stadtregierung wird im nächsten Jahr eine neue Brücke über den Fluss bauen.", "German"),
        ("La municipalité construira un nouveau pont sur la rivière l'année prochaine.", "French"),
        ("El gobierno de la ciudad construirá un nuevo puente sobre el río el próximo año.", "Spanish"),
    ],
)
def test_other_languages_are_refused_with_a_message_that_names_them(text: str, name: str):
    with pytest.raises(UnsupportedLanguageError, match=name):
        detect_language(text)


def test_text_without_words_is_an_input_error():
    with pytest.raises(InputError):
        detect_language("12345 678 -- !!")


def test_indonesian_text_full_of_english_terms_is_still_id():
    text = (
        "Startup fintech itu meluncurkan fitur paylater dan cashback untuk user baru, kata CEO startup tersebut "
        "dalam press conference di Jakarta. Fitur ini akan tersedia di aplikasi mobile mulai bulan depan."
    )
    assert detect_language(text) == "id"
