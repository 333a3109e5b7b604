"""Reading a pasted page: a select-all copy of an article page, or just its paragraphs.

A select-all copy of an Indonesian news page reads, top to bottom: banner and menu lines
("Baca berita tanpa iklan. Gabung Kompas.com+", section names), the headline, a time line
("Kompas.com - 18/05/2023, 16:00 WIB"), the author's name and a "Penulis" label, a "Sumber"
line, photo labels and captions, then the body with "Baca juga: <headline>" lines between
paragraphs, a promo paragraph, and page chrome ("Terkini Lainnya", "Komentar", "Close Ads",
"Bagikan artikel ini melalui", "Login untuk ...").

So the paste is split into a header (everything before the first paragraph of prose, or before
the dateline paragraph when there is one), read for title/date/author/source, and a body that
goes through the same cleanup as HTML pages. A paste of paragraphs only has no header: it comes
through unchanged, its first line taken as the title only when it reads like a headline.

Patterns here follow cleanup.py's rule (linear in the line: bounded or possessive repeats), each
header line is judged once however many header windows it falls in, and the deadline is checked
once per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cleanup import (
    NO_DEADLINE,
    Deadline,
    Para,
    clean_paragraphs,
    credit_line,
    dateline,
    display_outlet,
    ends_sentence,
    is_end_marker,
    is_junk,
    is_list_heading,
    is_prose,
    normalize_space,
)
from .explain import Trace
from .metadata import parse_date


@dataclass
class Pasted:
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)  # none from plain lines, which carry no markup
    author: str | None = None
    published: str | None = None
    site: str | None = None
    source: str | None = None
    extras: dict[str, str] = field(default_factory=dict)


_HEADER_WINDOW = 60  # lines of page chrome a paste may carry above the body
_HEADLINE_MAX_WORDS = 20
_HEADLINE_MAX_CHARS = 200
_SENTENCE_CASE_MAX_WORDS = 13  # longer headlines are in Title Case (Kompas, Detik, Tribun...)
_SPEECH = re.compile(r"[,.!?][\"”’']\s++(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|imbuh|tambah)\b", re.IGNORECASE)
_PHOTO_LABEL = re.compile(r"^(?:lihat foto|lihat video|perbesar|foto|video)$", re.IGNORECASE)
_AUTHOR_LABEL = re.compile(r"^(?:penulis|reporter|pewarta|kontributor|wartawan|tim redaksi)\s*+:?$", re.IGNORECASE)
_EDITOR_LABEL = re.compile(r"^(?:editor|penyunting|redaktur)\s*+:?$", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"^sumber(?:\s*+:)?\s++(\S.{0,60})$", re.IGNORECASE)
_NAME_DASH_OUTLET = re.compile(
    r"^(?P<name>[A-Z][\w.'’ -]{2,60}?)\s++[-–—]\s++(?P<outlet>detik\w*+|[\w-]++\.(?:com|co\.id|id))$"
)
# "Kompas.com - 18/05/2023, 16:00 WIB"; only a name with a dot is used ("CNN Indonesia" is no site),
# the other two alternatives just keep such lines from reading as something else.
_OUTLET_TIME = re.compile(r"^(?P<outlet>[\w-]++\.(?:com|co\.id|co|id)|detik\w*+|[A-Z]\w++(?: \w*+)?)\s*+[-–—]\s*+\S")
_NAME = re.compile(r"^[A-Z][\w.'’-]*+(?:\s++[A-Z][\w.'’-]*+|\s++(?:bin|binti|de|van|al|el)){0,5}$")
_UPDATED = re.compile(r"^(?:diperbarui|diupdate|update|updated|pembaruan)\b", re.IGNORECASE)


def _lines(text: str, deadline: Deadline = NO_DEADLINE) -> list[list[str]]:
    """Blocks of non-empty lines, split at blank lines."""
    blocks: list[list[str]] = [[]]
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        deadline.check()
        line = normalize_space(raw)
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _hard_wrapped(block: list[str]) -> bool:
    """Lines of one paragraph broken at a fixed width (an e-mail, a PDF), not one line per paragraph:
    most lines stop mid-sentence and the next goes on in lower case."""
    if len(block) < 2:
        return False
    inner = block[:-1]
    wrapped = [
        ln for ln, nxt in zip(inner, block[1:])
        if 30 <= len(ln) <= 110 and not ends_sentence(ln) and (nxt[0].islower() or nxt[0].isdigit())
    ]
    return len(wrapped) >= 0.6 * len(inner) and max(len(ln) for ln in block) <= 110


def _paragraphs(text: str, deadline: Deadline = NO_DEADLINE) -> list[str]:
    out: list[str] = []
    for block in _lines(text, deadline):
        if _hard_wrapped(block):
            out.append(" ".join(block))
        else:
            out.extend(block)
    return out


def looks_like_headline(line: str) -> bool:
    """Short, not a finished sentence, not speech, not chrome: how headlines read."""
    words = line.split()
    if not 2 <= len(words) <= _HEADLINE_MAX_WORDS or len(line) > _HEADLINE_MAX_CHARS:
        return False
    if line.rstrip("\"'”’ ").endswith((".", ":", ";", ",")) or _SPEECH.search(line):
        return False
    if len(words) >= _SENTENCE_CASE_MAX_WORDS and _capitalised_share(words) < 0.5:
        return False  # a long line in sentence case is body text that lost its period
    if dateline(line) or is_junk(line) or is_end_marker(line) or is_list_heading(line):
        return False
    return line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘"


def _capitalised_share(words: list[str]) -> float:
    content = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    return sum(w[0].isupper() for w in content) / len(content) if content else 0.0


def _is_date_line(line: str) -> bool:
    return len(line.split()) <= 14 and parse_date(line) is not None and not is_prose(line.split(" - ", 1)[-1])


def _body_start(lines: list[str], deadline: Deadline = NO_DEADLINE) -> int:
    """Index of the first body paragraph: the dateline paragraph if the top of the paste has one,
    else the first paragraph of prose that is not chrome."""
    window = lines[:_HEADER_WINDOW]
    chrome_above = 0  # how many lines of the window, from the top, were judged for chrome
    has_chrome = False
    for i, line in enumerate(window):
        deadline.check()
        m = dateline(line)
        if not (m and is_prose(line)):
            continue
        if m.group("bare") and i > 0:
            while not has_chrome and chrome_above < i:  # each line judged once, not once per window
                deadline.check()
                has_chrome = _is_chrome(window[chrome_above])
                chrome_above += 1
            if not has_chrome:
                continue
        return i
    skip_next = False
    for i, line in enumerate(window):
        deadline.check()
        if skip_next:  # the caption under a "Lihat Foto" label
            skip_next = False
            continue
        if _PHOTO_LABEL.match(line):
            skip_next = True
            continue
        if is_prose(line) and not (is_junk(line) or credit_line(line) or _is_date_line(line)):
            return i
    return 0


def _has_chrome(lines: list[str]) -> bool:
    """Page furniture a browser copy carries above the body: banners, time lines, credit labels."""
    return any(_is_chrome(ln) for ln in lines)


def _is_chrome(ln: str) -> bool:
    return bool(
        is_junk(ln) or _is_date_line(ln) or _AUTHOR_LABEL.match(ln) or _EDITOR_LABEL.match(ln)
        or _SOURCE_LINE.match(ln) or _NAME_DASH_OUTLET.match(ln) or _PHOTO_LABEL.match(ln)
        or credit_line(ln) or is_end_marker(ln)
    )


def read_pasted(text: str, deadline: Deadline = NO_DEADLINE, trace: Trace | None = None) -> Pasted:
    """Title, metadata and clean paragraphs from pasted page text."""
    lines = _paragraphs(text, deadline)
    out = Pasted()
    if not lines:
        return out
    start = _body_start(lines, deadline)
    header, body = lines[:start], lines[start:]
    deadline.check()

    if header and _has_chrome(header):
        _read_header(header, out)
    else:
        # A plain paste: everything is body, and the first line is the title only when it reads
        # like a headline and running text follows it.
        body = lines
        if len(body) >= 2 and looks_like_headline(body[0]) and is_prose(body[1]):
            out.title, body = body[0], body[1:]

    deadline.check()
    cleaned = clean_paragraphs([Para(line) for line in body], title=out.title or None, deadline=deadline, trace=trace)
    out.paragraphs, out.headings = cleaned.paragraphs, cleaned.headings
    out.author = out.author or cleaned.author
    out.source = out.source or cleaned.source
    for key, value in cleaned.extras.items():
        out.extras.setdefault(key, value)
    if not out.title and out.paragraphs:
        out.title = sentence_title(out.paragraphs[0])
        out.extras["title_from"] = "first sentence"
    if out.paragraphs and not out.site:
        m = dateline(out.paragraphs[0])
        mark = m and (m.group("outlet") or m.group("outlet2"))
        out.site = display_outlet(mark) if mark else None
    return out


_TITLE_WORDS = 12  # a first sentence longer than this is cut to a headline's length
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?+(?=\s++[\"“‘'(]?+[A-Z0-9])")


def sentence_title(paragraph: str) -> str:
    """A heading for a paste whose first line is no headline: its first sentence, without the
    dateline, cut to about a dozen words ("..." marks the cut), never empty for any text."""
    m = dateline(paragraph)
    text = paragraph[m.end():].strip() if m and m.end() < len(paragraph) else paragraph
    end = _SENTENCE_END.search(text)
    sentence = text[: end.end()] if end else text
    words = sentence.split()
    if len(words) > _TITLE_WORDS:
        return " ".join(words[: _TITLE_WORDS - 2]).rstrip(",;:") + "…"
    return sentence.rstrip(" .") or paragraph.strip()


def _read_header(header: list[str], out: Pasted) -> None:
    """Title, date, author, source and site from the chrome above the body."""
    date_index = None
    for i, line in enumerate(header):
        if _is_date_line(line) and not _UPDATED.match(line):
            date_index = i
            out.published = parse_date(line)
            m = _OUTLET_TIME.match(line)
            if m and "." in m.group("outlet"):
                out.site = display_outlet(m.group("outlet"))
            break

    for i, line in enumerate(header):
        if _AUTHOR_LABEL.match(line):
            out.author = out.author or _names_around(header, i)
        elif _EDITOR_LABEL.match(line):
            for j in (i - 1, i + 1):
                if 0 <= j < len(header) and _NAME.match(header[j]):
                    out.extras.setdefault("editor", header[j])
                    break
        elif m := _SOURCE_LINE.match(line):
            out.source = out.source or m.group(1).strip(" .:")
        elif m := _NAME_DASH_OUTLET.match(line):
            out.author = out.author or m.group("name").strip()
            out.site = out.site or display_outlet(m.group("outlet"))
        elif credits := credit_line(line):
            out.author = out.author or credits.get("author")
            out.source = out.source or credits.get("source")
            if "editor" in credits:
                out.extras.setdefault("editor", credits["editor"])

    out.title = _header_title(header, date_index, out.author)


def _names_around(header: list[str], label: int) -> str | None:
    """The names a "Penulis" label belongs to: the lines above it (Kompas lists co-authors as
    "Nama Satu," / "Nama Dua" / "Penulis"), else the line below it."""
    names: list[str] = []
    k = label - 1
    while k >= 0 and _NAME.match(header[k].rstrip(",")) and (not names or header[k].endswith(",")):
        names.insert(0, header[k].rstrip(","))
        k -= 1
    if not names and label + 1 < len(header) and _NAME.match(header[label + 1]):
        names.append(header[label + 1])
    return ", ".join(names) or None


def _header_title(header: list[str], date_index: int | None, author: str | None) -> str:
    """The headline: the line right above the time line, else the longest headline-like line."""
    if date_index is not None:
        for j in range(date_index - 1, max(-1, date_index - 3), -1):
            if looks_like_headline(header[j]) and header[j] != author and len(header[j].split()) >= 3:
                return header[j]
    candidates = [
        ln for ln in header
        if looks_like_headline(ln) and ln != author and len(ln.split()) >= 3 and not _is_date_line(ln)
        and not _AUTHOR_LABEL.match(ln) and not _SOURCE_LINE.match(ln)
    ]
    return max(candidates, key=len) if candidates else ""
