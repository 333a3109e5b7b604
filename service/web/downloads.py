"""Result files for the download buttons (Markdown, bilingual on request, and JSON), one folder per request.

Many links at once download as a digest: Markdown, CSV and JSONL. The JSONL rows have the
shape of `python -m service batch` rows (`digest_row`): the result's JSON object plus
id, input, status and error; the API's `translate_many` returns the same rows.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from .. import present
from ..article import Article
from ..extract.localtime import local_time
from ..types import Result

CSV_COLUMNS = ("id", "url", "status", "title_en", "summary", "site", "published", "error")


def digest_row(given: str, result: Result | None = None, error: str | None = None) -> dict[str, Any]:
    """One link's row (as `batch` writes them): the result's JSON object with id, input,
    status ("ok" or "error") and error (one line)."""
    row: dict[str, Any] = {"id": given, "input": given, "status": "ok", "error": None}
    if result is None:
        return {**row, "status": "error", "error": " ".join(str(error or "Could not read this article.").split())}
    return {**result.to_dict(), **row}


def _csv_line(row: dict[str, Any]) -> dict[str, str]:
    summary = row.get("summary") or ""
    if row.get("bullets") and row.get("summary_points"):
        summary = " ".join(f"- {p}" for p in row["summary_points"])
    return {
        "id": str(row.get("id") or ""),
        "url": str(row.get("url") or row.get("input") or ""),
        "status": str(row.get("status") or ""),
        "title_en": str(row.get("title_en") or ""),
        "summary": str(summary),
        "site": str(row.get("site") or ""),
        "published": local_time(row.get("published")) or "",
        "error": str(row.get("error") or ""),
    }


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(_csv_line(row))
    return out.getvalue()


class Downloads:
    """Result files for the download buttons, one folder per request, pruned after an hour."""

    def __init__(self, root: Path | None = None, keep_seconds: float = 3600.0) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="service-web-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_seconds = keep_seconds

    def write(self, result: Result, *, bilingual: bool = False) -> tuple[str, str]:
        """The result as Markdown (with the original under each paragraph when `bilingual`) and JSON."""
        return self._pair(
            result.title_en or result.article.title,
            present.to_markdown(result, bilingual=bilingual),
            present.to_json(result),
        )

    def write_original(self, article: Article, note: str = "") -> tuple[str, str]:
        """The original article alone (no translation could be made), as Markdown and JSON."""
        return self._pair(
            article.title,
            present.article_to_markdown(article, note),
            json.dumps(article.to_dict(), ensure_ascii=False, indent=2),
        )

    def write_many(
        self, entries: list[tuple[str, Result | None, str | None]], *, bilingual: bool = False
    ) -> tuple[str, str, str]:
        """A digest of many links, each (given link, result or None, error): the articles'
        Markdown one after another (a line for each failed link), a CSV table and JSONL rows."""
        parts = []
        for given, result, error in entries:
            if result is not None:
                parts.append(present.to_markdown(result, bilingual=bilingual))
            else:
                parts.append(present.failed_link_markdown(given, error))
        rows = [digest_row(given, result, error) for given, result, error in entries]
        ok = sum(1 for _, result, _ in entries if result is not None)
        self._prune()
        folder = Path(tempfile.mkdtemp(dir=self.root))
        stem = f"{ok}-of-{len(entries)}-articles"
        md, table, lines = folder / f"{stem}.md", folder / f"{stem}.csv", folder / f"{stem}.jsonl"
        md.write_text("\n---\n\n".join(parts), encoding="utf-8")
        table.write_text(to_csv(rows), encoding="utf-8")
        lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return str(md), str(table), str(lines)

    def _pair(self, title: str, markdown: str, data: str) -> tuple[str, str]:
        self._prune()
        folder = Path(tempfile.mkdtemp(dir=self.root))
        stem = _slug(title) or "article"
        md = folder / f"{stem}.md"
        js = folder / f"{stem}.json"
        md.write_text(markdown, encoding="utf-8")
        js.write_text(data + "\n", encoding="utf-8")
        return str(md), str(js)

    def _prune(self) -> None:
        cutoff = time.time() - self.keep_seconds
        for child in self.root.iterdir():
            try:
                if child.stat().st_mtime < cutoff:
                    shutil.rmtree(child, ignore_errors=True)
            except OSError:
                pass


def _slug(text: str, limit: int = 60) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    return "-".join(words)[:limit].strip("-")
