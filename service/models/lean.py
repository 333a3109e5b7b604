"""A CTranslate2 conversion that never holds the checkpoint twice.

CTranslate2's own `ModelSpec.optimize` quantises every weight *in place* on the tensors
transformers loaded. transformers 5 maps a safetensors checkpoint into memory (file pages,
read lazily), so writing to them makes a private copy of every page: for distilbart
(1.2 GB in float32) the process then holds the file pages *and* their copies, and the
int8 result, and peaked at 2.0 GB for that one model (on top of whatever the process
already held). This module does the same work with the same arithmetic, one variable at a
time:

1. aliases (variables with equal values stored once) are found exactly as
   `ModelSpec._alias_variables` finds them, but from a digest of each variable read once,
   with the element-wise comparison only for variables whose digests agree;
2. each variable is copied, the copy handed to CTranslate2's own `_quantize` (restricted
   to that one variable, so the int8 values and scales are bit for bit CTranslate2's), and
   the checkpoint's pages under it are released, so memory holds at most one float32
   variable (and its temporaries) besides the int8 model being built.

Pages are released (madvise DONTNEED) only where that is known to be harmless: inside a
private file mapping in which this process has written nothing (no anonymous, copied-on-write
page in it, per /proc/self/smaps), so every page under it is the file's own page-cache page and
the kernel maps it again if it is touched. Whether the file itself was written a moment ago
(a checkpoint just downloaded, its pages still dirty in the page cache) does not matter: those
pages stay in the cache with their data; only this process's view of them goes. Anywhere
else (another OS, an anonymous tensor) the variable is only copied and freed when the spec
lets go of it. Anything this code does not expect (a variable type or dtype it
does not know) falls back to CTranslate2's own optimize, which is slower on memory, never wrong.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import logging
import mmap
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

# Bytes hashed per step (bounded temporaries on a 200 MB embedding).
_CHUNK_ELEMENTS = 4 * 2**20
_MADV_DONTNEED = 4  # Linux
_FLOAT_DTYPES = ("float32", "float16")
_KNOWN_DTYPES = (*_FLOAT_DTYPES, "int8", "int16", "int32")


@functools.cache
def _libc() -> ctypes.CDLL:
    """The C library, loaded once (OSError where there is none to load)."""
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


@dataclass(frozen=True)
class _Mapping:
    start: int
    end: int
    clean_file: bool  # a private file mapping with no page of our own in it: DONTNEED is harmless


def _mappings(smaps: str | None = None) -> list[_Mapping]:
    """The process's memory mappings, from /proc/self/smaps (empty where it is unreadable).

    A mapping counts as clean when it has no anonymous page: "Private_Dirty" is no guide, since
    smaps counts as private any page only this process maps, and a file written a moment ago
    (a fresh download) has dirty page-cache pages that are still the file's."""
    if smaps is None:
        try:
            with open("/proc/self/smaps", encoding="utf-8", errors="replace") as f:
                smaps = f.read()
        except OSError:
            return []
    lines = smaps.splitlines()
    out: list[_Mapping] = []
    current: dict[str, Any] | None = None

    def close() -> None:
        if current is not None:
            out.append(
                _Mapping(
                    current["start"],
                    current["end"],
                    current["file"] and current["private"] and current["anonymous"] == 0,
                )
            )

    for line in lines:
        head = line.split(None, 5)
        if head and "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
            close()
            lo, hi = head[0].split("-", 1)
            try:
                start, end = int(lo, 16), int(hi, 16)
            except ValueError:
                current = None
                continue
            path = head[5].strip() if len(head) > 5 else ""
            current = {
                "start": start,
                "end": end,
                "private": len(head[1]) == 4 and head[1][3] == "p",
                "file": path.startswith("/") and os.path.isfile(path),
                "anonymous": 0,
            }
        elif current is not None and line.startswith("Anonymous:"):
            try:
                current["anonymous"] += int(line.split()[1])
            except (IndexError, ValueError):
                current["anonymous"] += 1  # unreadable: count it as written, never release
    close()
    return out


class _PageReleaser:
    """Gives back to the kernel the clean file pages under a tensor that is no longer needed."""

    def __init__(self) -> None:
        self.mappings = [m for m in _mappings() if m.clean_file]
        self.madvise: Callable[..., int] | None = None
        self.released = 0
        if self.mappings:
            try:
                madvise = _libc().madvise
                madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
                madvise.restype = ctypes.c_int
                self.madvise = madvise
            except (OSError, AttributeError):
                self.madvise = None

    def file_backed(self, address: int, nbytes: int) -> bool:
        """Whether [address, address + nbytes) lies in one clean private file mapping."""
        return any(m.start <= address and address + nbytes <= m.end for m in self.mappings)

    def release(self, address: int, nbytes: int) -> None:
        if self.madvise is None or nbytes <= 0 or not self.file_backed(address, nbytes):
            return
        page = mmap.PAGESIZE
        start = (address + page - 1) // page * page  # whole pages inside the range only
        end = (address + nbytes) // page * page
        if end > start and self.madvise(start, end - start, _MADV_DONTNEED) == 0:
            self.released += end - start


def _variables(spec: Any) -> list[tuple[str, Any]]:
    return spec.variables(ordered=True)


def _array_of(value: Any) -> Any:
    """A numpy view of a variable's values, without copying."""
    tensor = getattr(value, "tensor", None)
    if tensor is not None:
        return tensor.detach().numpy()
    return value.numpy()


def _address(value: Any) -> tuple[int, int]:
    tensor = getattr(value, "tensor", None)
    if tensor is not None:
        return int(tensor.data_ptr()), int(tensor.numel() * tensor.element_size())
    array = value.numpy()
    if not hasattr(array, "ctypes"):  # a numpy scalar
        return 0, 0
    return int(array.ctypes.data), int(array.nbytes)


def _supported(variables: list[tuple[str, Any]]) -> bool:
    from ctranslate2.specs import model_spec

    for _, value in variables:
        if isinstance(value, str):
            continue
        if type(value) not in (model_spec.PyTorchVariable, model_spec.NumpyVariable):
            return False
        if value.dtype not in _KNOWN_DTYPES:
            return False
    return True


def _digest(value: Any) -> bytes:
    """A digest of the values as `Variable.equal` compares them (-0.0 counts as 0.0)."""
    import numpy as np

    flat = _array_of(value).reshape(-1)
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{type(value).__name__}|{value.dtype}|{tuple(value.shape)}".encode())
    floating = value.dtype in _FLOAT_DTYPES
    for i in range(0, flat.size, _CHUNK_ELEMENTS):
        chunk = flat[i : i + _CHUNK_ELEMENTS]
        if floating:
            chunk = chunk + np.zeros((), dtype=chunk.dtype)  # -0.0 + 0.0 == +0.0
        h.update(np.ascontiguousarray(chunk).tobytes())
    return h.digest()


def _alias(spec: Any, releaser: _PageReleaser) -> int:
    """ModelSpec._alias_variables, reading each variable once."""
    from ctranslate2.specs import model_spec

    variables = _variables(spec)
    digests: dict[str, bytes] = {}
    for name, value in variables:
        if isinstance(value, str) or value.is_scalar():
            continue
        digests[name] = _digest(value)
        releaser.release(*_address(value))
    aliased = 0
    # As CTranslate2 does: the last variable first; it becomes an alias of the first one
    # (in name order) before it that is equal to it.
    for name, value in reversed(variables):
        if isinstance(value, str) or value.is_scalar():
            continue
        scope, attr_name = model_spec._parent_scope(name)
        if attr_name in model_spec.SKIP_CREATING_ALIAS:
            continue
        for other_name, other_value in variables:
            if name == other_name:
                break
            if isinstance(other_value, str) or other_name not in digests:
                continue
            if digests[other_name] == digests[name] and value.equal(other_value):
                setattr(model_spec.index_spec(spec, scope), attr_name, other_name)
                aliased += 1
                break
    return aliased


def _private_copy(value: Any) -> Any:
    from ctranslate2.specs import model_spec

    tensor = getattr(value, "tensor", None)
    if tensor is not None:
        return model_spec.PyTorchVariable(tensor.detach().clone())
    return model_spec.NumpyVariable(value.numpy().copy())


def _quantize(spec: Any, quantization: str | None, releaser: _PageReleaser) -> None:
    from ctranslate2.specs import model_spec

    names = [name for name, value in _variables(spec) if not isinstance(value, str)]
    for name in names:
        scope, attr_name = model_spec._parent_scope(name)
        parent = model_spec.index_spec(spec, scope)
        value = getattr(parent, attr_name)
        if isinstance(value, model_spec.Variable) and not value.is_scalar():
            address = _address(value)
            if releaser.file_backed(*address):
                # Quantised in place (as CTranslate2 does), the checkpoint's pages would be
                # copied on write and kept; a copy of this one variable is freed after it.
                setattr(parent, attr_name, _private_copy(value))
                del value
                releaser.release(*address)
        spec._quantize(quantization, variable_filter=lambda n, name=name: n == name)


def optimize(spec: Any, quantization: str | None) -> None:
    """`spec.optimize(quantization)` with one float32 variable in memory at a time."""
    variables = _variables(spec)
    if not _supported(variables):
        log.info("conversion: unexpected variable types; using CTranslate2's own optimize")
        type(spec).optimize(spec, quantization=quantization)
        return
    releaser = _PageReleaser()
    for _, value in variables:  # what the loader read of the checkpoint, read again when needed
        if not isinstance(value, str) and not value.is_scalar():
            releaser.release(*_address(value))
    del variables
    _alias(spec, releaser)
    _quantize(spec, quantization, releaser)
    log.debug("conversion: released %.0f MB of checkpoint pages", releaser.released / 2**20)


def lean_converter(base: type) -> type:
    """`base` (a TransformersConverter subclass) whose conversion uses `optimize` above."""
    import gc
    import shutil

    class LeanConverter(base):  # type: ignore[misc, valid-type]
        def convert(
            self, output_dir: str, vmap: str | None = None, quantization: str | None = None, force: bool = False
        ) -> str:
            """Converter.convert, with `optimize` in place of the spec's own."""
            if os.path.exists(output_dir) and not force:
                raise RuntimeError(f"output directory {output_dir} already exists")
            spec = self._load()
            if spec is None:
                raise NotImplementedError("This model is not supported by CTranslate2 or this converter")
            gc.collect()  # the transformers model (reference cycles) goes now, not at the end
            if vmap is not None:
                spec.register_vocabulary_mapping(vmap)
            spec.validate()
            optimize(spec, quantization)
            if os.path.exists(output_dir):
                shutil.rmtree(output_dir)
            os.makedirs(output_dir)
            spec.save(output_dir)
            del spec
            gc.collect()
            trim_heap()
            return output_dir

    return LeanConverter


def trim_heap() -> None:
    """Hand the conversion's freed memory back to the kernel (glibc keeps it otherwise).

    The float32 copies made one at a time are freed, but glibc keeps the freed heap for reuse,
    so a service that converted at start-up held about 300 MB more from then on than one that
    found its conversions on disk. Where there is no glibc this does nothing."""
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError):
        pass
