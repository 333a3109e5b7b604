"""Indonesian boilerplate rules on paragraphs of text (shared by HTML pages and pasted text)."""

from __future__ import annotations

import pytest

from service.extract.cleanup import Para, clean_paragraphs, dateline_outlet, is_junk

BODY = [
    "JAKARTA, KOMPAS.com - Pemerintah menaikkan anggaran perbaikan jalan desa untuk tahun depan.",
    "Menteri mengatakan tambahan anggaran diprioritaskan bagi daerah yang jalannya rusak berat.",
]


def clean(*lines: str, **kwargs):  # type: ignore[no-untyped-def]
    return clean_paragraphs([Para(line) for line in lines], **kwargs)


@pytest.mark.parametrize(
    "line",
    [
        "Baca juga: Jalan Tol Baru Dibuka Pekan Depan",
        "BACA JUGA: Harga Emas Turun Tipis",
        "Baca Juga : Tiga Desa Terendam Banjir",
        "Lihat juga: Video Detik-detik Jembatan Ambruk",
        "Simak juga video berikut ini",
        "Simak breaking news dan berita pilihan kami langsung di ponselmu.",
        "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com.",
        "Ikuti kami di Google News untuk berita terkini.",
        "Ikuti saluran WhatsApp Channel kami untuk kabar terbaru.",
        "Artikel ini telah tayang di Kompas.com dengan judul Banjir Surut, Warga Kembali ke Rumah",
        "Scroll to continue with content",
        "Scroll down untuk melanjutkan membaca",
        "ADVERTISEMENT",
        "Lihat Foto",
        "Perbesar",
        "Baca berita tanpa iklan. Gabung Kompas.com+",
        "Jangan sampai ketinggalan berita terkini, langganan newsletter kami sekarang!",
        "Halaman 1 2 3 Selanjutnya",
        "Selanjutnya",
        "2 dari 5 halaman",
        "Bagikan artikel ini melalui",
        "Link successfully copied",
        "Login untuk memaksimalkan pengalaman mengakses Kompas.com",
        "Foto: Antara/Nama Fotografer",
        "Warga mengungsi ke balai desa. (KOMPAS.com/NAMA FOTOGRAFER)",
        "Kamis, 18 Mei 2023 16:00 WIB",
        "COPYRIGHT © ANTARA 2023",
        "Follow Berita Okezone di Google News",
        "Cek Berita dan Artikel yang lain di Google News",
        "Saksikan video di bawah ini:",
        "Pilihan Editor: Harga Beras Naik Lagi",
        "[Gambas:Video CNN]",
        "Laporan Wartawan Tribunnews.com, Ibriza Fasti",
    ],
)
def test_chrome_lines_are_recognised(line: str):
    assert is_junk(line) or clean(*BODY, line).paragraphs == BODY


@pytest.mark.parametrize(
    "sentence",
    [
        "Baca buku sejak dini membuat anak lebih mudah memahami pelajaran, kata guru itu.",
        "Simak penjelasannya berikut ini.",
        "Ikuti petunjuk petugas saat evakuasi berlangsung, kata kepala BPBD kepada wartawan.",
        "Halaman sekolah itu terendam air setinggi lutut sejak pagi.",
        "Dapat dipastikan harga beras tidak naik dalam waktu dekat, ujar menteri.",
        "Komentar warganet di media sosial ramai membahas keputusan itu sejak kemarin sore.",
    ],
)
def test_body_sentences_that_start_like_chrome_are_kept(sentence: str):
    assert clean(*BODY, sentence).paragraphs == [*BODY, sentence]


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        ("Kegiatan itu berlangsung hingga sore hari. (mdk/yan)", "Kegiatan itu berlangsung hingga sore hari."),
        ("Kegiatan itu berlangsung hingga sore hari. (H-4)", "Kegiatan itu berlangsung hingga sore hari."),
        ("Kegiatan itu berlangsung hingga sore hari. [sc]", "Kegiatan itu berlangsung hingga sore hari."),
        ('"Kami siap," katanya. (kpl/pur/tch)', '"Kami siap," katanya.'),
        ("Kegiatan itu berlangsung hingga sore hari. (Cas/Isk)", "Kegiatan itu berlangsung hingga sore hari."),
        ("Kegiatan itu berlangsung hingga sore hari. (***)", "Kegiatan itu berlangsung hingga sore hari."),
        # parentheses that belong to the sentence stay
        ("Anggaran dibahas bersama partai pengusung (PDIP).", "Anggaran dibahas bersama partai pengusung (PDIP)."),
        ("Hal itu disampaikan langsung oleh presiden. (Jokowi)", "Hal itu disampaikan langsung oleh presiden. (Jokowi)"),
    ],
)
def test_desk_codes_after_the_last_sentence_are_cut(last: str, expected: str):
    assert clean(*BODY, last).paragraphs == [*BODY, expected]


def test_a_desk_code_on_its_own_line_goes_and_a_wire_code_names_the_source():
    out = clean(*BODY, "(ant)")
    assert out.paragraphs == BODY
    assert out.source in ("Kompas.com", "Antara")
    out = clean("Warga diminta waspada terhadap banjir rob di pesisir utara.", "Air laut naik sejak pagi. (ant)")
    assert out.paragraphs[-1] == "Air laut naik sejak pagi."
    assert out.source == "Antara"


def test_credit_lines_are_dropped_and_read_as_metadata():
    out = clean(*BODY, "Penulis : Rina Wulansari | Editor : Agus Salim", "Sumber: Antara")
    assert out.paragraphs == BODY
    assert out.author == "Rina Wulansari"
    assert out.extras["editor"] == "Agus Salim"
    out = clean("Penulis", ": Rina Wulansari", *BODY)  # label and name in two table cells
    assert out.paragraphs == BODY and out.author == "Rina Wulansari"
    out = clean(*BODY, "Pewarta: Budi Santoso Editor: Agus Salim Copyright © ANTARA 2024")
    assert out.paragraphs == BODY and out.author == "Budi Santoso" and out.extras["editor"] == "Agus Salim"
    out = clean("Laporan Wartawan Tribunnews.com, Ibriza Fasti", *BODY)
    assert out.paragraphs == BODY and out.author == "Ibriza Fasti"


def test_related_list_heading_and_its_headlines_go_but_the_article_goes_on():
    out = clean(BODY[0], "Berita Terkait", "Jalan Desa Rusak Parah", "Warga Tambal Jalan Sendiri", BODY[1])
    assert out.paragraphs == BODY


def test_chrome_that_only_follows_an_article_ends_it():
    out = clean(*BODY, "Terkini Lainnya", "Harga Cabai Turun", "Harga Cabai Turun", "Global", "Komentar")
    assert out.paragraphs == BODY
    out = clean(*BODY, "Komentar", "Pembaca menulis bahwa jalan di desanya juga rusak sejak tahun lalu.")
    assert out.paragraphs == BODY


def test_a_pull_quote_repeating_a_body_sentence_and_duplicate_paragraphs_are_dropped():
    quote = '"Kami akan memprioritaskan jalan yang menghubungkan desa dengan pasar," kata menteri.'
    out = clean('"... memprioritaskan jalan yang menghubungkan desa dengan pasar ..."', *BODY, quote, BODY[1])
    assert out.paragraphs == [*BODY, quote]


def test_dateline_paragraph_starts_the_body_and_what_came_before_it_goes():
    out = clean("Warga melintasi jalan berlubang di desa.", "Oleh Budi", *BODY)
    assert out.paragraphs == BODY
    assert out.author == "Budi"


def test_title_repeated_as_the_first_paragraph_is_dropped():
    assert clean("Anggaran Jalan Desa Naik", *BODY, title="Anggaran Jalan Desa Naik").paragraphs == BODY


@pytest.mark.parametrize(
    ("first", "outlet"),
    [
        ("JAKARTA, KOMPAS.com - Isi berita.", "Kompas.com"),
        ("Mataram, NTB (ANTARA News) - Isi berita.", "Antara"),
        ("Liputan6.com, Jakarta - Isi berita.", "Liputan6.com"),
        ("TEMPO.CO, Jakarta - Isi berita.", "Tempo.co"),
        ("Jakarta, CNN Indonesia -- Isi berita.", "CNN Indonesia"),
        ("REPUBLIKA.CO.ID, JAKARTA -- Isi berita.", "Republika"),
        ("Jakarta - Isi berita.", None),
        ("Persib dan Persija bermain imbang tanpa gol.", None),
    ],
)
def test_datelines_credit_their_outlet(first: str, outlet: str | None):
    assert dateline_outlet(first) == outlet


def test_link_lists_from_html_are_dropped_but_a_sentence_with_a_link_is_not():
    paras = [
        Para(BODY[0], link_ratio=0.0),
        Para("Harga Cabai Rawit Naik Dua Kali Lipat", link_ratio=1.0),
        Para("Menurut data BPS, inflasi bulan lalu terkendali di bawah tiga persen.", link_ratio=0.1),
    ]
    assert clean_paragraphs(paras).paragraphs == [BODY[0], paras[2].text]
