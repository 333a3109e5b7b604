"""The shape the project promises: cheap import, one HTTP module, one model loader."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "service"


def test_importing_the_package_pulls_in_neither_torch_nor_gradio():
    code = (
        "import sys, service, service.pipeline, service.cli;"
        "heavy = sorted(m for m in ('torch', 'gradio', 'transformers') if m in sys.modules);"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"import service loaded {out.stdout.strip()}"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_fetch_module_talks_http():
    http_libs = {"httpx", "httpcore", "requests", "urllib3", "aiohttp", "http"}
    offenders = {
        p.name: sorted(_imported_modules(p) & http_libs)
        for p in PACKAGE.glob("*.py")
        if p.name != "fetch.py" and _imported_modules(p) & http_libs
    }
    assert offenders == {}


def test_only_the_models_module_loads_weights():
    offenders = [
        p.name
        for p in PACKAGE.glob("*.py")
        if p.name != "models.py" and "from_pretrained(" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_stages_do_not_import_the_ui_or_the_cli():
    upward = {"web", "cli", "app", "gradio"}
    offenders = {}
    for p in PACKAGE.glob("*.py"):
        if p.name in {"web.py", "cli.py", "__main__.py"}:
            continue
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 1 and (node.module or "") in upward:
                offenders.setdefault(p.name, []).append(node.module)
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "gradio" for a in node.names):
                offenders.setdefault(p.name, []).append("gradio")
    assert offenders == {}
