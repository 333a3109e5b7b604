"""Sentence segmentation as a translator depends on it: every boundary in the right place, nothing lost.

The examples are written for these tests in the style of Indonesian news; the corpus check at
the end reads the shared real pages when they are present.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.segment import normalize_space, split_long, split_sentences

# (rule, paragraph, expected sentences)
CASES = [
    (
        "plain sentences",
        "Banjir merendam ratusan rumah. Warga mengungsi ke masjid! Apakah bantuan sudah datang?",
        ["Banjir merendam ratusan rumah.", "Warga mengungsi ke masjid!", "Apakah bantuan sudah datang?"],
    ),
    (
        "titles and degrees",
        "Dr. Budi Santoso dan Prof. Siti Aminah hadir di acara itu. Ir. H. Joko Susilo, M.Si. tidak datang.",
        [
            "Dr. Budi Santoso dan Prof. Siti Aminah hadir di acara itu.",
            "Ir. H. Joko Susilo, M.Si. tidak datang.",
        ],
    ),
    (
        "street, number and region",
        "Kantornya di Jl. Merdeka No. 12, Kec. Sukajadi, Kab. Bandung. Gedung itu baru dibangun.",
        ["Kantornya di Jl. Merdeka No. 12, Kec. Sukajadi, Kab. Bandung.", "Gedung itu baru dibangun."],
    ),
    (
        "lowercase doctor and rupiah",
        "Menurut dr. Reisa, biaya tes itu Rp. 150.000 per orang. Harga itu berlaku sejak Senin.",
        ["Menurut dr. Reisa, biaya tes itu Rp. 150.000 per orang.", "Harga itu berlaku sejak Senin."],
    ),
    (
        "on behalf of",
        "Bantuan diserahkan a.n. Bupati Bogor kepada warga. Warga menyambut gembira.",
        ["Bantuan diserahkan a.n. Bupati Bogor kepada warga.", "Warga menyambut gembira."],
    ),
    (
        "dll. ending a sentence",
        "Warga membeli beras, gula, minyak, dll. Harga semuanya naik menjelang Lebaran.",
        ["Warga membeli beras, gula, minyak, dll.", "Harga semuanya naik menjelang Lebaran."],
    ),
    (
        "dsb. inside a sentence",
        "Sayur, buah, dsb. dijual di pasar itu setiap pagi. Pasar tutup pukul 12.00 WIB.",
        ["Sayur, buah, dsb. dijual di pasar itu setiap pagi.", "Pasar tutup pukul 12.00 WIB."],
    ),
    (
        "company suffix before a bracket",
        "PT Astra Otoparts Tbk. (AUTO) mencatat laba bersih naik. Saham perseroan menguat.",
        ["PT Astra Otoparts Tbk. (AUTO) mencatat laba bersih naik.", "Saham perseroan menguat."],
    ),
    (
        "PT. with a full stop",
        "Proyek itu dikerjakan PT. Wijaya Karya sejak 2021. Nilainya mencapai triliunan rupiah.",
        ["Proyek itu dikerjakan PT. Wijaya Karya sejak 2021.", "Nilainya mencapai triliunan rupiah."],
    ),
    (
        "thousands separators and decimals",
        "Jumlah penumpang mencapai 3.016 orang. Inflasi tercatat 2,5 persen. Pertumbuhan 5.1 persen.",
        ["Jumlah penumpang mencapai 3.016 orang.", "Inflasi tercatat 2,5 persen.", "Pertumbuhan 5.1 persen."],
    ),
    (
        "dates",
        "Gempa terjadi pada Sabtu (18/5/2023). Warga panik dan berlarian keluar rumah.",
        ["Gempa terjadi pada Sabtu (18/5/2023).", "Warga panik dan berlarian keluar rumah."],
    ),
    (
        "times",
        "Rapat dimulai pukul 16.00 WIB. Presiden tiba pukul 16.30. Rapat selesai malam hari.",
        ["Rapat dimulai pukul 16.00 WIB.", "Presiden tiba pukul 16.30.", "Rapat selesai malam hari."],
    ),
    (
        "quotation ending inside the closing quote",
        'Dia berkata, "Kami sudah siap." Lalu dia meninggalkan ruangan.',
        ['Dia berkata, "Kami sudah siap."', "Lalu dia meninggalkan ruangan."],
    ),
    (
        "quotation then attribution",
        '"Kami sudah bekerja keras," kata dia. "Hasilnya mulai terlihat." Ujarnya kepada wartawan.',
        ['"Kami sudah bekerja keras," kata dia.', '"Hasilnya mulai terlihat." Ujarnya kepada wartawan.'],
    ),
    (
        "curly quotes",
        "“Kami siap bertanding.” Pelatih itu optimistis timnya menang.",
        ["“Kami siap bertanding.”", "Pelatih itu optimistis timnya menang."],
    ),
    (
        "parenthetical remark",
        "Proyek itu (dipimpin Dr. Andi. Ia insinyur sipil) selesai tepat waktu. Warga puas.",
        ["Proyek itu (dipimpin Dr. Andi. Ia insinyur sipil) selesai tepat waktu.", "Warga puas."],
    ),
    (
        "sentence inside brackets",
        "Harga cabai naik tajam. (Data diolah dari BPS.) Pedagang mengeluh.",
        ["Harga cabai naik tajam.", "(Data diolah dari BPS.)", "Pedagang mengeluh."],
    ),
    (
        "ellipses",
        "Hujan turun sejak pagi... dan jalanan pun tergenang. Kami menunggu... Akhirnya bus datang.",
        ["Hujan turun sejak pagi... dan jalanan pun tergenang.", "Kami menunggu...", "Akhirnya bus datang."],
    ),
    (
        "unicode ellipsis and omission mark",
        "Saksi berkata (...) Kemudian hakim menunda sidang. Semua menunggu… Lalu sidang dibuka lagi.",
        ["Saksi berkata (...) Kemudian hakim menunda sidang.", "Semua menunggu…", "Lalu sidang dibuka lagi."],
    ),
    (
        "URLs and e-mail addresses",
        "Informasi ada di www.contoh.go.id/berita?id=5. Pertanyaan dikirim ke info@contoh.go.id. Terima kasih.",
        [
            "Informasi ada di www.contoh.go.id/berita?id=5.",
            "Pertanyaan dikirim ke info@contoh.go.id.",
            "Terima kasih.",
        ],
    ),
    (
        "dateline with a site name",
        "JAKARTA, KOMPAS.com - Pemerintah menaikkan harga BBM. Kebijakan itu berlaku besok.",
        ["JAKARTA, KOMPAS.com - Pemerintah menaikkan harga BBM.", "Kebijakan itu berlaku besok."],
    ),
    (
        "dateline with an agency",
        "Mataram, NTB (ANTARA) - Penerbangan dibatalkan. Bandara ditutup sementara.",
        ["Mataram, NTB (ANTARA) - Penerbangan dibatalkan.", "Bandara ditutup sementara."],
    ),
    (
        "initials",
        "Presiden ketiga B. J. Habibie lahir di Parepare. M. Nuh pernah menjadi menteri. B.J. Habibie wafat 2019.",
        [
            "Presiden ketiga B. J. Habibie lahir di Parepare.",
            "M. Nuh pernah menjadi menteri.",
            "B.J. Habibie wafat 2019.",
        ],
    ),
    (
        "a letter that is a label, not an initial",
        "Indonesia masuk Grup A. Pertandingan pertama digelar besok.",
        ["Indonesia masuk Grup A.", "Pertandingan pertama digelar besok."],
    ),
    (
        "numbered items",
        "1. Pemerintah menaikkan harga. 2. Warga menolak kenaikan itu.",
        ["1. Pemerintah menaikkan harga.", "2. Warga menolak kenaikan itu."],
    ),
    (
        "police ranks",
        "Kapolda Irjen. Pol. Fadil Imran memimpin apel. Apel diikuti seribu personel.",
        ["Kapolda Irjen. Pol. Fadil Imran memimpin apel.", "Apel diikuti seribu personel."],
    ),
    (
        "lowercase after a question mark continues",
        "Kenapa? tanya dia heran. Tidak ada yang menjawab.",
        ["Kenapa? tanya dia heran.", "Tidak ada yang menjawab."],
    ),
    (
        "mixed terminal punctuation",
        "Sungguh?! Dia tidak percaya. Ya!",
        ["Sungguh?!", "Dia tidak percaya.", "Ya!"],
    ),
]


@pytest.mark.parametrize("rule, paragraph, expected", CASES, ids=[c[0] for c in CASES])
def test_rules(rule, paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_whitespace_is_normalised_and_nothing_is_lost():
    text = "  Banjir   merendam rumah.\n\nWarga\tmengungsi.\u00a0Bantuan datang.  "
    assert split_sentences(text) == ["Banjir merendam rumah.", "Warga mengungsi.", "Bantuan datang."]
    assert normalize_space(text) == "Banjir merendam rumah. Warga mengungsi. Bantuan datang."


@pytest.mark.parametrize("text", ["", "   ", "\n\t\u00a0"])
def test_empty_paragraph_has_no_sentences(text):
    assert split_sentences(text) == []


def test_text_without_final_punctuation_is_one_sentence():
    assert split_sentences("Harga beras naik") == ["Harga beras naik"]


_ALPHABET = st.sampled_from(
    list("abcAB .!?…,;:-—()[]\"'“”‘’0123456789/@\n\t\u00a0") + ["Dr.", "No.", "dll.", "B. ", "..."]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_joining_the_sentences_gives_back_the_text(text):
    sentences = split_sentences(text)
    assert " ".join(sentences) == normalize_space(text)
    assert all(s and s == s.strip() for s in sentences)


# -- split_long ------------------------------------------------------------------------------


def _words(text: str) -> int:
    """A stand-in token counter: one token per word, plus one for the end-of-sentence token."""
    return len(text.split()) + 1


def test_split_long_prefers_the_strongest_clause_boundary():
    sentence = (
        "Harga beras naik di banyak pasar, terutama di Jawa; "
        "pemerintah, yang khawatir inflasi, menyiapkan operasi pasar pekan depan."
    )
    parts = split_long(sentence, 12, _words)
    assert parts == [
        "Harga beras naik di banyak pasar, terutama di Jawa;",
        "pemerintah, yang khawatir inflasi, menyiapkan operasi pasar pekan depan.",
    ]


def test_split_long_falls_back_to_commas_then_words():
    sentence = "satu dua tiga empat, lima enam tujuh delapan sembilan sepuluh sebelas dua belas tiga belas"
    parts = split_long(sentence, 5, _words)
    assert " ".join(parts) == sentence
    assert all(_words(p) <= 5 for p in parts)
    assert parts[0] == "satu dua tiga empat,"


def test_split_long_parts_fit_and_join_back():
    sentence = " ".join(f"kata{i}," if i % 7 == 0 else f"kata{i}" for i in range(200)) + "."
    for limit in (3, 10, 50):
        parts = split_long(sentence, limit, _words)
        assert " ".join(parts) == sentence
        assert all(_words(p) <= limit for p in parts)


def test_split_long_leaves_a_fitting_sentence_alone():
    assert split_long("  Harga   naik. ", 10, _words) == ["Harga naik."]
    assert split_long("   ", 10, _words) == []


def test_split_long_keeps_a_single_oversized_word_whole():
    blob = "x" * 500
    parts = split_long(f"Lihat {blob} sekarang", 100, len)
    assert parts == ["Lihat", blob, "sekarang"]


# -- real pages ------------------------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "manifest.jsonl"


def _straight(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for curly, plain in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'")):
        text = text.replace(curly, plain)
    return normalize_space(text)


@pytest.mark.skipif(not SHARED.exists(), reason="shared corpus not present")
def test_real_first_and_last_sentences_stay_whole():
    """The first and last sentences of real articles (datelines, quotes, numbers) are not cut."""
    checked = 0
    for line in SHARED.read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        for key in ("first_sentence", "last_sentence"):
            sentence = _straight(page[key])
            assert split_sentences(sentence) == [sentence], f"{page['file']} {key}"
            checked += 1
    assert checked >= 10
