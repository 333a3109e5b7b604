"""Result files for the download buttons (Markdown, bilingual on request, and JSON), one folder per request."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from pathlib import Path

from .. import present
from ..article import Article
from ..types import Result


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

    def write_many(self, results: list[Result], *, bilingual: bool = False) -> tuple[str, str]:
        """A digest of many articles: their Markdown one after another, and a JSON list."""
        md = "\n---\n\n".join(present.to_markdown(r, bilingual=bilingual) for r in results)
        js = json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)
        return self._pair(f"{len(results)} articles", md, js)

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
