"""How long extraction takes per page: the real corpus (when ../shared is there) and our fixtures.

    .venv/bin/python benchmarks/bench_extract.py [--repeat N] [--outlet-rules off] [--score]

Prints one row per page (bytes, paragraphs, which finder supplied the body, median and worst ms
over N runs of decode + extract), the mean and the slowest page. The aim is under 100 ms per page
on one core. Also times the same pages through trafilatura and readability-lxml alone, for
comparison. `--score` also prints the corpus gate's score (tests/test_corpus.py) with outlet
rules on and off: what the per-outlet rules earn over the generic path.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.errors import ExtractionError
from service.extract.charset import decode_html
from service.extract.page import extract_html

CORPUS = ROOT.parent / "shared" / "corpus" / "html"
FIXTURES = ROOT / "tests" / "fixtures" / "pages"


def _time(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return runs


OUTLET_RULES = True


def _ours(raw: bytes):  # type: ignore[no-untyped-def]
    try:
        return extract_html(decode_html(raw), outlet_rules=OUTLET_RULES)
    except ExtractionError:
        return None


def _trafilatura(raw: bytes) -> None:
    import trafilatura

    trafilatura.extract(decode_html(raw), favor_precision=True)


def _readability(raw: bytes) -> None:
    from readability import Document

    Document(decode_html(raw)).summary()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--outlet-rules", choices=("on", "off"), default="on")
    parser.add_argument("--score", action="store_true", help="also the corpus score, outlet rules on and off")
    args = parser.parse_args()
    global OUTLET_RULES
    OUTLET_RULES = args.outlet_rules == "on"

    pages = sorted(CORPUS.glob("*.html")) if CORPUS.is_dir() else []
    if not pages:
        print(f"(no corpus at {CORPUS}: timing the fixtures only)")
    pages += sorted(FIXTURES.glob("*.html"))

    _ours(pages[0].read_bytes())  # warm imports and caches outside the timings
    print(f"{'page':36s} {'KB':>6s} {'paras':>5s} {'finder':>12s} {'median ms':>10s} {'max ms':>8s} "
          f"{'trafil. ms':>10s} {'readab. ms':>10s}")
    medians, traf, read = [], [], []
    for path in pages:
        raw = path.read_bytes()
        article = _ours(raw)
        runs = _time(lambda raw=raw: _ours(raw), args.repeat)
        t_runs = _time(lambda raw=raw: _trafilatura(raw), max(1, args.repeat // 2))
        r_runs = _time(lambda raw=raw: _readability(raw), max(1, args.repeat // 2))
        medians.append(statistics.median(runs))
        traf.append(statistics.median(t_runs))
        read.append(statistics.median(r_runs))
        label = f"{path.parent.name}/{path.name}"[-36:]
        finder = article.extras.get("extractor", "?") if article else "no article"
        paras = len(article.paragraphs) if article else 0
        print(f"{label:36s} {len(raw) / 1024:6.0f} {paras:5d} {finder:>12s} {medians[-1]:10.1f} {max(runs):8.1f} "
              f"{traf[-1]:10.1f} {read[-1]:10.1f}")
    print(f"{'mean':36s} {'':6s} {'':5s} {'':>12s} {statistics.mean(medians):10.1f} {'':8s} "
          f"{statistics.mean(traf):10.1f} {statistics.mean(read):10.1f}")
    worst = max(range(len(pages)), key=medians.__getitem__)
    print(f"{'worst: ' + pages[worst].name:36s} {'':6s} {'':5s} {'':>12s} {medians[worst]:10.1f}")
    if args.score:
        sys.path.insert(0, str(ROOT / "tests"))
        from test_corpus import score  # the gate's own check, so the figure is the gate's

        for on in (True, False):
            ok, total, failing = score(outlet_rules=on)
            print(f"corpus score, outlet rules {'on' if on else 'off'}: {ok}/{total}"
                  + "".join(f"\n  {name}: {problems}" for name, problems in failing.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
