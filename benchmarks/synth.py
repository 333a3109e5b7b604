"""Seeded, made-up Indonesian-like articles and English-like text for the benchmark.

Nothing here is real news: sentences are drawn from a small hand-written lexicon of common
Indonesian function and news words plus invented names, so the benchmark has realistic
word and sentence lengths (8-45 words, paragraphs of 2-5 sentences) without copying any
article. The same seed gives the same text on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Common Indonesian words, weighted towards the front (function words first).
ID_FUNCTION = [
    "yang",
    "dan",
    "di",
    "ke",
    "dari",
    "itu",
    "ini",
    "dengan",
    "untuk",
    "pada",
    "dalam",
    "tidak",
    "akan",
    "juga",
    "oleh",
    "sebagai",
    "adalah",
    "ada",
    "karena",
    "bahwa",
    "atau",
    "sudah",
    "telah",
    "masih",
    "dapat",
    "bisa",
    "harus",
    "lebih",
    "para",
    "saat",
    "setelah",
    "sebelum",
    "antara",
    "hingga",
    "namun",
    "tetapi",
    "jika",
    "kami",
    "kita",
    "mereka",
    "ia",
    "dia",
    "tersebut",
    "sejumlah",
    "seluruh",
    "beberapa",
    "banyak",
    "semua",
    "setiap",
    "baru",
    "lama",
    "besar",
    "kecil",
    "tinggi",
    "rendah",
]
ID_CONTENT = [
    "pemerintah",
    "menteri",
    "presiden",
    "gubernur",
    "bupati",
    "wali",
    "kota",
    "warga",
    "masyarakat",
    "polisi",
    "petugas",
    "kepala",
    "dinas",
    "daerah",
    "provinsi",
    "kabupaten",
    "desa",
    "jalan",
    "rumah",
    "sekolah",
    "rumah",
    "sakit",
    "pasar",
    "harga",
    "beras",
    "minyak",
    "listrik",
    "air",
    "banjir",
    "gempa",
    "hujan",
    "musim",
    "panen",
    "petani",
    "nelayan",
    "buruh",
    "pekerja",
    "perusahaan",
    "bank",
    "ekonomi",
    "pertumbuhan",
    "inflasi",
    "anggaran",
    "dana",
    "program",
    "kebijakan",
    "undang-undang",
    "aturan",
    "keputusan",
    "rapat",
    "sidang",
    "pengadilan",
    "hakim",
    "jaksa",
    "tersangka",
    "korban",
    "kecelakaan",
    "kebakaran",
    "bantuan",
    "pembangunan",
    "proyek",
    "jembatan",
    "bandara",
    "pelabuhan",
    "kereta",
    "kendaraan",
    "lalu",
    "lintas",
    "kemacetan",
    "pendidikan",
    "kesehatan",
    "vaksin",
    "penyakit",
    "rumah",
    "tangga",
    "mengatakan",
    "menyatakan",
    "menjelaskan",
    "mengumumkan",
    "menyampaikan",
    "meminta",
    "menerima",
    "memberikan",
    "membangun",
    "memperbaiki",
    "meningkatkan",
    "menurunkan",
    "melaporkan",
    "menangkap",
    "memeriksa",
    "membahas",
    "menghadiri",
    "mengunjungi",
    "menunggu",
    "menemukan",
    "menyebabkan",
    "mengalami",
    "menghadapi",
    "melanjutkan",
    "dilaporkan",
    "diumumkan",
    "ditangkap",
    "diperiksa",
    "dibangun",
    "diperbaiki",
    "ditetapkan",
    "disampaikan",
    "pertama",
    "kedua",
    "ketiga",
    "tahun",
    "bulan",
    "minggu",
    "hari",
    "pagi",
    "siang",
    "sore",
    "malam",
    "Senin",
    "Selasa",
    "Rabu",
    "Kamis",
    "Jumat",
    "Sabtu",
    "Minggu",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
    "persen",
    "juta",
    "miliar",
    "triliun",
    "rupiah",
    "orang",
    "unit",
    "ton",
    "kilometer",
    "penting",
    "utama",
    "resmi",
    "nasional",
    "internasional",
    "lokal",
    "setempat",
    "terbaru",
    "terakhir",
    "sementara",
    "menurut",
    "terkait",
    "terhadap",
    "tentang",
    "sekitar",
    "hampir",
    "sekitar",
    "lebih",
    "dari",
    "kurang",
    "dari",
    "secara",
    "langsung",
    "segera",
    "kembali",
    "bersama",
    "sendiri",
    "kemudian",
    "selanjutnya",
    "sejak",
    "selama",
    "melalui",
]
_ID_SYLLABLES = [
    "ba",
    "ra",
    "ma",
    "sa",
    "ta",
    "na",
    "ka",
    "ga",
    "da",
    "wa",
    "ja",
    "ya",
    "pa",
    "la",
    "ha",
    "ri",
    "di",
    "si",
    "ti",
    "ni",
    "ki",
    "gu",
    "du",
    "bu",
    "su",
    "nu",
]
_ID_PLACES = [
    "Jakarta",
    "Surabaya",
    "Bandung",
    "Medan",
    "Semarang",
    "Makassar",
    "Palembang",
    "Denpasar",
    "Yogyakarta",
    "Malang",
]

EN_FUNCTION = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "is",
    "for",
    "on",
    "was",
    "with",
    "as",
    "by",
    "at",
    "from",
    "it",
    "he",
    "said",
    "has",
    "have",
    "be",
    "are",
    "were",
    "will",
    "not",
    "but",
    "this",
    "which",
    "after",
    "also",
    "their",
    "its",
    "his",
    "they",
    "who",
    "been",
    "had",
    "more",
    "than",
    "about",
    "new",
    "one",
    "two",
    "three",
    "year",
    "years",
    "people",
    "government",
    "minister",
    "president",
    "city",
    "police",
    "officials",
    "would",
    "could",
    "over",
    "into",
    "last",
    "first",
    "some",
    "other",
    "when",
    "while",
    "before",
    "under",
    "between",
    "during",
]
_ID_WEIGHTS = [1.0 / (i + 2) for i in range(len(ID_FUNCTION))]
_EN_WEIGHTS = [1.0 / (i + 2) for i in range(len(EN_FUNCTION))]
_EN_SYLLABLES = [
    "an",
    "ar",
    "be",
    "co",
    "de",
    "en",
    "er",
    "in",
    "is",
    "lo",
    "ma",
    "ne",
    "or",
    "ra",
    "re",
    "ro",
    "se",
    "st",
    "te",
    "ti",
    "to",
    "un",
    "ve",
]


@dataclass(frozen=True)
class SynthArticle:
    title: str
    paragraphs: tuple[tuple[str, ...], ...]  # paragraphs of sentences

    @property
    def text(self) -> str:
        """Title, blank line, paragraphs separated by blank lines (what a user pastes)."""
        return self.title + "\n\n" + "\n\n".join(" ".join(p) for p in self.paragraphs)

    @property
    def sentences(self) -> list[str]:
        return [s for p in self.paragraphs for s in p]

    @property
    def word_count(self) -> int:
        return sum(len(s.split()) for s in self.sentences)


def _invented_name(rng: random.Random) -> str:
    n = rng.choice((2, 3, 3, 4))
    return "".join(rng.choice(_ID_SYLLABLES) for _ in range(n)).capitalize()


def _id_word(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.38:
        # Zipf-like: the first function words are the most frequent.
        return rng.choices(ID_FUNCTION, weights=_ID_WEIGHTS)[0]
    if r < 0.88:
        return rng.choice(ID_CONTENT)
    if r < 0.94:
        return _invented_name(rng)
    if r < 0.97:
        return rng.choice(_ID_PLACES)
    return str(
        rng.choice((rng.randint(2, 99), rng.randint(100, 9999), f"{rng.randint(1, 99)},{rng.randint(1, 9)}"))
    )


def sentence_length(rng: random.Random) -> int:
    """8-45 words, most around 15-25, a tail of long sentences (as in news prose)."""
    return max(8, min(45, int(rng.lognormvariate(2.95, 0.38))))


def id_sentence(rng: random.Random, n_words: int | None = None) -> str:
    n = n_words or sentence_length(rng)
    words = [_id_word(rng) for _ in range(n)]
    words[0] = words[0][:1].upper() + words[0][1:]
    for i in range(3, n - 2):
        if rng.random() < 0.06:
            words[i] += ","
    return " ".join(words) + "."


def article(n_words: int, seed: int) -> SynthArticle:
    """An article of `n_words` words (body only, within 2%), in paragraphs of 2-5 sentences."""
    best = None
    for attempt in range(200):  # deterministic: the first draw close enough to the size asked
        candidate = _article(n_words, seed * 1000 + attempt)
        if abs(candidate.word_count - n_words) <= 0.02 * n_words:
            return candidate
        if best is None or abs(candidate.word_count - n_words) < abs(best.word_count - n_words):
            best = candidate
    assert best is not None
    return best


def _article(n_words: int, seed: int) -> SynthArticle:
    rng = random.Random(seed)
    title = id_sentence(rng, rng.randint(7, 12)).rstrip(".")
    paragraphs: list[tuple[str, ...]] = []
    total = 0
    while total < n_words:
        para = tuple(id_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        total += sum(len(s.split()) for s in para)
    return SynthArticle(title=title, paragraphs=tuple(paragraphs))


def en_word(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choices(EN_FUNCTION, weights=_EN_WEIGHTS)[0]
    return "".join(rng.choice(_EN_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))


def en_sentence(rng: random.Random) -> str:
    n = sentence_length(rng)
    words = [en_word(rng) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def corpus(n_lines: int, seed: int) -> list[str]:
    """Mixed Indonesian-like and English-like lines to train the benchmark tokenizers on."""
    rng = random.Random(seed)
    lines = []
    for i in range(n_lines):
        lines.append(id_sentence(rng) if i % 2 == 0 else en_sentence(rng))
    return lines


def filler_pieces(
    n: int, seed: int, exclude: set[str], word_start: str = "\u2581", share: float = 0.7
) -> list[str]:
    """`n` distinct English-like pieces to pad a vocabulary to its real size.

    A `share` of them start a word (`word_start` prefix: "\u2581" for SentencePiece, "\u0120"
    for byte-level BPE), the rest continue one, so that a random model's output decodes
    to word-like English of a plausible length.
    """
    rng = random.Random(seed)
    out: list[str] = []
    seen = set(exclude)
    while len(out) < n:
        body = "".join(rng.choice(_EN_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4, 5))))
        piece = (word_start + body) if rng.random() < share else body
        if piece not in seen:
            seen.add(piece)
            out.append(piece)
    return out
