"""Sentence segmentation for Indonesian news text, and splitting of over-long sentences.

Translation models work sentence by sentence, so every boundary we miss makes a unit
longer and every false boundary cuts a sentence in half. The rules are plain: a sentence
ends at `.`, `!`, `?` or an ellipsis (plus any closing quotes or brackets right after it)
when whitespace and a plausible sentence start follow. Then vetoes for what Indonesian
news writes with a full stop inside a sentence: titles and address words (Dr., Jl., No.,
Kab., a.n.), initials (B. J. Habibie), list numbers, parenthetical remarks, and speech
verbs after a quotation ("Siap." Kata dia.). Numbers (3.016, 2,5, 16.00), dates
(18/5/2023), URLs and e-mail addresses never split, because a boundary needs whitespace
after the punctuation. Datelines ("JAKARTA, KOMPAS.com - ...") stay with their sentence
for the same reason.

Every result is a slice of the whitespace-normalised text between two spaces, so
`" ".join(split_sentences(x)) == normalize_space(x)` always holds: nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Abbreviations that are followed by the thing they qualify (a name, a street, a number),
# so a full stop after them never ends a sentence. Compared in lower case.
_NEVER_FINAL = frozenset(
    """
    dr drg drs dra prof ir hj kh jl jln gg no rp kab kec kel ds prov pt cv ud bpk bp sdr sdri ny nn tn
    yth st a.n u.p s.d d.a kol kapt letkol brigjen mayjen letjen jend laksda laksma marsda marsma irjen
    komjen kombes kompol akbp akp iptu ipda aiptu aipda bripka briptu brigpol bharada letda lettu pol
    mr mrs ms hlm hal tgl telp tlp pkl sbg dgn yg utk krn tdk spt sp vol ust
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Abbreviations that often close a sentence ("..., gula, dll." / "PT Astra International Tbk.")
# but are also written mid-sentence. They end a sentence only before a capital letter or an
# opening quote, not before a bracket or a number. Compared in lower case.
_MAYBE_FINAL = frozenset(
    """
    dll dsb dst dkk tsb sda etc tbk inc ltd co corp jr sr
    s.h m.h s.e m.m m.si m.sc s.sos s.pd m.pd s.kom s.t m.t s.ag m.ag lc ph.d m.a b.a s.ip m.kn
    m.kes s.psi s.ked s.farm apt m.hum s.hum sp.a sp.og sp.pd sp.b sp.jp sp.m sp.s sp.kk mba
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Words after which a lone capital letter is a label, not an initial: "Grup A. Pertandingan ..."
_LETTER_LABELS = frozenset(
    """
    grup group kelompok kelas tipe type blok vitamin huruf zona opsi poin gedung terminal pintu gerbang
    lantai ruang seri varian golongan kategori paket tower menara jalur sektor klaster plan rencana
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Verbs that attribute a quotation; after a closing quote they continue the sentence even
# when capitalised ('"Kami siap." Kata dia.').
_SPEECH_VERBS = frozenset(
    """
    kata ujar ucap tutur jelas tegas ungkap papar imbuh tambah sebut terang tanya jawab pungkas lanjut
    katanya ujarnya ucapnya tuturnya jelasnya tegasnya ungkapnya paparnya imbuhnya tambahnya sebutnya
    terangnya tanyanya jawabnya pungkasnya lanjutnya
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_OPENERS = "\"'“‘«([{"
_CLOSERS = "\"'”’»)]}"
_QUOTES_CLOSING = "\"'”’»"
_QUOTES_OPENING = "\"'“‘«"

# A run of terminal punctuation, then any closing quotes/brackets, then a space or the end.
_CANDIDATE = re.compile(r"[.!?…]+[\"'”’»)\]}]*(?= |$)")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_ENUMERATOR = re.compile(r"\d{1,3}|[IVXLC]{1,6}|[a-z]")

# Parenthetical remarks longer than this are treated as unbalanced text, not one remark.
_MAX_PAREN_SPAN = 300


def normalize_space(text: str) -> str:
    """Collapse every whitespace run (newlines and no-break spaces included) to one space."""
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences; `" ".join(result) == normalize_space(text)`."""
    text = normalize_space(text)
    if not text:
        return []
    bracketed = _bracketed(text)
    sentences: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        space = match.end()
        if space >= len(text):
            break
        if bracketed[space]:
            continue
        if _is_boundary(text, match, start):
            sentences.append(text[start:space])
            start = space + 1
    sentences.append(text[start:])
    return sentences


def _is_boundary(text: str, match: re.Match[str], sentence_start: int) -> bool:
    punct_end = match.start() + len(match.group(0).rstrip(_CLOSERS))
    punct = text[match.start() : punct_end]
    closers = text[punct_end : match.end()]
    next_word = _word_after(text, match.end() + 1)
    first = next_word.lstrip(_OPENERS)[:1]
    starts_like_sentence = bool(first) and (first.isupper() or first.isdigit())
    if not starts_like_sentence:
        return False
    if match.start() > 0 and text[match.start() - 1] in "([{":
        return False  # "(...)" marks an omission inside a sentence
    attributed = next_word.strip(",.;:!?").lower() in _SPEECH_VERBS
    if closers and closers[-1] in _QUOTES_CLOSING and attributed:
        return False
    if punct != "." or closers:
        return True

    word_start = text.rfind(" ", 0, match.start()) + 1
    token = text[word_start : match.start()].lstrip(_OPENERS)
    lowered = token.lower()
    if lowered in _NEVER_FINAL:
        return False
    if lowered in _MAYBE_FINAL:
        opener = next_word[:1]
        return opener.isupper() or (opener != "" and opener in _QUOTES_OPENING)
    if _INITIALS.fullmatch(token) and token[0].isupper():
        previous = text[text.rfind(" ", 0, max(word_start - 1, 0)) + 1 : max(word_start - 1, 0)].lower()
        return len(token) == 1 and previous in _LETTER_LABELS
    # "1. Pemerintah ..." opens a numbered item.
    return not (word_start == sentence_start and _ENUMERATOR.fullmatch(token))


def _word_after(text: str, start: int) -> str:
    # Bounded look-ahead: slicing the whole rest of the text per candidate is quadratic.
    end = text.find(" ", start)
    return text[start : end if end >= 0 else len(text)]


def _bracketed(text: str) -> bytearray:
    """A flag per character: 1 inside a matched bracket pair short enough to be one remark.

    One pass and a running sum, so the check per candidate boundary is O(1) however many
    brackets the text holds.
    """
    delta = [0] * (len(text) + 1)
    stack: list[int] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for i, ch in enumerate(text):
        if ch in "([{":
            stack.append(i)
        elif ch in pairs:
            while stack and text[stack[-1]] != pairs[ch]:
                stack.pop()
            if stack:
                opened = stack.pop()
                if i - opened <= _MAX_PAREN_SPAN:
                    delta[opened + 1] += 1
                    delta[i] -= 1
    flags = bytearray(len(text))
    depth = 0
    for i in range(len(text)):
        depth += delta[i]
        flags[i] = depth > 0
    return flags


# Clause boundaries, strongest first; each cut falls on the space after the punctuation.
_CLAUSE_CUTS = (
    re.compile(r"(?<=;) "),
    re.compile(r"(?<=:) "),
    re.compile(r"(?<= [—–-]) |(?<=—) "),
    re.compile(r"(?<=,) "),
    re.compile(r" "),
)


def split_long(sentence: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Cut a sentence that is too long for the model into parts that fit.

    Cuts go at the strongest clause boundary available (`;` then `:` then a dash then `,`,
    then between words), at the one nearest the middle, recursively, so parts come out
    balanced rather than one full part and a scrap. `" ".join(parts)` gives back the
    (whitespace-normalised) sentence. A single word that alone exceeds `max_tokens`
    cannot be cut at a boundary and comes back as a part of its own, over the limit.
    """
    text = normalize_space(sentence)
    if not text:
        return []
    return _split(text, max_tokens, count_tokens)


def _split(text: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[str]:
    if count_tokens(text) <= max_tokens:
        return [text]
    middle = len(text) / 2
    for pattern in _CLAUSE_CUTS:
        cuts = [m.start() for m in pattern.finditer(text)]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - middle))
            return _split(text[:cut], max_tokens, count_tokens) + _split(
                text[cut + 1 :], max_tokens, count_tokens
            )
    return [text]
