"""Result files for the download buttons (Markdown and JSON), one folder per request."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

from .. import present
from ..types import Result


class Downloads:
    """Result files for the download buttons, one folder per request, pruned after an hour."""

    def __init__(self, root: Path | None = None, keep_seconds: float = 3600.0) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="service-web-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_seconds = keep_seconds

    def write(self, result: Result) -> tuple[str, str]:
        self._prune()
        folder = Path(tempfile.mkdtemp(dir=self.root))
        stem = _slug(result.title_en or result.article.title) or "article"
        md = folder / f"{stem}.md"
        js = folder / f"{stem}.json"
        md.write_text(present.to_markdown(result), encoding="utf-8")
        js.write_text(present.to_json(result) + "\n", encoding="utf-8")
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
