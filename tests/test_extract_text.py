"""Pasted page text -> clean article (select-all copies and plain pastes written for these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.errors import ExtractionError
from service.extract.page import extract_text

PASTED = Path(__file__).parent / "fixtures" / "pasted"


def paste(name: str):  # type: ignore[no-untyped-def]
    return extract_text((PASTED / name).read_text(encoding="utf-8"))


def test_kompas_style_select_all_copy_gives_back_exactly_the_body_and_its_metadata():
    a = paste("kompas_style_paste.txt")
    assert a.title == "Pemerintah Kota Siapkan Jalur Sepeda Terpisah Sepanjang 12 Kilometer"
    assert list(a.paragraphs) == [
        ("MALANG, KOMPAS.com - Pemerintah Kota Malang menyiapkan jalur sepeda terpisah sepanjang 12 kilometer "
        "yang menghubungkan pusat kota dengan kawasan kampus, mulai tahun ini."),
        ("Kepala Dinas Perhubungan setempat, Budi Santoso, mengatakan pengerjaan jalur dimulai pada Juli "
        "setelah lelang selesai."),
        ('"Kami ingin warga punya pilihan selain kendaraan bermotor. Jalurnya kami pisahkan dengan pembatas beton '
        'supaya aman," kata Budi, Kamis (18/5/2023).'),
        "Menurut dia, ada tiga ruas yang menjadi prioritas:",
        "Jalan Veteran",
        "Jalan Ijen",
        "Jalan Soekarno-Hatta",
        "Budi menambahkan, anggaran proyek berasal dari APBD kota dan bantuan keuangan pemerintah provinsi.",
    ]
    assert a.published == "2023-05-18T16:00:00+07:00"
    assert a.author == "Dewi Anggraini, Rina Wulansari"  # co-authors listed above the "Penulis" label
    assert a.source == "Antara"  # the "Sumber Antara" line
    assert a.site == "Kompas.com"
    assert a.url is None


def test_detik_style_copy_drops_label_and_headline_of_a_split_baca_juga_and_network_promos():
    a = paste("detik_style_paste.txt")
    assert a.title == "Polisi Tertibkan Parkir Liar di Sekitar Stadion Jelang Laga Derbi"
    assert list(a.paragraphs) == [
        ("Surabaya - Polisi menertibkan puluhan kendaraan yang diparkir sembarangan di sekitar stadion menjelang "
        "laga derbi, Sabtu (20/1/2024)."),
        "Kasat Lantas setempat mengatakan penertiban dilakukan agar arus lalu lintas tetap lancar saat penonton datang.",
        '"Kami siapkan kantong parkir resmi di tiga lokasi, silakan gunakan," ujarnya.',
    ]
    assert a.author == "Rudi Hartono"
    assert a.published == "2024-01-20T19:30:00+07:00"


def test_plain_paste_with_a_headline_keeps_every_paragraph_unchanged():
    a = paste("plain_with_headline.txt")
    lines = [ln for ln in (PASTED / "plain_with_headline.txt").read_text(encoding="utf-8").splitlines() if ln]
    assert a.title == lines[0]
    assert list(a.paragraphs) == lines[1:]


def test_plain_paste_without_a_headline_is_titled_by_its_first_sentence_and_loses_nothing():
    a = paste("plain_without_headline.txt")
    lines = (PASTED / "plain_without_headline.txt").read_text(encoding="utf-8").splitlines()
    assert a.title == "Harga cabai rawit di sejumlah pasar tradisional naik hingga dua…"  # shortened
    assert a.extras["title_from"] == "first sentence"
    assert list(a.paragraphs) == lines  # the first line stays in the body


@pytest.mark.parametrize(
    "first_line",
    [
        "Harga bahan pokok kembali naik di pasar tradisional.",  # a finished sentence
        '"Kami siap menghadapi musim hujan," kata kepala dinas',  # speech, even without the period
        "Berikut daftar wilayah yang terdampak pemadaman listrik hari ini:",  # introduces a list
        ("Pemerintah daerah menyiapkan tenda pengungsian bagi warga yang rumahnya terendam banjir sejak "
        "Senin malam tanpa menunggu bantuan dari pusat"),  # long: body text missing its period
    ],
)
def test_a_first_line_that_does_not_read_like_a_headline_stays_in_the_body(first_line: str):
    body = "Warga diminta tetap waspada karena hujan deras diperkirakan turun hingga akhir pekan ini."
    a = extract_text(f"{first_line}\n\n{body}")
    assert a.title and first_line.startswith(a.title.rstrip("…"))  # its first sentence, never empty
    assert list(a.paragraphs) == [first_line, body]


@pytest.mark.parametrize(
    "headline",
    ["Sering Begadang, Waspadai Gangguan Jantung!", "Mengapa Harga Beras Terus Naik?", "5 Fakta Gerhana Bulan Total"],
)
def test_headlines_ending_in_exclamation_or_question_marks_are_titles(headline: str):
    body = "Para ahli kesehatan mengingatkan pentingnya tidur cukup setiap malam bagi orang dewasa."
    a = extract_text(f"{headline}\n{body}")
    assert a.title == headline
    assert list(a.paragraphs) == [body]


def test_hard_wrapped_paragraphs_are_joined_back_into_one():
    a = paste("hard_wrapped.txt")
    assert a.title == "Sekolah Rakyat Dibuka di Tiga Kabupaten"
    assert list(a.paragraphs) == [
        ("Pemerintah provinsi membuka sekolah rakyat di tiga kabupaten mulai tahun ajaran baru untuk anak-anak "
        "dari keluarga kurang mampu yang selama ini putus sekolah."),
        ("Setiap sekolah menampung sekitar dua ratus siswa dengan asrama dan makan tiga kali sehari yang "
        "ditanggung anggaran daerah."),
    ]


def test_a_single_paragraph_paste_comes_back_as_it_is():
    text = "Kereta cepat mencatat lonjakan penumpang selama libur panjang, terutama pada hari Jumat dan Minggu."
    a = extract_text(text)
    assert list(a.paragraphs) == [text]
    assert a.title == "Kereta cepat mencatat lonjakan penumpang selama libur panjang, terutama pada…"


def test_a_pasted_dateline_is_not_part_of_the_title():
    a = extract_text("JAKARTA, KOMPAS.com - Harga beras naik lagi. Pedagang mengeluh pembeli berkurang sejak pekan lalu.")
    assert a.title == "Harga beras naik lagi"


def test_baca_juga_glued_to_the_end_of_a_pasted_paragraph_is_cut_off():
    a = extract_text(
        "Jembatan itu ditutup sementara untuk perbaikan, kata petugas. Baca juga: Jalan Alternatif Mulai Padat\n"
        "Perbaikan diperkirakan selesai dalam sepekan."
    )
    assert list(a.paragraphs) == [
        "Jembatan itu ditutup sementara untuk perbaikan, kata petugas.",
        "Perbaikan diperkirakan selesai dalam sepekan.",
    ]


def test_a_paste_of_nothing_but_chrome_is_an_extraction_error():
    with pytest.raises(ExtractionError):
        extract_text("Baca juga: Sesuatu\nADVERTISEMENT\nKomentar\nBagikan")
