"""The lean CTranslate2 conversion (service/models/lean.py) writes exactly what
CTranslate2's own conversion writes, and `models.download` converts ahead."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from service import models  # noqa: E402
from service.config import Settings  # noqa: E402
from service.models import ct2, lean  # noqa: E402
from tests.tiny_summarizers import build_tiny_bart  # noqa: E402
from tests.tiny_translators import build_tiny_marian, build_tiny_nllb  # noqa: E402

BUILDERS = {"marian": build_tiny_marian, "bart": build_tiny_bart, "nllb": build_tiny_nllb}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-conversion")
    return {name: build(root / name) for name, build in BUILDERS.items()}


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


@pytest.mark.parametrize("family", sorted(BUILDERS))
@pytest.mark.parametrize("quantization", ["int8", "float32"])
def test_the_lean_conversion_writes_the_same_files_as_ctranslate2s_own(tiny, tmp_path, family, quantization):
    source = str(tiny[family])
    stock = ct2._converter_class()(source).convert(str(tmp_path / "stock"), quantization=quantization)
    lean_out = lean.lean_converter(ct2._converter_class())(source).convert(
        str(tmp_path / "lean"), quantization=quantization
    )
    assert _digest(Path(lean_out)) == _digest(Path(stock))


def test_equal_variables_become_aliases_as_ctranslate2_makes_them(tiny, tmp_path):
    # Marian shares its embeddings between encoder, decoder and output layer: stored once.
    source = str(tiny["marian"])
    stock = ct2._converter_class()(source)._load()
    stock.validate()
    stock.optimize(quantization="int8")
    mine = ct2._converter_class()(source)._load()
    mine.validate()
    lean.optimize(mine, "int8")
    aliases = {n: v for n, v in stock.variables(ordered=True) if isinstance(v, str)}
    assert aliases  # the test means something
    assert {n: v for n, v in mine.variables(ordered=True) if isinstance(v, str)} == aliases


def test_unexpected_variables_fall_back_to_ctranslate2s_own_optimize(tiny, monkeypatch):
    spec = ct2._converter_class()(str(tiny["marian"]))._load()
    spec.validate()
    called = []
    monkeypatch.setattr(lean, "_supported", lambda variables: False)
    monkeypatch.setattr(type(spec), "optimize", lambda self, quantization=None: called.append(quantization))
    lean.optimize(spec, "int8")
    assert called == ["int8"]


def test_pages_are_released_only_inside_clean_file_mappings():
    releaser = lean._PageReleaser()
    import numpy as np

    anonymous = np.ones(1 << 20, dtype=np.float32)  # heap memory: never given back
    assert not releaser.file_backed(anonymous.ctypes.data, anonymous.nbytes)
    releaser.release(anonymous.ctypes.data, anonymous.nbytes)
    assert anonymous.sum() == anonymous.size  # untouched


def test_a_checkpoint_written_a_moment_ago_is_released_and_still_reads_the_same(tmp_path):
    """A fresh download has dirty page-cache pages: they are still the file's, so the
    conversion may give them back (it did not, and peaked 0.7 GB higher right after a download)."""
    import mmap

    import numpy as np

    data = np.arange(1 << 20, dtype=np.float32)
    path = tmp_path / "model.safetensors"
    path.write_bytes(data.tobytes())  # just written: no writeback yet
    with path.open("rb") as f:
        view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)  # private, as safetensors maps it
    weights = np.frombuffer(view, dtype=np.float32)
    assert weights.sum() == data.sum()  # every page touched
    releaser = lean._PageReleaser()
    assert releaser.file_backed(weights.ctypes.data, weights.nbytes)
    releaser.release(weights.ctypes.data, weights.nbytes)
    assert releaser.released >= weights.nbytes - 2 * mmap.PAGESIZE
    assert np.array_equal(weights, data)  # the kernel maps the file's pages again

    written = np.frombuffer(view, dtype=np.float32)
    written[0] = -1.0  # this process's own copy of that page: never thrown away
    again = lean._PageReleaser()
    assert not again.file_backed(written.ctypes.data, written.nbytes)
    again.release(written.ctypes.data, written.nbytes)
    assert written[0] == -1.0
    del weights, written
    view.close()


def test_a_mapping_with_a_page_of_our_own_is_never_clean():
    head = f"7f0000000000-7f0000100000 r--p 00000000 fd:01 42 {__file__}"
    fresh = f"{head}\nRss: 1024 kB\nPrivate_Dirty: 1024 kB\nAnonymous: 0 kB\n"
    copied = f"{head}\nRss: 1024 kB\nPrivate_Dirty: 1024 kB\nAnonymous: 4 kB\n"
    shared = fresh.replace(" r--p ", " r--s ")
    assert [m.clean_file for m in lean._mappings(fresh)] == [True]
    assert [m.clean_file for m in lean._mappings(copied)] == [False]
    assert [m.clean_file for m in lean._mappings(shared)] == [False]


def test_download_converts_ahead_so_the_first_request_does_not(tiny, tmp_path):
    settings = Settings(backend="auto", device="cpu", cache_dir=tmp_path / "cache")
    source = str(tiny["marian"])
    seen: list[str] = []
    paths = models.download([source], progress=seen.append, settings=settings)
    assert paths == [Path(source)]
    converted = list((tmp_path / "cache" / "ctranslate2").glob("*/model.bin"))
    assert len(converted) == 1
    assert seen == []  # a local folder is not downloaded
    before = converted[0].stat().st_mtime_ns
    models.forget_all()
    loaded = models.load(source, models.SEQ2SEQ, settings)
    assert loaded.backend == "ctranslate2"
    assert converted[0].stat().st_mtime_ns == before  # reused, not converted again
    models.forget_all()


def test_download_converts_nothing_for_the_transformers_backend(tiny, tmp_path):
    settings = Settings(backend="transformers", device="cpu", cache_dir=tmp_path / "cache")
    models.download([str(tiny["marian"])], settings=settings)
    assert not (tmp_path / "cache" / "ctranslate2").exists()
