"""HTML pages -> clean article: one small page per rule, written for these tests (fixtures/pages)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.errors import ExtractionError
from service.extract.charset import decode_html
from service.extract.page import extract_html

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str):  # type: ignore[no-untyped-def]
    return extract_html(decode_html((PAGES / name).read_bytes()))


def assert_clean(article, *, keeps: list[str], drops: list[str]) -> None:  # type: ignore[no-untyped-def]
    text = article.text
    for snippet in keeps:
        assert snippet in text, f"lost body text: {snippet!r}"
    for snippet in drops:
        assert snippet not in text, f"boilerplate kept: {snippet!r}"


def test_baca_juga_lines_and_mid_paragraph_links_are_removed_without_touching_the_sentence():
    a = page("tribun_baca_juga.html")
    assert a.title == "Warga Gotong Royong Perbaiki Jembatan Gantung di Desa Sukamaju"
    assert_clean(
        a,
        keeps=[
            "TRIBUNNEWS.COM, GARUT - Puluhan warga",
            "mengatakan bahan bangunan dibeli dari dana desa. Sisanya disumbang oleh para perantau.",
            "Perbaikan ditargetkan selesai dalam dua minggu.",
        ],
        drops=["Baca juga", "BACA JUGA", "Banjir Bandang", "Dana Desa Tahap", "Perahu Penyeberangan",
               "Artikel ini telah tayang"],
    )
    assert len(a.paragraphs) == 5
    assert a.source == "TribunJabar.id"  # from "Artikel ini telah tayang di TribunJabar.id ..."
    assert a.author == "Siti Rahmawati"
    assert a.published == "2024-03-12T09:15:00+07:00"
    assert a.extras["extractor"] == "outlet"  # Tribun's body selector matched


def test_related_boxes_date_lines_captions_and_comment_widgets_are_not_body():
    a = page("generic_related_lists.html")
    assert a.paragraphs[0].startswith("MAGELANG, KABARNUSANTARA – Petani kopi")
    assert a.paragraphs[-1] == (
        "Ia menambahkan, sebagian besar hasil panen sudah dipesan oleh kedai kopi di Yogyakarta dan Semarang."
    )
    assert len(a.paragraphs) == 4  # <br><br>-separated body cut into its paragraphs
    assert_clean(
        a,
        keeps=["kata Sutrisno saat ditemui di kebunnya, Senin (3/7/2023)."],
        drops=["Berita Terkait", "Harga Kopi Robusta", "Terkini Lainnya", "Jalan Tol Baru", "Populer",
               "Gempa Kecil", "Komentar", "Belum ada komentar", "Petani memetik buah", "10:20 WIB",
               "Penulis", "Copyright"],
    )
    assert a.author == "Andreas Prasetyo"
    assert a.extras["editor"] == "Maria Ulfa"


def test_ads_scroll_prompts_video_promos_captions_and_desk_codes_are_removed():
    a = page("detik_widgets.html")
    assert a.paragraphs[0].startswith("Jakarta - Bandara baru")
    assert a.paragraphs[-1].endswith('"Biasanya saya harus naik bus delapan jam," katanya.')
    assert_clean(
        a,
        keeps=["Pengelola bandara menyebut ada dua maskapai"],
        drops=["ADVERTISEMENT", "SCROLL", "Simak Video", "(fyk/ash)", "Jalan Akses Bandara", "Baca juga",
               "Pesawat pertama mendarat", "bandara penerbangan"],
    )
    assert a.published == "2024-01-20T14:05:00+07:00"  # meta time, zone from the page's "WIB"


def test_photo_captions_credits_and_photo_labels_are_removed():
    a = page("captions_and_labels.html")
    assert a.title == "Klub Lokal Juara Turnamen Pramusim"  # " | Warta Olahraga" suffix gone
    assert_clean(
        a,
        keeps=["Gol tunggal dicetak", "Tim akan kembali berlatih pada Selasa setelah diberi libur dua hari."],
        drops=["Para pemain merayakan", "Lihat Foto", "Perbesar", "© Instagram", "Suporter memenuhi tribun",
               "Ilustrasi trofi", "DIMAS ARYA"],
    )


def test_embedded_tweets_do_not_end_up_in_the_body():
    a = page("embedded_tweet.html")
    assert a.paragraphs[-1] == "Sejumlah musisi senior turut memberikan pujian melalui media sosial setelah pertunjukan selesai."
    assert_clean(a, keeps=[], drops=["What a night", "pic.twitter.com", "@jazzfan"])


def test_subheadings_lists_and_quotes_stay_as_their_own_paragraphs_in_order():
    a = page("structure_kept.html")
    assert list(a.paragraphs) == [
        ("Tagihan listrik yang membengkak bisa ditekan dengan kebiasaan sederhana yang dilakukan setiap hari "
        "oleh seluruh anggota keluarga."),
        "Matikan peralatan yang tidak dipakai",
        "Peralatan elektronik dalam mode siaga tetap menyedot daya, meski jumlahnya kecil untuk setiap alat.",
        "Pilih lampu hemat energi",
        "Lampu LED menghabiskan daya jauh lebih sedikit dibandingkan lampu pijar dengan terang yang sama.",
        "Beberapa hal yang perlu diperhatikan saat membeli lampu:",
        "Daya dalam watt",
        "Warna cahaya",
        "Masa pakai yang tertera di kemasan",
        ('"Kebiasaan kecil yang dilakukan terus-menerus jauh lebih berpengaruh daripada satu langkah besar," '
        "kata seorang konsultan energi."),
        "Dengan menerapkan langkah-langkah tersebut, pengeluaran bulanan untuk listrik bisa turun secara nyata.",
    ]


def test_pull_quote_caption_and_byline_before_the_dateline_are_dropped_and_credits_read():
    a = page("pullquote_before_dateline.html")
    assert a.paragraphs[0].startswith("Denpasar (NUSA) - Badan meteorologi")
    assert len(a.paragraphs) == 3
    assert_clean(a, keeps=[], drops=["Perahu nelayan ditambatkan", "Oleh Made", "Editor:", "COPYRIGHT"])
    assert a.text.count("tinggi gelombang bisa mencapai empat meter") == 1  # the pull-quote is not repeated
    assert a.author == "Made Wirawan"
    assert a.extras["editor"] == "Ketut Sudana"
    assert a.published == "2022-12-01T08:00:00+08:00"


def test_reporter_name_in_capitals_after_the_body_becomes_the_author():
    a = page("reporter_name_after_body.html")
    assert a.title == "Festival Layang-Layang Ramaikan Pantai Utara"
    assert a.paragraphs[-1] == "Festival akan ditutup dengan lomba layang-layang malam yang dilengkapi lampu."
    assert "Layang-layang raksasa" in a.paragraphs  # an in-body subheading after a single <br>
    assert_clean(a, keeps=[], drops=["NURUL HIDAYAH", "Terpopuler", "Tips Memilih Sepatu", "16:45 WIB"])
    assert a.author == "Nurul Hidayah"
    assert a.source == "Tempo.co"  # the dateline's credit
    assert a.published == "2019-07-14T16:45:00+07:00"


def test_mid_body_related_list_goes_but_the_subheading_after_it_stays():
    a = page("liputan6_midbody_list.html")
    assert_clean(
        a,
        keeps=["Kecepatan hingga 1 Gbps", "Operator juga menyiapkan paket data khusus"],
        drops=["Baca Juga", "Harga Ponsel 5G", "Paket Kuota Murah", "(Dew/Isk)", "Jangan sampai ketinggalan",
               "Simak Video", "Satelit Baru"],
    )
    assert a.paragraphs[-1] == "Operator juga menyiapkan paket data khusus bagi pelanggan yang sudah memakai ponsel 5G."
    assert a.author == "Dewi Kartika"  # the byline, not the site name in <meta name="author">
    assert a.site == "Liputan6.com"


def test_share_bars_font_controls_scroll_prompts_and_follow_promos_are_removed():
    a = page("share_and_promos.html")
    assert list(a.paragraphs) == [
        "JAKARTA - Aktor senior yang sudah berkarier lebih dari tiga dekade itu mengaku rutin berjalan kaki setiap pagi.",
        "Ia juga mengurangi makanan manis dan tidur lebih awal dibandingkan saat masih muda.",
        '"Badan harus dijaga, karena pekerjaan syuting itu berat dan jamnya panjang," ucapnya.',
    ]
    assert a.title == "Cara Aktor Senior Menjaga Kebugaran di Usia 60"


def test_inline_links_join_the_sentence_without_invented_spaces():
    html = (
        "<html><head><title>Uji</title></head><body><article><h1>Uji</h1>"
        "<p>Penyanyi <a href='/tag/x'><b>Rina Amelia</b></a>, yang baru merilis album, tampil di <em>festival</em>, "
        "Minggu malam, bersama band pengiringnya yang baru dibentuk tahun ini.</p>"
        "<p>Ia membawakan delapan lagu dan ditutup dengan lagu <i>Senja di Pelabuhan</i>. Penonton bernyanyi bersama.</p>"
        "</article></body></html>"
    )
    a = extract_html(html)
    assert "Penyanyi Rina Amelia, yang baru merilis album, tampil di festival, Minggu malam" in a.text
    assert "lagu Senja di Pelabuhan. Penonton" in a.text


def test_no_article_pages_raise_an_error_that_says_to_paste_the_text():
    for name in ("js_only.html", "paywall_stub.html"):
        with pytest.raises(ExtractionError, match="Paste the article text"):
            page(name)


def test_a_page_rendered_by_javascript_is_read_from_its_json_ld_article_body():
    ld = {
        "@type": "NewsArticle",
        "headline": "Harga Emas Naik Tipis",
        "articleBody": "JAKARTA - Harga emas batangan naik tipis pada perdagangan pagi ini setelah sempat turun kemarin.\n"
        "Baca juga: Harga Perak Ikut Naik\n"
        "Analis memperkirakan harga masih bergerak naik turun hingga akhir pekan karena sentimen global.",
    }
    html = (
        "<html><head><title>Harga Emas Naik Tipis - Kabar Pasar</title>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script></head>"
        "<body><div id='root'></div><script src='/app.js'></script></body></html>"
    )
    a = extract_html(html)
    assert list(a.paragraphs) == [
        "JAKARTA - Harga emas batangan naik tipis pada perdagangan pagi ini setelah sempat turun kemarin.",
        "Analis memperkirakan harga masih bergerak naik turun hingga akhir pekan karena sentimen global.",
    ]
    assert a.extras["extractor"] == "json-ld"


def test_a_list_of_other_articles_with_summaries_does_not_outweigh_a_short_article():
    a = page("teasers_after_short_article.html")
    assert list(a.paragraphs) == [
        "BOGOR, KABARBOGOR - Ratusan warga membersihkan sungai dari sampah plastik pada Minggu pagi.",
        "Kegiatan ini digelar rutin setiap bulan oleh karang taruna setempat.",
        "Sampah yang terkumpul dibawa ke bank sampah untuk dipilah dan dijual kembali.",
    ]
