"""The shape the project promises: cheap import, one HTTP module, one model loader, imports
that point one way (entry points -> pipeline -> stages -> models -> config/errors/types) and
no import cycle. Every rule walks the whole package, subpackages included, and each is shown
to fail on a deliberately broken copy of the package, so none can pass by seeing nothing."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "service"

# Floors, lowest first: a module may import only from its own floor or below. The top-level
# name under service/ decides (service/models/ct2.py is "models").
FLOORS: dict[str, int] = {
    **dict.fromkeys(("config", "errors", "choices", "types", "article"), 0),
    **dict.fromkeys(("models", "segment", "fetch", "cache"), 1),
    **dict.fromkeys(("extract", "translate", "summarize", "present"), 2),
    **dict.fromkeys(("acquire", "inputs"), 3),
    **dict.fromkeys(("pipeline", "evaluate"), 4),
    **dict.fromkeys(("cli", "web", "batch", "__main__"), 5),
}
HTTP_LIBS = {"httpx", "httpcore", "requests", "urllib3", "aiohttp", "http"}
HEAVY = ("torch", "gradio", "transformers", "ray", "ctranslate2")


def _modules(root: Path) -> dict[str, Path]:
    """Dotted module name (under `service`) -> file, for every .py file, subpackages included."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(["service", *parts])] = path
    return out


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """(absolute module imported, line) for every import statement, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:  # from . import a, b: each may be a module
                    found.extend((f"{module}.{alias.name}", node.lineno) for alias in node.names)
                    continue
            else:
                module = node.module or ""
            found.append((module, node.lineno))
    return found


def _floor(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "service" or len(parts) < 2:
        return None
    return FLOORS.get(parts[1])


def http_offenders(root: Path) -> list[str]:
    return [
        f"{name}: {module}"
        for name, path in _modules(root).items()
        if not name.startswith("service.fetch")
        for module, _ in _imports(name, path)
        if module.split(".")[0] in HTTP_LIBS
    ]


def weight_loading_offenders(root: Path) -> list[str]:
    return [
        name
        for name, path in _modules(root).items()
        if not name.startswith("service.models") and "from_pretrained(" in path.read_text(encoding="utf-8")
    ]


def upward_imports(root: Path) -> list[str]:
    """Imports that point up a floor (a stage importing the pipeline, the UI or the CLI)."""
    offenders = []
    for name, path in _modules(root).items():
        own = _floor(name)
        assert own is not None or name == "service", f"{name} has no floor in FLOORS: give it one"
        for module, line in _imports(name, path):
            theirs = _floor(module)
            if own is not None and theirs is not None and theirs > own:
                offenders.append(f"{name}:{line} imports {module}")
            if module.split(".")[0] == "gradio" and not name.startswith("service.web"):
                offenders.append(f"{name}:{line} imports gradio")
    return offenders


def import_cycles(root: Path) -> list[list[str]]:
    """Cycles among the package's modules (an import of a package counts as its __init__)."""
    modules = _modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for module, _ in _imports(name, path):
            while module and module not in modules:  # from .x import name -> .x
                module = module.rpartition(".")[0]
            if module and module != name and not name.startswith(module + "."):
                edges.add(module)
        graph[name] = edges
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_importing_the_package_pulls_in_no_heavy_library():
    code = (
        "import sys, service, service.pipeline, service.cli;"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules);"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"import service loaded {out.stdout.strip()}"


def test_only_the_fetch_package_talks_http():
    assert http_offenders(PACKAGE) == []


def test_only_the_models_package_loads_weights():
    assert weight_loading_offenders(PACKAGE) == []


def test_imports_point_one_way_down_the_floors():
    assert upward_imports(PACKAGE) == []


def test_there_is_no_import_cycle():
    assert import_cycles(PACKAGE) == []


def test_the_rules_see_every_module():
    names = set(_modules(PACKAGE))
    assert {"service.pipeline", "service.models.loader", "service.summarize.neural"} <= names


@pytest.fixture
def broken(tmp_path):
    """A copy of the package to break on purpose."""
    root = tmp_path / "service"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def test_each_rule_fails_on_a_broken_copy(broken):
    # deep in a subpackage, where a flat glob would not look
    _append(broken / "summarize" / "text.py", "import httpx")
    assert http_offenders(broken) == ["service.summarize.text: httpx"]

    _append(broken / "summarize" / "text.py", "def f(m):\n    return m.from_pretrained('x')")
    assert weight_loading_offenders(broken) == ["service.summarize.text"]

    _append(broken / "models" / "cpu.py", "from ..pipeline import run")
    assert any(o.startswith("service.models.cpu:") and "service.pipeline" in o for o in upward_imports(broken))

    _append(broken / "summarize" / "chunks.py", "from . import neural")  # neural imports chunks
    cycles = import_cycles(broken)
    assert any({"service.summarize.chunks", "service.summarize.neural"} <= set(c) for c in cycles)


def test_a_module_without_a_floor_is_named(broken):
    (broken / "newstage.py").write_text("X = 1\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="service.newstage has no floor"):
        upward_imports(broken)


def test_the_public_api_is_declared_and_importable():
    import service

    assert sorted(service.__all__) == sorted(
        ["Article", "Options", "Result", "Settings", "ServiceError", "Summary", "run", "stream"]
    )
    from service import pipeline

    assert service.run is pipeline.run and service.stream is pipeline.stream
    assert service.Options is pipeline.Options and service.Result is pipeline.Result
    for name in service.__all__:
        assert getattr(service, name) is not None
