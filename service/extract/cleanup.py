"""Indonesian news boilerplate, as rules on paragraphs of text.

Shared by the HTML path (paragraphs cut from the page) and the pasted-text path (lines of a
select-all copy), because outlets print the same chrome either way: "Baca juga:" headlines
between paragraphs, promo lines for apps and channels, related-article lists, photo captions,
credit lines and desk codes after the last sentence. Each rule below says what it is for and
which outlets print it; none is fitted to one page.

The rules never rewrite a sentence of the body: they drop whole paragraphs, cut a desk code
off the end of the last one, or drop a promo's trailing "Baca juga: <headline>".

Every text here is a stranger's, so every pattern is linear in its input: repeats that could
split one run of characters two ways are bounded or possessive (`*+`, `++`), no unbounded repeat
nests in another, and a pattern that may start anywhere has a lookbehind that keeps it from
starting inside a run it would only retry (tests/test_extract_redos.py holds every pattern to
that). The `Deadline` below is the second line: one extraction stops after
`settings.extract_deadline`.
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from dataclasses import dataclass, field

from ..errors import ExtractionTimeoutError
from .explain import Trace

# ---------------------------------------------------------------------------------------------
# The time one extraction may take
# ---------------------------------------------------------------------------------------------


class Deadline:
    """When one extraction gives up: checked between steps and once per paragraph or line.

    A check is one clock read, cheap enough for every paragraph, and nothing is interrupted
    mid-step; so a slow path a page finds costs it one failed request, not a worker's minutes.
    """

    def __init__(self, seconds: float, message: str = "") -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.message = message or f"Reading this took longer than {seconds:g} s and was stopped."

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise ExtractionTimeoutError(self.message)


NO_DEADLINE = Deadline(math.inf)

# ---------------------------------------------------------------------------------------------
# Paragraphs and what cleanup learns from the lines it drops
# ---------------------------------------------------------------------------------------------


@dataclass
class Para:
    """One block of text: kind is p | h (subheading) | li | quote; link_ratio is the share of
    its characters inside links (-1 when unknown, as for pasted text)."""

    text: str
    kind: str = "p"
    link_ratio: float = -1.0


@dataclass
class Cleaned:
    paragraphs: list[str]
    headings: list[int] = field(default_factory=list)  # indices of the subheadings in `paragraphs`
    author: str | None = None
    source: str | None = None  # wire or origin credit: "Antara", "Kompas.com"
    extras: dict[str, str] = field(default_factory=dict)  # editor, ...


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Bidirectional controls: embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and the
# marks (U+200E, U+200F, U+061C). Indonesian text never needs them, and in a title they make the
# shown order differ from the stored one (a Trojan Source spoof).
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS), None)
_INVISIBLE = _ZERO_WIDTH | _BIDI
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"})


def normalize_space(text: str) -> str:
    """Collapse whitespace (NBSP included) and drop zero-width and bidi control characters."""
    return " ".join(text.translate(_INVISIBLE).replace("\u00a0", " ").split())


def strip_bidi(text: str) -> str:
    """The text without bidi controls, otherwise as it was (for URLs and other raw fields)."""
    return text.translate(_BIDI)


def comparable(text: str) -> str:
    """A form for comparing two texts: NFKC, straight quotes, no case, collapsed spaces."""
    return normalize_space(unicodedata.normalize("NFKC", text).translate(_QUOTES)).casefold()


# ---------------------------------------------------------------------------------------------
# Shapes of text
# ---------------------------------------------------------------------------------------------

_CLOSERS = "\"'”’)]»"
_SENTENCE_END = (".", "!", "?", "…", ":", ";")


def ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS + " ").endswith(_SENTENCE_END)


def is_prose(text: str) -> bool:
    """A paragraph of running text rather than a label, a headline or a menu item."""
    words = len(text.split())
    return words >= 15 or (words >= 5 and ends_sentence(text))


_SUBHEADING_MAX_WORDS = 20


def is_subheading(text: str) -> bool:
    """A block marked up as a heading that reads as one: short and not a finished sentence
    (a question or an exclamation may be a heading). Outlets also wrap whole paragraphs of
    prose, or a lead-in sentence, in <h2>-<h6>: those stay paragraphs."""
    words = len(text.split())
    return 0 < words <= _SUBHEADING_MAX_WORDS and not text.rstrip(_CLOSERS + " ").endswith(
        (".", ",", ";", ":", "…")
    )


def is_headline_like(text: str) -> bool:
    """A headline or a list label: short and not a finished sentence (may end in ! or ?)."""
    words = len(text.split())
    return 0 < words <= 25 and not text.rstrip(_CLOSERS + " ").endswith((".", ":", ";", ","))


# ---------------------------------------------------------------------------------------------
# Promos: "Baca juga: <headline>" and friends (every outlet; Kompas, Tribun, Detik, Okezone and
# Liputan6 put them between and inside paragraphs)
# ---------------------------------------------------------------------------------------------

PROMO_LABEL = re.compile(
    r"(?:baca|lihat|simak|tonton|cek|klik)\s++(?:juga|pula)\b\s*+(?:[:：\-–—]\s*+)?"
    r"|baca\s*+(?:(?:selengkapnya|lainnya)\s*+)?[:：]\s*+"
    r"|(?:berita|artikel)\s+terkait\s*[:：]\s*",
    re.IGNORECASE,
)
# A trailing promo glued to the end of a paragraph: "... kata dia. Baca juga: Headline"
_TRAILING_PROMO = re.compile(
    r"(?<=[.!?\"”])\s++(?:baca|lihat|simak)\s++juga\s*+(?:[:：]\s*+)?[^.!?]{3,200}[!?]?$", re.IGNORECASE
)

_DAY = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DATE_ONLY = re.compile(
    rf"^(?:[\w.]++\s++[-–—]\s++)?(?:{_DAY}\s*+(?:,\s*+)?)?(?:\d{{1,2}}\s++[a-z]{{3,9}}\.?\s++\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})"
    r"\s*+(?:[,|\-–]\s*+)?(?:(?:pukul\s++)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*+(?:wib|wita|wit|utc|gmt)?)?$",
    re.IGNORECASE,
)

# Paywall prompts (Kompas.id, Tempo, Katadata and others); a page with one and little text is a stub.
PAYWALL = re.compile(
    r"\b(?:khusus (?:untuk )?(?:pelanggan|member|anggota)|"
    r"(?:berlangganan|langganan|login|masuk|daftar) (?:untuk|agar bisa|dan) (?:membaca|melanjutkan|mengakses|menikmati)|"
    r"untuk (?:membaca|melanjutkan membaca) (?:artikel|berita|konten) ini|artikel premium|konten premium|"
    r"subscribe to (?:read|continue)|for subscribers only|sudah berlangganan\?)",
    re.IGNORECASE,
)

# Whole paragraphs that are never article text. (pattern, max words) — the word cap keeps a
# rule from eating a real paragraph that merely starts the same way.
_JUNK_RULES: list[tuple[re.Pattern[str], int]] = [
    (re.compile(p, re.IGNORECASE), n)
    for p, n in [
        # "Baca juga: ...", "Lihat juga ...", "Simak juga video ..." (all outlets)
        (rf"^(?:{PROMO_LABEL.pattern})", 45),
        # "Baca berita tanpa iklan. Gabung Kompas.com+" (Kompas banner in pastes)
        (r"^baca berita (?:tanpa iklan|selengkapnya|lainnya)\b", 25),
        # "Simak breaking news dan berita pilihan kami ..." (Kompas), "Simak video ..." (Detik)
        ((r"^simak\s+(?:breaking news|berita|video|update|informasi|selengkapnya|artikel|terus|"
         r"pula|juga|ulasan|rangkuman|keseruan|live)\b"), 60),
        # "Dapatkan update berita pilihan dan breaking news setiap hari ..." (Kompas, Tribun)
        (r"^dapatkan\s+(?:update|informasi|berita|artikel|notifikasi|kabar|info)\b", 80),
        # "Ikuti kami di Google News / WhatsApp Channel" (all outlets)
        ((r"^ikuti\b.*\b(?:google news|whatsapp|telegram|instagram|twitter|facebook|tiktok|youtube|"
         r"channel|saluran|kanal|line|x\.com|media sosial)\b"), 50),
        # "Artikel ini telah tayang di Kompas.com dengan judul ..." (Tribun, Kompas network)
        ((r"^(?:artikel|tulisan|berita|konten)\s++ini\s++(?:(?:telah|sudah|pernah|juga)\s*+)?"
         r"(?:tayang|terbit|dimuat|diterbitkan|ditayangkan)\b"), 80),
        # "Scroll to continue with content", "Scroll down untuk melanjutkan membaca" (Detik, CNN)
        (r"^(?:scroll|gulir)\b.*\b(?:continue|resume|lanjut\w*|membaca|baca|content|konten|artikel)\b",
         15),
        # Ad slots and their labels
        ((r"^(?:advertisement|advertisment|iklan|ads|adv|sponsored|konten sponsor|promoted|"
         r"baca artikel di bawah ini|lanjutkan membaca artikel di bawah)(?:\s*scroll\b.{0,60})?$"), 10),
        # A date-and-time line left inside the body ("Selasa, 4 Juli 2023 | 10:20 WIB")
        (DATE_ONLY.pattern, 14),
        # Photo/video labels: "Lihat Foto" (Kompas), "Perbesar" (Liputan6), "Play video"
        ((r"^(?:lihat foto|lihat video|perbesar|klik untuk memperbesar|play video|putar video|"
         r"foto|video|galeri|lihat galeri|infografis|tonton video)$"), 4),
        # Caption credits: "Foto: Antara/...", "(Dok. Humas)", "KOMPAS.com/ Nama Fotografer"
        ((r"^\(?\s*(?:foto|video|grafis|ilustrasi|dok|dokumentasi|sumber foto|photo|image|"
         r"gambar|repro)\s*[:.]"), 35),
        (r"^[\w-]+\.(?:com|co\.id|co|id)\s*/\s*\S", 10),
        # Captions ending in a photo credit: "... (KOMPAS.com/GARRY LOTULUNG)", "(ANTARA FOTO/Nama)"
        (r"\([A-Z][\w.]*+(?:\s++[A-Z][\w.]*+)*+\s*+/(?:(?=[^()/]*\s)[^()/]*+|\s*+[^()/\s]{7,60})\)\s*$", 40),
        # Inline captions that end with a photo credit: "... © Instagram.com" (KapanLagi)
        (r"(?:^|\s)(?:©|\(c\))\s*[\w .\-/]{2,40}$", 60),
        # Copyright lines: "COPYRIGHT © ANTARA 2015", "© 2023 Kompas.com"
        (r"^(?:©|\(c\)|copyright\b|hak cipta\b|all rights reserved)", 25),
        # Share, comment and login widgets (all outlets)
        ((r"^(?:bagikan|share|tweet|kirim|salin(?: link| tautan)?|copy link|link (?:successfully )?copied|"
         r"share (?:on|ke|to) \w+|bagikan (?:ke|via|lewat) \w+|berikan komentar|komentar anda)\b.{0,80}$"), 14),
        (r"^(?:close ads|tutup iklan|tutup|oke|ok|login|masuk|daftar|logout)$", 2),
        (r"^(?:login|masuk|daftar)\s+(?:untuk|dengan|sekarang|gratis)\b", 25),
        # Font-size controls "A A A", "A- A+"
        (r"^(?:a[-+]?\s*+){2,3}$", 3),
        # Newsletter and app promos: "Jangan sampai ketinggalan berita terkini, langganan ..." (KLY)
        (r"^jangan\s+(?:sampai\s+)?(?:ketinggalan|lewatkan)\b", 20),
        ((r"^(?:langganan|berlangganan|subscribe|gabung|download|unduh|install)\b.*"
         r"\b(?:newsletter|aplikasi|app|premium|sekarang|gratis|kompas\.com\+)"), 30),
        # Pagination: "Halaman 1 2 3", "Selanjutnya", "2 dari 5 halaman", "1 2 3 Next"
        (r"^halaman\s*+(?::\s*+)?(?:\d++\s*+)++(?:selanjutnya|berikutnya|next|»|›|>)?$", 15),
        ((r"^(?:halaman\s+)?(?:selanjutnya|sebelumnya|berikutnya|next|prev|previous|"
         r"tampilkan semua|lihat semua|show all|baca selengkapnya)\s*[»›>]*$"), 4),
        (r"^(?:halaman\s+)?\d+\s+dari\s+\d+(?:\s+halaman)?$", 5),
        (r"^(?:[«‹<]\s*+)?(?:\d++\s++)++\d*+\s*+(?:selanjutnya|next|»|›|>)?$", 15),
        # Embedded tweets: "— Name (@handle) February 15, 2016", "pic.twitter.com/..." lines
        (r"(?:—|--|-)\s*[^()]{1,80}\(@\w{1,30}\)\s+\w+\s+\d{1,2},\s+\d{4}$", 80),
        (r"\bpic\.twitter\.com/\w+", 80),
        # Paywall prompts: "Artikel ini khusus untuk pelanggan", "Masuk untuk melanjutkan membaca"
        (PAYWALL.pattern, 40),
        # English and other follow/check promos: "Follow Berita Okezone di Google News",
        # "Cek Berita dan Artikel yang lain di Google News" (Kontan, Okezone), "Saksikan video ..." (CNBC)
        ((r"^(?:follow|cek|klik|gabung(?:lah)?|join)\b.*\b(?:google news|whatsapp|telegram|channel|saluran|instagram|"
         r"tiktok|youtube)\b"), 40),
        (r"^saksikan\s+(?:juga\s+)?(?:video|siaran|live|tayangan)\b", 30),
        # "Yuk, Simak Juga Video ini!" above an embedded player (JPNN), "Ayo baca ..." promos
        (r"^(?:yuk|ayo|mari)\b[\s,!]*+(?:simak|tonton|lihat|baca|saksikan|cek)\b", 12),
        (r"^(?:lanjutkan membaca|lanjut baca|continue reading|read more)\b.{0,20}$", 6),
        # "Pilihan Editor: <headline>" lines between paragraphs (Tempo)
        (r"^pilihan editor\s*:", 30),
        # Syndication and app promos of the detik network: "Baca artikel detikjatim, "..." selengkapnya
        # https://...", "[Gambas:Video 20detik]" (an embedded player's placeholder)
        (r"^baca artikel\b.*\bselengkapnya\b", 60),
        (r"^\[gambas:[^\]]*\]$", 6),
        (r"^(?:download|unduh)\s+(?:apps?|aplikasi)\b", 20),
        # Byline-ish labels from reporter desks: "Laporan wartawan Tribunnews.com, Nama"
        (r"^laporan\s+(?:wartawan|reporter|koresponden|kontributor)\b", 15),
        (r"^(?:tim redaksi|redaksi)$", 2),
    ]
]


def is_junk(text: str) -> bool:
    """A whole paragraph that is chrome, never article text."""
    words = len(text.split())
    return any(words <= cap and pattern.search(text) for pattern, cap in _JUNK_RULES)


# ---------------------------------------------------------------------------------------------
# Credit lines: "Penulis : A / Editor : B" (Kompas), "Editor: X" (Antara), "Red: X" and
# "Sumber : Antara" (Republika), "Pewarta: X" (Antara). Dropped from the body, kept as metadata.
# ---------------------------------------------------------------------------------------------

_CREDIT_ROLE = {
    "penulis": "author", "reporter": "author", "pewarta": "author", "wartawan": "author",
    "writer": "author", "author": "author", "kontributor": "author", "oleh": "author",
    "editor": "editor", "penyunting": "editor", "redaktur": "editor", "red": "editor",
    "sumber": "source", "source": "source", "fotografer": "photographer", "foto": "photographer",
}
_CREDIT_PART = re.compile(
    r"^(penulis|reporter|pewarta|wartawan|writer|author|kontributor|oleh|editor|penyunting|redaktur|"
    r"red|sumber|source|fotografer|foto)\s*+[:|]\s*+(\S.{0,80}?)\s*+$",
    re.IGNORECASE,
)
_CREDIT_SPLIT = re.compile(r"\s+[/|]\s+|\s{2,}|\s*;\s*|\s+(?=(?:editor|penulis|reporter|sumber|pewarta)\s*:)",
                           re.IGNORECASE)


_COPYRIGHT_TAIL = re.compile(r"(?<!\s)\s*+(?:copyright\b|©|\(c\))(?s:.*)\Z", re.IGNORECASE)
# "Laporan Wartawan Tribunnews.com, Nama Wartawan" (Tribun and its regional sites)
_REPORT_BY = re.compile(r"^laporan\s++(?:wartawan|reporter|koresponden|kontributor)\b[^,]{0,60},\s*+([A-Z][\w.'’-]*+(?:\s++[A-Z][\w.'’-]*+){0,4})$",
                        re.IGNORECASE)
_BY_NAME = re.compile(r"^(?:[Oo]leh|OLEH|[Bb]y|BY)\s++([A-Z][\w.'’-]*+(?:\s++[A-Z][\w.'’-]*+){0,4})$")
# "Fino Yurio Kristo - detikinet", "Nama Wartawan - detikNews" (detik network bylines), "Nama - Suara.com"
_NAME_DASH_DESK = re.compile(
    r"^([A-Z][\w.'’-]{0,30}+(?:\s++[A-Z][\w.'’-]{0,30}+){0,4})\s++[-–—]\s++"
    r"(?:detik\w{0,20}+|[\w-]{1,40}+\.(?:com|co\.id|id))$"
)


def credit_line(text: str) -> dict[str, str] | None:
    """Roles and names when the whole paragraph is credit lines, else None."""
    by = _BY_NAME.match(text) or _REPORT_BY.match(text) or _NAME_DASH_DESK.match(text)
    if by:
        return {"author": by.group(1)}
    text = _COPYRIGHT_TAIL.sub("", text)
    parts = [p for p in _CREDIT_SPLIT.split(text) if p and p.strip()]
    if not parts or len(text.split()) > 30:
        return None
    found: dict[str, str] = {}
    for part in parts:
        m = _CREDIT_PART.match(part.strip())
        if not m:
            return None
        role = _CREDIT_ROLE[m.group(1).lower()]
        found.setdefault(role, m.group(2).strip(" .,:"))
    return found


# ---------------------------------------------------------------------------------------------
# Desk codes after the last sentence: "(mdk/yan)" Merdeka, "(fyk/ash)" Detik, "(kpl/pur/tch)"
# KapanLagi, "(H-4)" Media Indonesia, "[sc]" Suara, "(Cas/Isk)" Liputan6, "(T.A043)" Antara.
# ---------------------------------------------------------------------------------------------

_WIRES = r"ant|antara|afp|ap|reuters|rtr|bbc|dw|voa|xinhua|kyodo|bernama|kompas|tribun|rol|kbr|okz"
_ONE_CODE = rf"(?:[a-z]{{1,6}}|{_WIRES}|[A-Z]{{1,3}}-\d{{1,3}}|[A-Z]\.?[A-Z]?\d{{2,4}}|\*{{1,3}})"
_ANY_CODE = r"(?:[A-Za-z]{1,6}|[A-Z]{1,3}-\d{1,3}|[A-Z]\.?[A-Z]?\d{2,4}|\*{1,3})"
_CODE_BODY = rf"(?:{_ANY_CODE}(?:\s*+/\s*+{_ANY_CODE}){{1,5}}|{_ONE_CODE})"
_DESK_CODE = re.compile(rf"[(\[]\s*+(?:{_CODE_BODY})\s*+[)\]]", re.IGNORECASE)
_ONLY_CODE = re.compile(rf"^[(\[]\s*+(?:{_CODE_BODY})\s*+[)\]]$", re.IGNORECASE)
_TRAILING_CODE = re.compile(rf"(?<=[.!?\"”’'])\s*+[(\[]\s*+(?:{_CODE_BODY})\s*+[)\]]\s*+$", re.IGNORECASE)
_WIRE_CODE = re.compile(r"\b(ant|antara)\b", re.IGNORECASE)


def _strip_code(text: str) -> tuple[str, str | None]:
    m = _TRAILING_CODE.search(text)
    if not m:
        return text, None
    wire = "Antara" if _WIRE_CODE.search(m.group(0)) else None
    return text[: m.start()].rstrip(), wire


def _case_sensitive_code(text: str) -> bool:
    """Single lowercase codes only in lowercase: "(eko)" is a code, "(Jokowi)" is not."""
    inner = text.strip("()[] ")
    if "/" in inner or "-" in inner or inner.startswith("*") or any(c.isdigit() for c in inner):
        return True
    return inner.islower() or inner.lower() in _WIRES.split("|")


# ---------------------------------------------------------------------------------------------
# Datelines: "JAKARTA, KOMPAS.com -", "Mataram, NTB (ANTARA News) -", "Liputan6.com, Jakarta -",
# "TEMPO.CO, Jakarta -", "Jakarta, CNN Indonesia --", "REPUBLIKA.CO.ID, JAKARTA --", "Jakarta -"
# ---------------------------------------------------------------------------------------------

# Words and domain labels are bounded (40 and 63 characters): a place word can end inside a run
# ("Jakarta-KOMPAS.com -"), so unbounded it would make every line cost its length squared.
_OUTLET_MARK = (
    r"(?:[A-Za-z0-9][\w-]{0,62}\.(?i:com|co\.id|co|id|net|tv|or\.id)(?:\.[a-z]{2})?|ANTARA(?:\s++News)?|"
    r"Antara(?:\s++News)?|CNN\s++Indonesia|CNBC\s++Indonesia|Kompas\w{0,40}|KOMPAS\w{0,40}|detik\w{0,40}|Okezone|"
    r"Republika|REPUBLIKA|VIVA|Viva|Tempo|TEMPO|Kumparan|kumparan|IDN\s++Times|Media\s++Indonesia|Bisnis|"
    r"Beritasatu|Jawa\s++Pos|JawaPos\w{0,40}|Tribun\w{0,40}|TRIBUN\w{0,40}|Sindonews|SINDOnews|Suara|Merdeka|"
    r"Ihram|IHRAM)"
)
_PLACE = r"[A-Z][\w.'’-]{0,40}(?:[ ,]++[A-Z][\w.'’-]{0,40}){0,3}"
_DASH = r"(?:-{1,2}|–|—)"
DATELINE = re.compile(
    # "JAKARTA, KOMPAS.com -", "Liputan6.com, Jakarta -", "Jakarta, CNN Indonesia --"
    rf"^(?:(?P<place>{_PLACE})\s*+(?:,\s*+)?)?(?:\(?\s*+(?<![\w.])(?P<outlet>{_OUTLET_MARK})\s*+\)?)"
    rf"(?:\s*+,\s*+{_PLACE})?\s*+{_DASH}(?:\s++|$)"
    # "MAGELANG, KABARNUSANTARA -": a place in capitals and any one-word outlet
    rf"|^(?P<upper>[A-Z][A-Z.'’-]++(?:\s++[A-Z][A-Z.'’-]++){{0,2}}),\s*+(?P<outlet3>[A-Z][A-Za-z0-9.]{{2,30}})"
    rf"\s*+{_DASH}(?:\s++|$)"
    # "Denpasar (NUSA) -", "Mataram, NTB (ANTARA News) -": any credit in brackets
    rf"|^(?P<place4>{_PLACE})\s*+\((?P<outlet4>[A-Z][A-Za-z0-9 .]{{1,25}})\)\s*+{_DASH}(?:\s++|$)"
    # "Liputan6.com, Jakarta London ...": outlet and place, no dash
    rf"|^(?P<outlet2>{_OUTLET_MARK})\s*+,\s*+(?P<place2>[A-Z][\w.'’-]*)\b"
    # "Jakarta - ": a bare place and a dash (weak: only trusted at the very top)
    rf"|^(?P<bare>[A-Z][A-Za-z.'’-]*+(?:\s++[A-Z][A-Za-z.'’-]*+){{0,2}})\s++{_DASH}(?:\s++|$)"
)


def dateline(text: str) -> re.Match[str] | None:
    """The dateline opening a first paragraph, if there is one."""
    return DATELINE.match(text)


def dateline_outlet(text: str) -> str | None:
    """The outlet a dateline credits ("ANTARA News" -> "Antara"), or None."""
    m = DATELINE.match(text)
    if not m:
        return None
    mark = m.group("outlet") or m.group("outlet2") or m.group("outlet4")
    if not mark:
        return None
    return display_outlet(mark)


_OUTLET_DISPLAY = {
    "antara": "Antara", "antara news": "Antara", "kompas.com": "Kompas.com", "kompasotomotif": "Kompas.com",
    "kompas.tv": "Kompas TV", "tempo.co": "Tempo.co", "liputan6.com": "Liputan6.com", "viva.co.id": "VIVA.co.id",
    "republika.co.id": "Republika", "republika": "Republika", "cnn indonesia": "CNN Indonesia",
    "cnbc indonesia": "CNBC Indonesia", "tribunnews.com": "Tribunnews.com", "okezone": "Okezone",
    "okezone.com": "Okezone", "suara.com": "Suara.com", "merdeka.com": "Merdeka.com", "detik.com": "detik.com",
    "detikcom": "detik.com", "ihram.co.id": "Ihram.co.id",
}


def display_outlet(mark: str) -> str:
    key = " ".join(mark.split()).lower()
    return _OUTLET_DISPLAY.get(key, mark if not mark.isupper() or len(mark) <= 4 else mark.title())


# ---------------------------------------------------------------------------------------------
# Lists and the end of the article
# ---------------------------------------------------------------------------------------------

# Headings of related-article lists. The heading and the headline-like items under it go; the
# article may continue after the list (Kompas's "Berita Terkait" sits above the first paragraph,
# Liputan6's "Baca Juga" mid-body), so these do not end the article.
_LIST_HEADING = re.compile(
    r"^(?:baca juga|baca pula|berita terkait|artikel terkait|konten terkait|terkait|related(?: news| articles?)?|"
    r"jangan lewatkan|populer|terpopuler|berita populer|paling populer|populer lainnya|most popular|"
    r"rekomendasi|berita rekomendasi|rekomendasi untuk anda|pilihan editor|pilihan redaksi|berita pilihan|"
    r"video pilihan|lihat juga|topik|topik terkait|topik pilihan|hot topics?|tags?|tag terkait|"
    r"berita lainnya|artikel lainnya|lainnya|read more|baca lainnya|berita terbaru|terbaru|terkini|"
    r"berita utama|headline|trending|sorotan|editor'?s pick)\s*+(?:[:!]\s*+)?(?:\(\d+\))?$",
    re.IGNORECASE,
)
# Chrome that only ever follows the article: nothing after it is body.
_END_MARKER = re.compile(
    r"^(?:terkini lainnya|pilihan untukmu|komentar|komentar \(\d+\)|tulis komentar|kirim komentar|"
    r"komentari artikel ini|beri komentar|lihat komentar|\d+ komentar|close ads|"
    r"bagikan artikel ini(?: melalui)?\s*:?|login untuk .{0,60}|"
    r"ikuti perkembangan berita ini dalam topik\s*+:?.*|berita terkait lainnya|artikel selanjutnya|"
    r"baca artikel lainnya|rekomendasi untukmu|berita selanjutnya|news feed|kategori|ikuti kami)$",
    re.IGNORECASE,
)


def is_list_heading(text: str) -> bool:
    return _LIST_HEADING.match(text) is not None


def is_end_marker(text: str) -> bool:
    return _END_MARKER.match(text) is not None


def _all_caps_name(text: str) -> bool:
    """A reporter's name alone after the body, as Tempo prints it ("DINI TEJA")."""
    words = text.split()
    return 1 <= len(words) <= 5 and len(text) <= 50 and text.isupper() and all(w.isalpha() or w in "|/" for w in words)


# ---------------------------------------------------------------------------------------------
# The pipeline
# ---------------------------------------------------------------------------------------------


def clean_paragraphs(
    paras: list[Para], *, title: str | None = None, deadline: Deadline = NO_DEADLINE, trace: Trace | None = None
) -> Cleaned:
    """Remove boilerplate from raw paragraphs; keep the body's own text, quotes, lists and
    subheadings in order. Credits found in dropped lines come back as metadata."""
    trace = trace or Trace()
    out = Cleaned([])
    items = [Para(normalize_space(p.text), p.kind, p.link_ratio) for p in paras]
    items = [p for p in items if p.text and any(c.isalnum() for c in p.text)]
    items = _merge_split_credits(_merge_bare_datelines(items))
    deadline.check()

    kept: list[Para] = []
    seen_prose = False
    in_list = False
    for p in items:
        deadline.check()
        text = p.text
        if seen_prose and is_end_marker(text):
            trace.drop("end of the article (and all after it)", text)
            break
        credits = credit_line(text)
        if credits:
            trace.drop("credit line (kept as author/editor/source)", text)
            _note_credits(out, credits)
            continue
        if is_list_heading(text):
            trace.drop("related-list heading", text)
            in_list = True
            continue
        if in_list:
            if _list_item(p):
                trace.drop("related-list item", text)
                continue
            in_list = False
        junk = "page chrome" if is_end_marker(text) else "boilerplate line" if is_junk(text) else (
            "link line" if _link_item(p) else None)
        if junk:
            trace.drop(junk, text)
            _note_promo_source(out, text)
            continue
        if _ONLY_CODE.match(text) and _case_sensitive_code(text):
            trace.drop("desk code", text)
            if _WIRE_CODE.search(text):
                out.source = out.source or "Antara"
            continue
        promo = _TRAILING_PROMO.search(text)
        if promo:
            trace.drop("Baca juga at a paragraph's end", promo.group(0))
            text = text[: promo.start()]
        kept.append(Para(text, p.kind, p.link_ratio))
        seen_prose = seen_prose or is_prose(text)

    kept = _counted(trace, "before the dateline", kept, _trim_lead(kept))
    kept = _counted(trace, "the headline repeated", kept, _drop_title(kept, title))
    kept = _counted(trace, "after the last sentence", kept, _trim_tail(kept, out))
    kept = _counted(trace, "repeated paragraph or pull-quote", kept, _dedupe(kept, deadline))
    out.paragraphs = [p.text for p in kept]
    out.headings = [i for i, p in enumerate(kept) if p.kind == "h" and is_subheading(p.text)]
    if kept and not out.source:
        out.source = dateline_outlet(kept[0].text)
    return out


def _counted(trace: Trace, rule: str, before: list[Para], after: list[Para]) -> list[Para]:
    """Note what a step removed (whole paragraphs, by identity) and pass its result on."""
    n = len(before) - len(after)
    if n > 0:
        kept = {id(p) for p in after}
        # the last n: a paragraph that was only shortened (a desk code cut off) is not counted
        for p in [p for p in before if id(p) not in kept][-n:]:
            trace.drop(rule, p.text)
    return after


def _list_item(p: Para) -> bool:
    """An item of a related-headlines list: a link, or (pasted text) a headline-like line."""
    if p.link_ratio >= 0.5:
        return True
    return p.link_ratio < 0 and is_headline_like(p.text) and p.kind != "h"


def _link_item(p: Para) -> bool:
    """A paragraph that is (almost) all link and short: a related headline, a nav item."""
    return p.link_ratio >= 0.6 and len(p.text.split()) <= 30


def _note_credits(out: Cleaned, credits: dict[str, str]) -> None:
    if "author" in credits and not out.author:
        out.author = credits["author"]
    if "source" in credits and not out.source:
        out.source = credits["source"]
    for role in ("editor", "photographer"):
        if role in credits:
            out.extras.setdefault(role, credits[role])


# The outlet's name is short: bounded, so a long promo is not read once per "tayang di" in it.
_TAYANG_DI = re.compile(
    r"(?:tayang|terbit|dimuat|diterbitkan|ditayangkan)\s++(?:di|pada|dalam)\s++(.{1,100}?)\s++"
    r"(?:dengan\s++judul|berjudul|pada\b|,)",
    re.IGNORECASE,
)


def _note_promo_source(out: Cleaned, text: str) -> None:
    m = _TAYANG_DI.search(text)
    if m and not out.source:
        out.source = m.group(1).strip(" .,\"'")


def _merge_bare_datelines(items: list[Para]) -> list[Para]:
    """"Jakarta -" as its own paragraph (Detik puts it in a separate <p>): join it to the next."""
    out: list[Para] = []
    i = 0
    while i < len(items):
        p = items[i]
        m = dateline(p.text)
        if m and m.end() >= len(p.text.rstrip()) and i + 1 < len(items) and len(p.text) <= 60:
            nxt = items[i + 1]
            out.append(Para(f"{p.text.rstrip()} {nxt.text}", nxt.kind, nxt.link_ratio))
            i += 2
            continue
        out.append(p)
        i += 1
    return out


_CREDIT_LABEL = re.compile(rf"^(?:{'|'.join(_CREDIT_ROLE)})\s*:?$", re.IGNORECASE)


def _merge_split_credits(items: list[Para]) -> list[Para]:
    """"Penulis" | ": Nama" in two table cells (Kompas): one credit line "Penulis: Nama"."""
    out: list[Para] = []
    i = 0
    while i < len(items):
        p = items[i]
        if _CREDIT_LABEL.match(p.text) and i + 1 < len(items) and items[i + 1].text.startswith(":"):
            out.append(Para(f"{p.text.rstrip(' :')}: {items[i + 1].text[1:].strip()}", p.kind, p.link_ratio))
            i += 2
            continue
        out.append(p)
        i += 1
    return out


_LEAD_WINDOW = 8


def _trim_lead(items: list[Para]) -> list[Para]:
    """Drop what precedes the dateline paragraph: captions, pull-quotes, bylines, decks.

    Outlets open the body with the dateline; anything the page shows before it inside the
    container is furniture (Antara's photo captions and pull-quotes sit there).
    """
    for i, p in enumerate(items[:_LEAD_WINDOW]):
        m = dateline(p.text)
        if not m or i == 0 or not is_prose(p.text):
            continue
        if m.group("bare") and (i > 2 or any(len(q.text.split()) > 60 for q in items[:i])):
            continue  # a bare "Place -" is weaker evidence: only right at the top
        return items[i:]
    return items


def _drop_title(items: list[Para], title: str | None) -> list[Para]:
    if not title:
        return items
    t = comparable(title)
    return [p for i, p in enumerate(items) if not (i < 4 and comparable(p.text) == t)]


def _trim_tail(items: list[Para], out: Cleaned) -> list[Para]:
    """After the last sentence: desk codes, a reporter's name in capitals, stray headlines."""
    while items:
        last = items[-1]
        if _all_caps_name(last.text) and len(items) > 1:
            out.author = out.author or last.text.title()
            items = items[:-1]
            continue
        if last.link_ratio >= 0.5 and is_headline_like(last.text):
            items = items[:-1]
            continue
        break
    if items:
        text, wire = _strip_code(items[-1].text)
        code = items[-1].text[len(text):].strip()
        if code and _case_sensitive_code(code):
            items = [*items[:-1], Para(text, items[-1].kind, items[-1].link_ratio)]
            if wire and not out.source:
                out.source = wire
    return items


_CORE_STRIP = re.compile(r"^[\s\"'“”‘’.…]++|(?<![\s\"'“”‘’.…])[\s\"'“”‘’.…]++$")


def _dedupe(items: list[Para], deadline: Deadline = NO_DEADLINE) -> list[Para]:
    """Drop repeated paragraphs, and pull-quotes that repeat a sentence of the body.

    Share bars printed twice, a pull-quote "... mengingat ..." restating a quote in the body
    (Antara), the same paragraph on two pages of a multi-page article.
    """
    cores = [_CORE_STRIP.sub("", comparable(p.text)) for p in items]
    seen: set[str] = set()
    out: list[Para] = []
    for i, (p, core) in enumerate(zip(items, cores)):
        deadline.check()  # each step compares one paragraph with all the others
        if core in seen and (len(core.split()) >= 4 or p.kind == "p"):
            continue
        seen.add(core)
        words = len(core.split())
        repeated = 6 <= words <= 80 and len(items) <= 600 and any(
            j != i and len(other) > len(core) and core in other for j, other in enumerate(cores)
        )
        if repeated:
            continue
        out.append(p)
    return out
