"""Does the web app stay correct under a burst of visitors? A load test through the public API.

    .venv/bin/python -m benchmarks.load_test --requests 50
    .venv/bin/python -m benchmarks.load_test --requests 50 --hold 60       # the queue surely fills
    .venv/bin/python -m benchmarks.load_test --requests 12 --queue-size 3  # a small queue

Starts app.py (tests/webapp_server.py: 127.0.0.1, a free port, offline) with tiny local models
built into a temporary folder, then sends N `translate_article` requests at once, each from its
own gradio_client `Client`: N visitors, N sessions. Every request ends in one of three ways:

* completed: the JSON contract with the right content for *that* request (every input is a
  different text, 2 or 3 paragraphs long, so an answer that went to the wrong caller is caught,
  and a result cache cannot stand in for the models);
* busy: turned away with exactly "The service is busy; please try again in a minute.";
* other: anything else (an error, Gradio's own "Queue is full", no answer before the deadline,
  a result with the wrong shape). Each one is printed.

Then one more request must complete (the app still answers), and the server's log must hold no
ERROR line. Exit status 0 only when all of that holds. The app process's resident memory
(children included) is sampled every 0.1 s: before the burst, its peak, and after the last request.

`--hold SECONDS`: request 0 asks the app to read a local page that this script holds open (the
model worker is then taken, idle); the other N-1 are sent meanwhile, and the page is released
once each of them has been admitted to the queue or turned away (or SECONDS passed). The report
then also says how many were in the queue at that moment: the queue bound, checked. The queue then fills on any machine, however fast
or busy, which is what the CI test (tests/test_load.py) needs. Without it, the burst meets a
worker that is computing, as it would in production; a machine fast enough to keep up may then
turn nobody away.

Why one Client per request: a shared Client puts every request in one session behind one
event-stream reader and runs at most `max_workers` (default 40) requests at a time, so visitors
past the 40th would wait on the client's side without the server seeing them. `--shared-client`
runs it that way for comparison (with max_workers raised to N).

Prints a table and writes benchmarks/results/load_latest.json. tests/test_load.py runs a short
form of the same code (`run_load`) in CI. The models are tiny, so memory and time measure the
app and its queue, not translation: real models add their own size (see bench_pipeline).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Self

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.localserver import serve
from tests.webapp_server import RunningApp, running_app, tiny_model_env

RESULTS = ROOT / "benchmarks" / "results" / "load_latest.json"
API_NAME = "/translate_article"
# The sentence a visitor sees when the queue is full (service/web/constants.py BUSY_MESSAGE); written
# out here because it is the promise under test, not an implementation detail to import.
BUSY_MESSAGE = "The service is busy; please try again in a minute."
HTTP_TIMEOUT = 60.0  # any one HTTP read by a client; the app's event stream beats every 15 s
MODEL_READY_TIMEOUT = 120.0
HELD_PATH = "/berita/ditahan"

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # the client's telemetry thread
os.environ.setdefault("HF_HUB_OFFLINE", "1")


# --------------------------------------------------------------------------- the inputs


@dataclass(frozen=True)
class Sample:
    """One article a visitor sends, and what a right answer must look like."""

    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join((self.title, *self.paragraphs))

    def numbered(self, n: int) -> Sample:
        """This article with a sentence naming request `n`: every request is a different text,
        so a result cache cannot answer for the models, and an answer shows whose it is."""
        *head, last = self.paragraphs
        return Sample(self.title, (*head, f"{last} Berita ini kiriman nomor {n}."))


# Written for this load test: invented Indonesian news stories, 2 or 3 paragraphs each, so a
# result can be matched to its request by title and paragraph count.
SAMPLES: tuple[Sample, ...] = (
    Sample(
        "Perpustakaan Keliling Kunjungi Sekolah di Pesisir",
        (
            (
                "Sebuah mobil perpustakaan keliling mengunjungi lima sekolah dasar di desa pesisir pada "
                "hari Kamis. Setiap sekolah mendapat waktu dua jam untuk meminjam buku."
            ),
            (
                "Petugas perpustakaan mengatakan bahwa buku cerita bergambar paling banyak dipinjam. "
                "Mobil itu akan kembali ke desa yang sama setiap dua minggu."
            ),
        ),
    ),
    Sample(
        "Petani Kopi Gunakan Pengering Tenaga Surya",
        (
            (
                "Kelompok petani kopi di lereng gunung mulai memakai rumah pengering bertenaga surya "
                "sejak bulan lalu. Biji kopi kini kering dalam empat hari."
            ),
            (
                "Sebelumnya, petani menjemur kopi di halaman rumah dan harus mengangkatnya setiap kali "
                "hujan turun. Banyak biji kopi menjadi berjamur."
            ),
            (
                "Ketua kelompok tani berharap harga jual kopi naik karena mutunya lebih baik. "
                "Dua desa tetangga sudah meminta bantuan untuk membangun pengering serupa."
            ),
        ),
    ),
    Sample(
        "Jalur Sepeda Baru Dibuka di Tepi Sungai",
        (
            (
                "Pemerintah kota membuka jalur sepeda sepanjang tiga kilometer di tepi sungai pada "
                "Minggu pagi. Ratusan warga langsung mencobanya."
            ),
            (
                "Jalur itu dilengkapi lampu penerangan dan tempat parkir sepeda di setiap jembatan. "
                "Kendaraan bermotor dilarang masuk ke jalur tersebut."
            ),
        ),
    ),
    Sample(
        "Nelayan Tangkap Ikan Lebih Sedikit Saat Angin Kencang",
        (
            (
                "Hasil tangkapan nelayan di pelabuhan kecil itu turun hampir setengah dalam sepekan "
                "terakhir. Angin kencang membuat banyak perahu tidak berani melaut."
            ),
            (
                "Harga ikan di pasar naik karena pasokan berkurang. Pedagang mengatakan pembeli kini "
                "memilih ikan beku yang lebih murah."
            ),
            (
                "Badan cuaca memperkirakan angin akan melemah pada akhir pekan. Nelayan diminta tetap "
                "memeriksa peringatan cuaca sebelum berangkat."
            ),
        ),
    ),
)

# The page request 0 reads while it holds the model worker (a URL, read by the app's fetcher).
HELD_SAMPLE = Sample(
    "Warga Tanam Seribu Pohon di Bekas Tambang Pasir",
    (
        (
            "Ratusan warga menanam seribu bibit pohon di lahan bekas tambang pasir pada Sabtu pagi. "
            "Kegiatan itu diikuti pelajar, petani dan petugas kehutanan."
        ),
        (
            "Lahan tersebut sudah lima tahun dibiarkan gersang setelah penambangan berhenti. "
            "Warga berharap pohon-pohon itu dapat menahan erosi saat musim hujan."
        ),
        (
            "Pemerintah desa akan menyiram bibit setiap pekan selama musim kemarau. "
            "Pohon yang mati akan diganti dengan bibit baru."
        ),
    ),
)


def held_page(sample: Sample = HELD_SAMPLE) -> str:
    from html import escape

    body = "".join(f"<p>{escape(p)}</p>\n" for p in sample.paragraphs)
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{escape(sample.title)}</title></head><body>"
        f"<article><h1>{escape(sample.title)}</h1>\n{body}</article></body></html>"
    )


# --------------------------------------------------------------------------- judging an answer


@dataclass
class Outcome:
    """How one request ended."""

    index: int
    title: str  # the title that was sent: which request this is
    kind: str  # completed | busy | other
    seconds: float  # from sending to the answer
    detail: str = ""  # for "other": what came back instead

    def __post_init__(self) -> None:
        self.seconds = round(self.seconds, 3)


def check_result(sample: Sample, result: Any) -> list[str]:
    """What is wrong with `result` as the answer to `sample` (nothing: it is right)."""
    if not isinstance(result, dict):
        return [f"the answer is a {type(result).__name__}, not the JSON object"]
    problems = []
    if result.get("title") != sample.title:
        problems.append(f"title {result.get('title')!r} is not the one sent ({sample.title!r})")
    paragraphs = result.get("paragraphs")
    english = result.get("paragraphs_en")
    if not isinstance(paragraphs, list) or len(paragraphs) != len(sample.paragraphs):
        got = len(paragraphs) if isinstance(paragraphs, list) else paragraphs
        problems.append(f"{got} paragraphs, expected {len(sample.paragraphs)}")
    elif tuple(paragraphs) != sample.paragraphs:
        problems.append("the paragraphs are not the ones sent")
    if not isinstance(english, list) or not isinstance(paragraphs, list) or len(english) != len(paragraphs):
        problems.append("paragraphs_en does not have one entry per paragraph")
    elif not all(isinstance(p, str) and p.strip() for p in english):
        problems.append("an English paragraph is empty")
    for key in ("title_en", "summary"):
        if not (isinstance(result.get(key), str) and result[key].strip()):
            problems.append(f"{key} is missing or empty")
    if result.get("translated") is not True:
        problems.append("translated is not true")
    return problems


def busy_refusal(exc: BaseException) -> bool:
    """Is this exactly the clean busy message (and nothing else) as gradio_client reports it?

    A validator refusal arrives as ValidationError("1 parameter(s) failed validation:\\n- source:
    <message>"); Gradio's own full-queue answer (HTTP 503) is a QueueError and does not count.
    """
    from gradio_client.exceptions import ValidationError

    if not isinstance(exc, ValidationError):
        return False
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    messages = [line.split(":", 1)[1].strip() for line in lines if line.startswith("- ") and ":" in line]
    return messages == [BUSY_MESSAGE]


def classify(index: int, sample: Sample, seconds: float, result: Any, error: BaseException | None) -> Outcome:
    if error is not None:
        if busy_refusal(error):
            return Outcome(index, sample.title, "busy", seconds)
        text = " ".join(str(error).split())[:300]
        return Outcome(index, sample.title, "other", seconds, f"{type(error).__name__}: {text}")
    problems = check_result(sample, result)
    if problems:
        return Outcome(index, sample.title, "other", seconds, "wrong result: " + "; ".join(problems))
    return Outcome(index, sample.title, "completed", seconds)


# --------------------------------------------------------------------------- memory


class MemorySampler:
    """Resident memory of a process and its children, sampled in a background thread."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def rss(self) -> int:
        import psutil

        total = 0
        try:
            procs = [self.process, *self.process.children(recursive=True)]
        except psutil.Error:
            return 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.Error:  # a child that just exited
                pass
        self.peak = max(self.peak, total)
        self.samples += 1
        return total

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.rss()

    def __enter__(self) -> Self:
        self.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# --------------------------------------------------------------------------- sending


def make_client(url: str, *, max_workers: int = 4) -> Any:
    from gradio_client import Client

    return Client(
        url,
        verbose=False,
        download_files=False,
        max_workers=max_workers,
        httpx_kwargs={"timeout": HTTP_TIMEOUT},
    )


def make_clients(url: str, n: int, *, shared: bool = False, timeout: float = 120.0) -> list[Any]:
    """N clients (N visitors), made before the burst so that making them is not part of it."""
    if shared:
        return [make_client(url, max_workers=n + 2)] * n
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(make_client, url) for _ in range(n)]
        _, pending = concurrent.futures.wait(futures, timeout=timeout)
        if pending:
            raise TimeoutError(f"{len(pending)} of {n} clients could not connect within {timeout:.0f} s")
        return [f.result() for f in futures]


def close_clients(clients: Sequence[Any]) -> None:
    for client in {id(c): c for c in clients}.values():
        with contextlib.suppress(Exception):  # best effort: the server stops anyway
            client.close()


@dataclass
class _Pending:
    index: int
    sample: Sample
    job: Any
    sent: float
    answered: float | None = None

    @property
    def queued(self) -> bool:
        """Admitted and not answered yet: gradio_client keeps the event id the app gave it, and
        the app gives one only once the event is in its queue."""
        communicator = getattr(self.job, "communicator", None)
        return getattr(communicator, "event_id", None) is not None and not self.job.done()


def send_all(clients: Sequence[Any], items: Sequence[tuple[int, Sample, str]]) -> list[_Pending]:
    """Submit every request at once (each client's own thread pool sends it); returns at once."""
    pending: list[_Pending] = []
    for client, (index, sample, source) in zip(clients, items):
        sent = time.monotonic()
        job = client.submit(source, api_name=API_NAME)
        entry = _Pending(index, sample, job, sent)

        def answered(_future: Any, entry: _Pending = entry) -> None:
            entry.answered = time.monotonic()

        job.add_done_callback(answered)
        pending.append(entry)
    return pending


def collect(pending: Sequence[_Pending], deadline: float) -> list[Outcome]:
    """Wait (until `deadline`, a monotonic time) for every answer, and judge each one."""
    jobs = [p.job for p in pending]
    concurrent.futures.wait(jobs, timeout=max(0.0, deadline - time.monotonic()))
    outcomes = []
    for p in pending:
        if not p.job.done():
            p.job.cancel()
            waited = time.monotonic() - p.sent
            outcomes.append(
                Outcome(
                    p.index,
                    p.sample.title,
                    "other",
                    waited,
                    f"no answer before the deadline (waited {waited:.1f} s)",
                )
            )
            continue
        seconds = (p.answered or time.monotonic()) - p.sent
        error = p.job.exception()
        result = None if error is not None else p.job.result()
        outcomes.append(classify(p.index, p.sample, seconds, result, error))
    return sorted(outcomes, key=lambda o: o.index)


def ask_once(url: str, sample: Sample, timeout: float) -> Outcome:
    """One request from a new visitor, after the burst: does the app still answer?"""
    client = make_client(url)
    try:
        pending = send_all([client], [(-1, sample, sample.text)])
        return collect(pending, time.monotonic() + timeout)[0]
    finally:
        close_clients([client])


# --------------------------------------------------------------------------- the whole run


@dataclass
class LoadReport:
    requests: int
    concurrency: int
    queue_size: int
    held_first: bool
    shared_client: bool
    # With request 0 held: how many of the others were in the queue once each had been
    # admitted or turned away (at most queue_size + concurrency - 1 may be).
    queued_while_held: int | None = None
    completed: int = 0
    busy: int = 0
    other: int = 0
    wall_s: float = 0.0  # from the burst to the last answer
    completed_s: dict[str, float] = field(default_factory=dict)  # median and max latency
    busy_s: dict[str, float] = field(default_factory=dict)
    after: Outcome | None = None
    rss_mib: dict[str, float] = field(default_factory=dict)  # before, peak, final
    rss_samples: int = 0
    server_errors: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    machine: dict[str, Any] = field(default_factory=dict)
    setup_s: dict[str, float] = field(default_factory=dict)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == "other"]

    @property
    def queue_overfilled(self) -> bool:
        """More requests got into the queue than SERVICE_QUEUE_SIZE allows (seen only when held)."""
        limit = self.queue_size + self.concurrency - 1
        return self.queued_while_held is not None and self.queued_while_held > limit

    @property
    def ok(self) -> bool:
        return (
            not self.queue_overfilled
            and self.other == 0
            and self.completed + self.busy == self.requests == len(self.outcomes)
            and self.after is not None
            and self.after.kind == "completed"
            and not self.server_errors
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["queue_overfilled"] = self.queue_overfilled
        d["ok"] = self.ok
        return d


def _latency(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {"median": round(statistics.median(values), 2), "max": round(max(values), 2)}


def _mib(n: int) -> float:
    return round(n / 2**20, 1)


def _machine() -> dict[str, Any]:
    import gradio_client

    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpus": os.cpu_count(),
        "load_average_at_start": load,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "gradio_client": gradio_client.__version__,
    }


def _server_errors(log: str) -> list[str]:
    """Each bug the app reported: an ERROR line with the traceback lines after it (service.web
    logs the frames without the exception's message, so no article text)."""
    errors: list[str] = []
    inside = False
    for line in log.splitlines():
        if " ERROR " in line or line.startswith("Traceback"):
            errors.append(line.strip())
            inside = True
        elif inside and (line.startswith((" ", "\t")) or not line.strip()):
            errors[-1] += "\n" + line.rstrip()
        else:
            inside = False
    return errors


@contextlib.contextmanager
def held_page_server(gate: threading.Event, hold: float) -> Iterator[str]:
    """A local news site whose one article answers only once `gate` is set (or `hold` passed)."""

    def held(_request: Any) -> tuple[int, dict[str, str], str]:
        gate.wait(hold)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, held_page()

    with serve({HELD_PATH: held}, lifetime=hold + 600) as base:
        yield base


def run_load(
    requests: int,
    *,
    queue_size: int | None = None,
    concurrency: int | None = None,
    hold: float | None = None,
    shared_client: bool = False,
    deadline: float = 300.0,
    models: Mapping[str, str] | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> LoadReport:
    """Start the app, send `requests` at once, judge every answer, ask once more, stop the app.

    `hold`: seconds request 0 may hold the model worker (None: no held request). `deadline`:
    seconds from the burst until every answer must be in. `models`: SERVICE_* variables of
    already built tiny models (built into a temporary folder when None).
    """
    if requests < (2 if hold else 1):
        raise ValueError("send at least one request (two when the first is held)")
    from service.config import Settings

    machine = _machine()
    setup: dict[str, float] = {}
    gate = threading.Event()
    with contextlib.ExitStack() as stack:
        stack.callback(gate.set)  # a held page never outlives the run
        t = time.monotonic()
        if models is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="load-test-models-"))
            models = tiny_model_env(folder)
        setup["models_s"] = round(time.monotonic() - t, 1)
        env = dict(models)
        if queue_size is not None:
            env["SERVICE_QUEUE_SIZE"] = str(queue_size)
        if concurrency is not None:
            env["SERVICE_CONCURRENCY"] = str(concurrency)
        pages = ""
        if hold:
            pages = stack.enter_context(held_page_server(gate, hold))
            # The app may read our local page, and waits for it as long as we hold it.
            env.update(
                SERVICE_ALLOW_PRIVATE_URLS="1",
                SERVICE_FETCH_TIMEOUT=str(hold + 30),
                SERVICE_FETCH_DEADLINE=str(hold + 60),
            )
        settings = Settings.from_env(env)
        report = LoadReport(
            requests=requests,
            concurrency=settings.concurrency,
            queue_size=settings.queue_size,
            held_first=bool(hold),
            shared_client=shared_client,
            machine=machine,
            setup_s=setup,
        )

        t = time.monotonic()
        say("starting the app ...")
        app: RunningApp = stack.enter_context(running_app(env))
        app.wait_for_log("Translation model ready", timeout=MODEL_READY_TIMEOUT)
        app.wait_for_log("Summary model ready", timeout=MODEL_READY_TIMEOUT)
        setup["app_start_s"] = round(time.monotonic() - t, 1)

        samples = [SAMPLES[i % len(SAMPLES)].numbered(i) for i in range(requests)]
        items = [(i, sample, sample.text) for i, sample in enumerate(samples)]
        if hold:
            items[0] = (0, HELD_SAMPLE, pages + HELD_PATH)
        t = time.monotonic()
        clients = make_clients(app.url, requests, shared=shared_client)
        stack.callback(close_clients, clients)
        setup["clients_s"] = round(time.monotonic() - t, 1)

        sampler = stack.enter_context(MemorySampler(app.process.pid))
        before = sampler.rss()
        pending: list[_Pending] = []
        start = time.monotonic()
        if hold:
            say(f"request 0 reads a page held for up to {hold:.0f} s ...")
            pending += send_all(clients[:1], items[:1])
            _wait_for_held_request(pages, pending[0], timeout=MODEL_READY_TIMEOUT)
            start = time.monotonic()
            say(f"sending {requests - 1} more at once ...")
            others = send_all(clients[1:], items[1:])
            pending += others
            report.queued_while_held = _until_each_is_queued_or_answered(others, start + hold)
            gate.set()
        else:
            say(f"sending {requests} at once ...")
            pending += send_all(clients, items)
        report.outcomes = collect(pending, start + deadline)
        report.wall_s = round(max((p.answered or time.monotonic()) for p in pending) - start, 2)
        gate.set()

        say("one more request after the burst ...")
        try:
            report.after = ask_once(app.url, SAMPLES[1].numbered(requests), timeout=120.0)
        except Exception as exc:  # noqa: BLE001 - e.g. the app died: a finding to report, not a crash
            report.after = Outcome(-1, SAMPLES[1].title, "other", 0.0, f"{type(exc).__name__}: {exc}")
        final = sampler.rss()
        report.rss_mib = {"before": _mib(before), "peak": _mib(sampler.peak), "final": _mib(final)}
        report.rss_samples = sampler.samples
        report.server_errors = _server_errors(app.log())

    for kind in ("completed", "busy", "other"):
        setattr(report, kind, sum(o.kind == kind for o in report.outcomes))
    report.completed_s = _latency([o.seconds for o in report.outcomes if o.kind == "completed"])
    report.busy_s = _latency([o.seconds for o in report.outcomes if o.kind == "busy"])
    try:
        report.machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    return report


def _until_each_is_queued_or_answered(pending: Sequence[_Pending], deadline: float) -> int:
    """Wait (at most until `deadline`) until no request is still at the door; how many queued."""
    while time.monotonic() < deadline:
        if all(p.job.done() or p.queued for p in pending):
            break
        time.sleep(0.05)
    return sum(p.queued for p in pending)


def _wait_for_held_request(pages: Any, first: _Pending, timeout: float) -> None:
    """Until the app is reading the held page, i.e. the model worker is taken."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if any(r.path == HELD_PATH for r in pages.requests):
            return
        if first.job.done():
            raise RuntimeError(f"the held request ended before reading the page: {first.job.exception()!r}")
        time.sleep(0.05)
    raise TimeoutError(f"the app did not start reading the held page within {timeout:.0f} s")


# --------------------------------------------------------------------------- the command


def format_report(r: LoadReport) -> str:
    lines = [
        f"Load test: {r.requests} concurrent translate_article requests, one client each"
        + (" (one shared client)" if r.shared_client else "")
        + f"; app concurrency {r.concurrency}, queue {r.queue_size}"
        + ("; request 0 held the worker until the others were queued or refused" if r.held_first else ""),
        "",
        f"  {'outcome':<28}{'count':>6}{'median s':>10}{'max s':>8}",
        (
            f"  {'completed, right result':<28}{r.completed:>6}"
            f"{r.completed_s.get('median', ''):>10}{r.completed_s.get('max', ''):>8}"
        ),
        f"  {'busy message':<28}{r.busy:>6}{r.busy_s.get('median', ''):>10}{r.busy_s.get('max', ''):>8}",
        f"  {'other (failure)':<28}{r.other:>6}",
        f"  {'sent':<28}{r.requests:>6}",
        "",
        *(
            [
                f"  in the queue while request 0 held the worker: {r.queued_while_held} (queue size {r.queue_size})"
            ]
            if r.queued_while_held is not None
            else []
        ),
        f"  wall time of the burst: {r.wall_s:.1f} s (setup: {r.setup_s})",
    ]
    if r.after is not None:
        verdict = "answered correctly" if r.after.kind == "completed" else f"FAILED: {r.after.detail}"
        lines.append(f"  one more request afterwards: {verdict} in {r.after.seconds:.1f} s")
    if r.rss_mib:
        lines.append(
            f"  app memory (RSS, children included): before {r.rss_mib['before']} MiB, "
            f"peak {r.rss_mib['peak']} MiB, final {r.rss_mib['final']} MiB ({r.rss_samples} samples)"
        )
    m = r.machine
    lines.append(
        f"  machine: {m.get('cpus')} CPUs, load average {m.get('load_average_at_start')} at start, "
        f"{m.get('load_average_at_end')} at end; Python {m.get('python')}, gradio_client {m.get('gradio_client')}"
    )
    if r.queue_overfilled:
        lines.append(f"  FAILURE: {r.queued_while_held} requests got into a queue of {r.queue_size}")
    for o in r.failures:
        lines.append(f"  FAILURE request {o.index} ({o.title}) after {o.seconds:.1f} s: {o.detail}")
    for error in r.server_errors[:3]:
        lines.append("  SERVER ERROR: " + error.replace("\n", "\n    "))
    if len(r.server_errors) > 3:
        lines.append(f"  ... {len(r.server_errors) - 3} more server errors in the JSON report")
    lines.append("")
    lines.append("PASS" if r.ok else "FAIL")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="requests sent at once (default 50)")
    parser.add_argument(
        "--queue-size", type=int, default=None, help="SERVICE_QUEUE_SIZE (default: the app's, 16)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=None, help="SERVICE_CONCURRENCY (default: the app's, 1)"
    )
    parser.add_argument(
        "--hold",
        type=float,
        default=None,
        metavar="SECONDS",
        help="hold the worker with request 0 (see above)",
    )
    parser.add_argument("--shared-client", action="store_true", help="one Client for all requests")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds for all answers (default 300)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON report (default {RESULTS})")
    args = parser.parse_args(argv)

    report = run_load(
        args.requests,
        queue_size=args.queue_size,
        concurrency=args.concurrency,
        hold=args.hold,
        shared_client=args.shared_client,
        deadline=args.deadline,
        say=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    print(format_report(report))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
