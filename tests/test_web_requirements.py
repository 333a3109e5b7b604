"""The Space installs from requirements.txt, everyone else from pyproject.toml: they must agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _normalise(requirement: str) -> str:
    """`Lxml_HTML.clean == 1.0` and `lxml-html-clean==1.0` are the same requirement."""
    name, *pin = re.split(r"(==|>=|<=|~=|!=|<|>)", requirement.strip(), maxsplit=1)
    return re.sub(r"[-_.]+", "-", name.strip().lower()) + "".join(p.strip() for p in pin)


def _requirements_txt() -> list[str]:
    lines = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            lines.append(line)
    return lines


def test_requirements_txt_pins_exactly_the_project_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    space = _requirements_txt()
    assert len(space) == len(set(space)), "requirements.txt lists a package twice"
    missing = sorted(set(map(_normalise, project)) - set(map(_normalise, space)))
    extra = sorted(set(map(_normalise, space)) - set(map(_normalise, project)))
    assert (missing, extra) == ([], []), (
        f"requirements.txt lacks {missing} and has {extra} beyond pyproject.toml"
    )


def test_every_requirement_is_pinned_so_the_space_installs_what_was_tested():
    unpinned = [r for r in _requirements_txt() if "==" not in r]
    assert unpinned == []
