"""The last stage: a `Result` as Markdown, plain text or JSON, the same for CLI and web app."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from .choices import LANGUAGE_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from .article import Article
    from .types import Result

READING_WORDS_PER_MINUTE = 230


def reading_minutes(word_count: int) -> int:
    return max(1, round(word_count / READING_WORDS_PER_MINUTE))


def metadata_line(a: Article) -> str:
    """Outlet, author, date, language, words and reading time, as one line of plain text.

    From the article alone, so the web page can show it before a `Result` exists."""
    from .extract.localtime import local_time  # the outlet's zone by name: WIB, WITA, WIT

    language = LANGUAGE_NAMES.get(a.language, a.language)
    parts = [a.site, a.author, local_time(a.published), f"{language} original"]
    if a.source and a.source != a.site:
        parts.append(f"source: {a.source}")
    parts.append(f"{a.word_count} words, {reading_minutes(a.word_count)} min read")
    return " · ".join(p for p in parts if p)


def summary_block(result: "Result") -> str:
    s = result.summary
    if result.options.bullets:
        return "\n".join(f"- {point}" for point in s.points) or s.text
    return s.text


def to_json(result: "Result") -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


# Page text in Markdown: characters that start inline structure (emphasis, code, links, images,
# autolinks and raw HTML, entities, tables, strikethrough, headings) are backslash-escaped
# wherever they are; the ones that only matter at the start of a line (lists, setext and
# thematic breaks, ordered lists) are escaped there. Line breaks become spaces first, so a field
# is one line and cannot start a block of its own (a heading, quote, fence or indented code).
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|~&])")
_MD_LINE_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_URL_HOST = re.compile(r"(?:[A-Za-z0-9%](?:[A-Za-z0-9.%-]*)|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
_URL_SAFE = "/:@!$&'*+,;=%?"  # plus letters, digits and -._~; everything else becomes %XX


def _md_escape(text: str) -> str:
    """Keep page text from becoming Markdown or HTML structure: it reads as typed, on one line."""
    out = _CONTROLS.sub("", " ".join(text.split()))
    out = _MD_INLINE.sub(r"\\\1", out)
    return _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", out)


def _md_paragraph(text: str, heading: bool) -> str:
    """A paragraph of the article, or one of its subheadings (level 3, under "## Article")."""
    out = _md_escape(text)
    return f"### {out}" if heading and out else out


def _md_url(url: str | None) -> str | None:
    """The page's address as an autolink target, or None when it is no clean http(s) address.

    Whitespace, control or format characters, another scheme, or a user name in the address
    leave it out; Markdown-significant characters in path, query and fragment become %XX.
    """
    if not url or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        return None
    netloc = quote(parts.netloc, safe="[]:.-%")  # a non-ASCII host as %XX, which browsers read back
    if not _URL_HOST.fullmatch(netloc):
        return None
    path, query, fragment = (quote(x, safe=_URL_SAFE) for x in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme.lower(), netloc, path, query, fragment))


def failed_link_markdown(given: str, error: str | None) -> str:
    """A digest's line for a link that could not be read: the link (an autolink only when it is
    a clean http(s) address, else escaped text) and the one-line reason."""
    url = _md_url(given)
    shown = f"<{url}>" if url else _md_escape(given)
    return f"**Could not read** {shown}: {_md_escape(str(error or ''))}\n"


def to_markdown(result: "Result", *, bilingual: bool = False) -> str:
    """The result as Markdown; `bilingual` adds each original paragraph under its English one
    (as a quote, marked with the language), so a reader can check names and numbers offline."""
    a = result.article
    lines = [f"# {_md_escape(result.title_en or a.title)}", ""]
    original = _md_escape(a.title) if result.translated and a.title else ""
    if original:
        lines += [f"*{original}*", ""]
    lines += [_md_escape(metadata_line(result.article)), ""]
    url = _md_url(a.url)
    if url:
        lines += [f"<{url}>", ""]
    lines += [f"## Summary ({result.summary.method})", ""]
    if result.summary.note:
        lines += [f"> {_md_escape(result.summary.note)}", ""]
    if result.options.bullets:
        lines += [f"- {_md_escape(p)}" for p in result.summary.points] + [""]
    else:
        lines += [_md_escape(result.summary.text), ""]
    lines += ["## Article" + (" (translated)" if result.translated else ""), ""]
    both = bilingual and result.translated
    if both:
        language = LANGUAGE_NAMES.get(a.language, a.language)
        lines += [f"*Each English paragraph is followed by the {language} original, quoted.*", ""]
    heads = frozenset(a.headings)  # paragraphs_en runs parallel to the article's paragraphs
    for i, paragraph in enumerate(result.paragraphs_en):
        lines += [_md_paragraph(paragraph, i in heads), ""]
        if both and i < len(a.paragraphs):
            lines += [f"> {_md_escape(a.paragraphs[i])}", ""]
    return "\n".join(lines).rstrip() + "\n"


def article_to_markdown(article: "Article", note: str = "") -> str:
    """The original article alone as Markdown (when no translation could be made), with an
    optional note under the metadata saying why."""
    lines = [f"# {_md_escape(article.title)}" if article.title else "# Article", ""]
    lines += [_md_escape(metadata_line(article)), ""]
    url = _md_url(article.url)
    if url:
        lines += [f"<{url}>", ""]
    if note:
        lines += [f"> {_md_escape(note)}", ""]
    heads = frozenset(article.headings)
    for i, paragraph in enumerate(article.paragraphs):
        lines += [_md_paragraph(paragraph, i in heads), ""]
    return "\n".join(lines).rstrip() + "\n"


def to_text(result: "Result") -> str:
    a = result.article
    lines = [result.title_en or a.title]
    if result.translated and a.title:
        lines.append(f"({a.title})")
    lines += [metadata_line(result.article), "", "SUMMARY", ""]
    if result.summary.note:
        lines += [f"Note: {result.summary.note}", ""]
    lines += [summary_block(result), "", "ARTICLE", ""]
    lines.append("\n\n".join(result.paragraphs_en))
    return "\n".join(lines).rstrip() + "\n"


def article_to_text(article) -> str:  # type: ignore[no-untyped-def]
    """`extract --format text`: the headline, then the body."""
    return f"{article.title}\n\n{article.text}\n" if article.title else f"{article.text}\n"
