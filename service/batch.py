"""Whole archives in English: many inputs through the same pipeline, on Ray Data.

    run_batch(items_or_INPUT, "out.jsonl", options, workers=2, address=None) -> BatchSummary

What runs where:
- the driver (this process) reads the inputs (`service.inputs`), loads the models once to fail
  at the start on a model that does not load, skips the ids already in OUT (`resume`), and
  writes every result row to OUT as it arrives (whole lines, flushed and fsynced per batch),
  so memory stays flat however long the input and a killed run leaves OUT readable;
- Ray Data runs `pipeline.run` (the very code `run` uses) in `map_batches` with a callable
  class on an actor pool of `workers` actors, each holding its models for the whole run and
  reserving `num_cpus` equal to its model threads. A dead actor is restarted by Ray and its
  batch retried (`max_restarts` / `max_task_retries`); our code does not retry.
- Every URL is fetched through `fetch.fetch` (the SSRF guard) wrapped in `PoliteFetcher`:
  requests to one host are spaced by `per_host_delay` across the whole run (one `HostSchedule`
  in a Ray actor that every worker books its slots with), robots.txt is honoured (protego)
  unless `respect_robots=False` (each worker reads a site's robots.txt once), and a 429/503
  doubles that host's spacing for every worker.

Output: one row per input, keyed by `id`: the `run --format json` object plus `id`, `input`,
`status` (ok | error) and `error` (the CLI's one-line message). JSONL is one file; Parquet is a
directory of part files, each written whole and renamed into place (a part torn by a kill
never appears), so both formats can be resumed.

Ray is imported only here, and only when a batch runs (`pip install -e ".[batch]"`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import ConfigError, RobotsDisallowedError, ServiceError
from .fetch.polite import HostSchedule, PoliteFetcher
from .inputs import Item, read_inputs
from .types import Options

__all__ = ["BatchSummary", "PoliteFetcher", "RobotsDisallowedError", "existing_ids", "run_batch"]

FORMATS = ("jsonl", "parquet")
MISSING_RAY = 'Ray is not installed: install the batch extra with pip install -e ".[batch]".'


@dataclass(frozen=True)
class BatchSummary:
    total: int  # rows in OUT for this input (skipped by resume included)
    done: int  # rows written by this run
    ok: int
    error: int
    skipped: int  # ids already in OUT (resume)
    seconds: float
    output: str

    @property
    def per_minute(self) -> float:
        return self.done / self.seconds * 60 if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"batch: {self.done} rows ({self.ok} ok, {self.error} error"
            + (f", {self.skipped} already done" if self.skipped else "")
            + f") in {self.seconds:.1f} s, {self.per_minute:.1f} articles/min -> {self.output}"
        )


# ---------------------------------------------------------------------------------------------
# Politeness (fetch/polite.py): one HostSchedule for the whole run, held by a Ray actor.
# ---------------------------------------------------------------------------------------------


class RemoteSchedule:
    """A `HostSchedule` held by a Ray actor, with the same three calls (blocking)."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def _call(self, name: str, host: str) -> float:
        import ray

        return float(ray.get(getattr(self.handle, name).remote(host)))

    def reserve(self, host: str, max_wait: float | None = None) -> float | None:
        import ray

        return ray.get(self.handle.reserve.remote(host, max_wait))

    def slow_down(self, host: str) -> float:
        return self._call("slow_down", host)

    def delay(self, host: str) -> float:
        return self._call("delay", host)


# ---------------------------------------------------------------------------------------------
# The worker: one per actor, models loaded once.
# ---------------------------------------------------------------------------------------------


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def process_item(
    item: Item,
    options: Options,
    settings: Settings,
    fetcher: Callable[..., Any] | None,
) -> dict[str, Any]:
    """One input -> one output row (never raises for a bad input)."""
    from . import pipeline

    row: dict[str, Any] = {"id": item.id, "input": item.shown, "status": "ok", "error": None}
    if item.problem:
        return {**row, "status": "error", "error": item.problem}
    try:
        result = pipeline.run(**{item.kind: item.value}, options=options, settings=settings, fetcher=fetcher)
    except ServiceError as exc:
        return {**row, "status": "error", "error": _one_line(str(exc))}
    except Exception as exc:  # a bug on one input must not stop the others
        return {**row, "status": "error", "error": f"internal error: {type(exc).__name__}: {_one_line(str(exc))}"}
    return {**result.to_dict(), **row}


class BatchWorker:
    """The callable class of `map_batches`: built once per actor, so models load once."""

    def __init__(self, options: Options, settings: Settings, per_host_delay: float, respect_robots: bool,
                 kill_marker: str | None = None, schedule: Any = None) -> None:
        from . import translate

        self.options = options
        self.settings = settings
        shared = RemoteSchedule(schedule) if schedule is not None else None
        self.fetcher = PoliteFetcher(per_host_delay, respect_robots, schedule=shared)
        self.kill_marker = kill_marker  # tests and the benchmark: die once on the row with id "kill"
        opts = options.validated(settings)
        translate.get_translator(opts.translation_model, settings)  # load now, keep for the run

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        rows = []
        for ident, kind, value, problem in zip(batch["id"], batch["kind"], batch["value"], batch["problem"]):
            item = Item(str(ident), str(kind), str(value), str(problem) if problem else None)
            if self.kill_marker and item.id == "kill" and not os.path.exists(self.kill_marker):
                Path(self.kill_marker).write_text(str(os.getpid()))
                os._exit(1)  # the process dies mid-batch, as if killed
            rows.append(json.dumps(process_item(item, self.options, self.settings, self.fetcher), ensure_ascii=False))
        return {"row": rows}


# ---------------------------------------------------------------------------------------------
# Output: streamed, whole rows only, resumable.
# ---------------------------------------------------------------------------------------------


def existing_ids(output: str | os.PathLike[str], fmt: str) -> set[str]:
    """Ids already in OUT; a torn last JSONL line (a killed run) is cut off so OUT stays valid."""
    path = Path(output)
    if fmt == "parquet":
        if not path.is_dir():
            return set()
        import pyarrow.parquet as pq

        ids: set[str] = set()
        for part in sorted(path.glob("part-*.parquet")):
            ids.update(str(v) for v in pq.read_table(part, columns=["id"]).column("id").to_pylist())
        return ids
    if not path.exists():
        return set()
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with open(path, "r+b") as f:
            f.truncate(end)
    ids = set()
    for line in data[:end].splitlines():
        try:
            ids.add(str(json.loads(line)["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return ids


class _JsonlWriter:
    def __init__(self, path: Path, append: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.f = open(path, "ab" if append else "wb")

    def write(self, rows: Sequence[str]) -> None:
        self.f.write("".join(r + "\n" for r in rows).encode("utf-8"))
        self.f.flush()
        os.fsync(self.f.fileno())

    def close(self) -> None:
        self.f.close()


# Parquet columns: the scalar fields of the row, plus the whole row as JSON in `json`.
_PARQUET_FIELDS = ("id", "input", "status", "error", "url", "title", "title_en", "language", "site",
                   "published", "summary", "summary_method", "translation", "word_count")


class _ParquetWriter:
    def __init__(self, path: Path, append: bool) -> None:
        if path.exists() and not path.is_dir():
            raise ConfigError(f"{path} is a file; Parquet output is a directory of part files.")
        path.mkdir(parents=True, exist_ok=True)
        if not append:
            for old in path.glob("part-*.parquet"):
                old.unlink()
        self.path = path
        self.run = uuid.uuid4().hex[:8]
        self.n = 0

    def write(self, rows: Sequence[str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        dicts = [json.loads(r) for r in rows]
        columns: dict[str, list[Any]] = {}
        for name in _PARQUET_FIELDS:
            values = [d.get(name) for d in dicts]
            columns[name] = [None if v is None else (v if name == "word_count" else str(v)) for v in values]
        columns["json"] = list(rows)
        table = pa.table({k: pa.array(v, type=pa.int64() if k == "word_count" else pa.string())
                          for k, v in columns.items()})
        final = self.path / f"part-{self.run}-{self.n:06d}.parquet"
        tmp = self.path / f".{final.name}.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, final)  # a part appears whole or not at all
        self.n += 1

    def close(self) -> None:
        pass


# ---------------------------------------------------------------------------------------------
# Ray: start or join, bounded.
# ---------------------------------------------------------------------------------------------


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ConfigError(MISSING_RAY) from None
    return ray


def _capture(fn: Callable[[], None], failed: list[BaseException]) -> Callable[[], None]:
    """`fn` for a thread: what it raises is kept for the caller to raise."""

    def run() -> None:
        try:
            fn()
        except BaseException as exc:  # re-raised in the caller's thread
            failed.append(exc)

    return run


def _check_reachable(address: str, timeout: float) -> None:
    """A wrong address fails in seconds with what failed, not after Ray's long retries."""
    if address in ("auto", "local"):
        return
    rest = address.split("://", 1)[1] if "://" in address else address
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"--ray-address {address!r} is not HOST:PORT (or ray://HOST:PORT).")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as exc:
        raise ConfigError(
            f"Cannot reach the Ray cluster at {address} ({exc.strerror or exc}); check --ray-address / RAY_ADDRESS "
            "and that the head is running."
        ) from None


_PROBE = "import sys, ray; ray.init(address=sys.argv[1], logging_level='ERROR', log_to_driver=False); ray.shutdown()"


def _probe_cluster(address: str, timeout: float) -> None:
    """Join `address` once in a child process, bounded by `timeout`.

    Something that accepts TCP but is no Ray head, or a head that wants its token, makes
    `ray.init` wait for minutes and cannot be interrupted in-process; a child can be.
    """
    import subprocess
    import sys

    try:
        proc = subprocess.run(  # the user's environment (RAY_AUTH_* included) as it is
            [sys.executable, "-c", _PROBE, address], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"The Ray cluster at {address} did not answer within {timeout:g} s (--connect-timeout): it may not be "
            "a Ray head, or it needs its token: set RAY_AUTH_MODE=token and RAY_AUTH_TOKEN "
            "(or copy ~/.ray/auth_token from the head)."
        ) from None
    if proc.returncode != 0:
        last = next((line for line in reversed(proc.stderr.splitlines()) if line.strip()), "")
        raise ConfigError(
            f"Could not join the Ray cluster at {address} ({_one_line(last)[:300]}). The cluster may need its token: "
            "set RAY_AUTH_MODE=token and RAY_AUTH_TOKEN (or copy ~/.ray/auth_token from the head)."
        )


def _start_ray(ray: Any, address: str | None, cpus: int, connect_timeout: float, quiet: bool) -> bool:
    """Start a local Ray or join `address`; True when we started (and must stop) it."""
    if ray.is_initialized():
        return False
    env = {k: os.environ[k] for k in ("CT2_FORCE_CPU_ISA", "HF_HUB_OFFLINE", "HF_HOME", "TRANSFORMERS_VERBOSITY",
                                       "TOKENIZERS_PARALLELISM") if k in os.environ}
    kwargs: dict[str, Any] = dict(include_dashboard=False, log_to_driver=not quiet, logging_level="ERROR",
                                  runtime_env={"env_vars": env} if env else None)
    if address:
        kwargs["address"] = address
    else:
        kwargs["num_cpus"] = cpus
    hint = (" The cluster may need its token: set RAY_AUTH_MODE=token and RAY_AUTH_TOKEN "
            "(or copy ~/.ray/auth_token from the head).")
    try:  # in the main thread: Ray's driver cannot be started from another one
        ray.init(**kwargs)
    except Exception as exc:
        raise ConfigError(f"Could not start or join Ray at {address or 'a local Ray'} "
                          f"({type(exc).__name__}: {_one_line(str(exc))[:300]})." + (hint if address else "")) from None
    return True


# ---------------------------------------------------------------------------------------------
# The driver.
# ---------------------------------------------------------------------------------------------


def run_batch(
    inputs: str | Iterable[Item],
    output: str | os.PathLike[str],
    options: Options | None = None,
    *,
    settings: Settings | None = None,
    workers: int = 1,
    address: str | None = None,
    fmt: str = "jsonl",
    resume: bool = False,
    limit: int | None = None,
    per_host_delay: float = 1.0,
    respect_robots: bool = True,
    connect_timeout: float = 30.0,
    quiet: bool = False,
    batch_size: int = 4,
    on_rows: Callable[[int], None] | None = None,
    _kill_marker: str | None = None,
) -> BatchSummary:
    """Every input through `pipeline.run` on Ray Data; one row per input in `output`."""
    from . import summarize, translate
    from .models import available_cpus

    settings = settings or Settings.from_env()
    options = options or Options()
    if fmt not in FORMATS:
        raise ConfigError(f"Unknown output format {fmt!r}; choose jsonl or parquet.")
    if workers < 1:
        raise ConfigError("--workers must be at least 1.")
    ray = _import_ray()
    if address:
        _check_reachable(address, connect_timeout)  # before anything slow
        if address not in ("auto", "local"):
            _probe_cluster(address, connect_timeout)
    polite = PoliteFetcher(per_host_delay, respect_robots)
    items = read_inputs(inputs, settings, fetcher=polite) if isinstance(inputs, str) else list(inputs)
    if limit is not None:
        items = items[: max(limit, 0)]
    out = Path(output)
    done_ids = existing_ids(out, fmt) if resume else set()
    todo = [i for i in items if i.id not in done_ids]
    skipped = len(items) - len(todo)

    cpus = available_cpus() if not address else max(available_cpus(), 1)
    threads = settings.num_threads if settings.num_threads > 0 else max(1, cpus // workers)
    worker_settings = dataclasses.replace(settings, num_threads=threads)
    opts = options.validated(settings)

    def check_models() -> None:
        """Fail at the start, in one line, on a model that will not load (not with 10,000 error rows)."""
        translate.get_translator(opts.translation_model, worker_settings)
        if opts.summary_method != "extractive":
            chosen = opts.summary_model or (
                settings.instruct_model if opts.summary_method == "instruct" else settings.summary_model
            )
            summarize.load_model(chosen, opts.summary_method, worker_settings)

    started = time.monotonic()
    ok = error = 0
    stop_ray = False
    writer: _JsonlWriter | _ParquetWriter | None = None
    try:
        if not todo:
            check_models()
        else:
            # Ray starts (seconds, in this thread: its driver must) while the models load.
            failed: list[BaseException] = []
            checker = threading.Thread(target=_capture(check_models, failed), name="batch-model-check", daemon=True)
            checker.start()
            try:
                stop_ray = _start_ray(ray, address, cpus, connect_timeout, quiet)
            finally:
                checker.join()
            if failed:
                raise failed[0]
        # OUT is opened only now: a run that fails at the start leaves an earlier OUT as it was.
        writer = (_ParquetWriter if fmt == "parquet" else _JsonlWriter)(out, append=resume)
        if todo:
            schedule = ray.remote(num_cpus=0, max_restarts=-1)(HostSchedule).remote(per_host_delay)
            ctx = ray.data.DataContext.get_current()
            ctx.enable_progress_bars = not quiet
            ctx.execution_options.preserve_order = False
            ds = ray.data.from_items(
                [{"id": i.id, "kind": i.kind, "value": i.value, "problem": i.problem or ""} for i in todo],
                override_num_blocks=max(1, min(len(todo), workers * 8, 200)),
            )
            ds = ds.map_batches(
                BatchWorker,
                fn_constructor_kwargs=dict(options=options, settings=worker_settings, per_host_delay=per_host_delay,
                                           respect_robots=respect_robots, kill_marker=_kill_marker,
                                           schedule=schedule),
                batch_size=batch_size,
                compute=ray.data.ActorPoolStrategy(size=workers),
                num_cpus=threads,
                batch_format="numpy",
                max_restarts=-1,
                max_task_retries=-1,
            )
            seen: set[str] = set()
            for batch in ds.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=1):
                rows = []
                for raw in batch["row"]:
                    raw = str(raw)
                    d = json.loads(raw)
                    if d["id"] in seen:  # a retried batch may repeat rows already written
                        continue
                    seen.add(d["id"])
                    ok += d["status"] == "ok"
                    error += d["status"] != "ok"
                    rows.append(raw)
                if rows:
                    writer.write(rows)
                    if on_rows:
                        on_rows(len(rows))
    finally:
        if writer is not None:
            writer.close()
        if stop_ray:
            ray.shutdown()
    return BatchSummary(
        total=skipped + ok + error, done=ok + error, ok=ok, error=error, skipped=skipped,
        seconds=time.monotonic() - started, output=str(out),
    )
