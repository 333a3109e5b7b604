"""`python -m service`: the command line, a thin shell over the pipeline.

Exit codes: 0 success; 1 an error the user can act on (one line on stderr, no
traceback); 2 a usage error (argparse); 3 a bug in this program.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from typing import Callable, Sequence, TextIO

from . import present
from .choices import DEFAULT_SUMMARY_LENGTH, OUTPUT_FORMATS, SUMMARY_LENGTHS, SUMMARY_METHODS
from .config import Settings
from .errors import PrivateURLError, ServiceError
from .fetch.polite import DEFAULT_HOST_DELAY
from .inputs import failure_means_list
from .types import Options


def _add_source(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", nargs="?", help="article URL (http or https)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--file", metavar="PATH", help="a saved HTML page or pasted page text (detected)")
    g.add_argument("--text", metavar="TEXT", help='the article text; "-" reads standard input')
    p.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="also fetch loopback and private-network addresses (intranets, local tests)",
    )


def _add_models(p: argparse.ArgumentParser, *, instruct: bool = False) -> None:
    p.add_argument("--translation-model", metavar="ID_OR_PATH", help="Hub id or local directory")
    p.add_argument("--summary-model", metavar="ID_OR_PATH", help="Hub id or local directory")
    if instruct:
        p.add_argument("--instruct-model", metavar="ID_OR_PATH", help="Hub id or local directory")
    p.add_argument("--device", help="auto, cpu or cuda (default: SERVICE_DEVICE or auto)")


def _add_run_options(p: argparse.ArgumentParser) -> None:
    _add_models(p)
    p.add_argument("--summary-method", choices=tuple(SUMMARY_METHODS))
    p.add_argument("--summary-length", choices=tuple(SUMMARY_LENGTHS), default=DEFAULT_SUMMARY_LENGTH)
    p.add_argument("--bullets", action="store_true", help="key points as a list")
    p.add_argument("--num-beams", type=int, help="beam size for translation (default: the model's own)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m service",
        description="Read Indonesian news in English: extract, translate and summarise an article.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="fetch and extract the article, in its own language")
    _add_source(p)
    p.add_argument("--format", choices=("json", "text"), default="text")
    p.add_argument(
        "--explain", action="store_true",
        help="also say how: which finder gave the body, what each rule removed, why there was no article"
        " (on stderr; with --format json also as an \"explain\" field)",
    )

    p = sub.add_parser("run", help="extract, translate into English and summarise")
    _add_source(p)
    _add_run_options(p)
    p.add_argument("--format", choices=OUTPUT_FORMATS, default="markdown")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("batch", help="many articles (a list, JSONL/CSV or a feed) on Ray Data, one row each")
    p.add_argument(
        "input", help="a .txt of URLs, a .jsonl or .csv (id; url, text or file), or a feed/sitemap URL"
    )
    p.add_argument(
        "--output", metavar="OUT", help="output file (jsonl) or folder (parquet); default batch.jsonl"
    )
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    p.add_argument("--workers", type=int, default=1, help="actors, each with its own models (default 1)")
    p.add_argument(
        "--ray-address",
        metavar="ADDR",
        default=os.environ.get("RAY_ADDRESS") or None,
        help="join this Ray cluster (default: RAY_ADDRESS, else a local Ray)",
    )
    p.add_argument(
        "--connect-timeout", type=float, default=30.0, metavar="S", help="seconds to reach the cluster"
    )
    p.add_argument("--resume", action="store_true", help="skip the ids already in OUT")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N inputs")
    p.add_argument(
        "--per-host-delay", type=float, default=DEFAULT_HOST_DELAY, metavar="S", help="seconds between requests to one host"
    )
    p.add_argument(
        "--ignore-robots", action="store_true", help="do not read robots.txt (only for sites you own)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="also fetch loopback and private-network addresses (intranets, local tests)",
    )
    _add_run_options(p)

    p = sub.add_parser("download-models", help="prefetch models into the local cache for offline use")
    _add_models(p, instruct=True)
    p.add_argument("--all", action="store_true", help="also the instruct model")

    p = sub.add_parser("evaluate", help="score model choices against references")
    esub = p.add_subparsers(dest="what", required=True)
    e = esub.add_parser("translation", help="BLEU and chrF of translating SRC against REF")
    e.add_argument("--src", required=True, help="Indonesian sentences, one per line")
    e.add_argument("--ref", required=True, help="English reference sentences, one per line")
    _add_models(e)
    e = esub.add_parser("summary", help="ROUGE-1/2/L of summaries against reference summaries")
    e.add_argument("--articles", required=True, help="folder of article .txt/.html files")
    e.add_argument("--refs", required=True, help="folder of reference summaries with the same file names")
    _add_models(e)
    e.add_argument("--summary-method", choices=tuple(SUMMARY_METHODS))
    e.add_argument("--summary-length", choices=tuple(SUMMARY_LENGTHS), default=DEFAULT_SUMMARY_LENGTH)
    return parser


def settings_from_args(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    """Flags override the environment, field by field."""
    s = base or Settings.from_env()
    changes = {}
    for flag, field in (
        ("translation_model", "translation_model"),
        ("summary_model", "summary_model"),
        ("instruct_model", "instruct_model"),
        ("device", "device"),
        ("num_beams", "num_beams"),
    ):
        value = getattr(args, flag, None)
        if value is not None:
            changes[field] = value
    if getattr(args, "allow_private_urls", False):
        changes["allow_private_urls"] = True
    if "translation_model" in changes and changes["translation_model"] not in s.translation_models:
        changes["translation_models"] = (changes["translation_model"], *s.translation_models)
    return dataclasses.replace(s, **changes)


# Stage -> (what the bar says, what its counter counts).
_STAGES = {
    "acquire": ("reading", ""),
    "models": ("loading models", ""),
    "translate": ("translating", "sentences"),
    "summarize": ("summarising", "parts"),
}


class ProgressBar:
    """One line on stderr: stage, a bar, and sentences done out of total."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self._last = ""

    def __call__(self, event: object) -> None:
        from .pipeline import Done, Progress

        if not self.enabled:
            return
        if isinstance(event, Progress):
            width = 24
            filled = int(width * event.done / event.total) if event.total else 0
            label, unit = _STAGES.get(event.stage, (event.stage, ""))
            count = f"{event.done}/{event.total} {unit}".rstrip() if event.total > 1 or unit else ""
            line = f"\r{label:<15} [{'#' * filled}{'.' * (width - filled)}] {count}"
            if line != self._last:
                self.stream.write(line.ljust(70))
                self.stream.flush()
                self._last = line
        elif isinstance(event, Done):
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def _source(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict[str, str]:
    given = [x for x in (args.url, args.file, args.text) if x is not None]
    if len(given) != 1:
        parser.error("give exactly one of URL, --file PATH or --text TEXT")
    if args.url is not None:
        return {"url": args.url}
    if args.file is not None:
        return {"file": args.file}
    text = sys.stdin.read() if args.text == "-" else args.text
    return {"text": text}


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from_args(args)
        if args.command in _MODEL_COMMANDS:
            # The process's entry point is the one place that sets CTranslate2's instruction
            # set (it reads the environment once); a value this CPU lacks is a one-line error.
            from .models import configure_isa

            configure_isa(os.environ, strict=True)
        handler: Callable[..., int] = _HANDLERS[args.command]
        return handler(args, parser, settings, out, err)
    except ServiceError as exc:
        message = _one_line(str(exc))
        if isinstance(exc, PrivateURLError):
            # The page's wording is for readers; on the command line the operator is the reader.
            message += (
                " (To fetch from this machine, a private network or another port, add --allow-private-urls.)"
            )
        url = getattr(args, "url", None) if args.command in ("run", "extract") else None
        if url and failure_means_list(exc, url):
            message += (
                f" The address looks like a list of articles (a feed, or an outlet's front or section page): "
                f"python -m service batch {args.url} --output out.jsonl reads each of them."
            )
        err.write(f"error: {message}\n")
        return 1
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return 130
    except Exception as exc:  # a bug: say so in one line; SERVICE_DEBUG=1 shows the traceback
        if os.environ.get("SERVICE_DEBUG"):
            raise
        err.write(
            f"internal error: {type(exc).__name__}: {_one_line(str(exc))} (set SERVICE_DEBUG=1 for details)\n"
        )
        return 3


def _cmd_extract(args, parser, settings, out, err) -> int:  # type: ignore[no-untyped-def]
    from .errors import ExtractionError
    from .extract.explain import as_text
    from .pipeline import acquire

    try:
        article = acquire(**_source(args, parser), settings=settings)
    except ExtractionError as exc:
        if args.explain and exc.explain:
            err.write(as_text(exc.explain))
        raise
    explain = article.extras.get("explain")
    if args.format == "json":
        d = article.to_dict()
        if args.explain:
            d["explain"] = explain
        out.write(json.dumps(d, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(present.article_to_text(article))
    if args.explain and explain:
        err.write(as_text(explain))
    return 0


def _options(args: argparse.Namespace) -> Options:
    """The per-article choices `run` and `batch` share, from their flags."""
    return Options(
        translation_model=args.translation_model,
        summary_model=args.summary_model,
        summary_method=args.summary_method,
        summary_length=args.summary_length,
        bullets=args.bullets,
    )


def _cmd_run(args, parser, settings, out, err) -> int:  # type: ignore[no-untyped-def]
    from .pipeline import run

    options = _options(args)
    bar = ProgressBar(err, enabled=not args.quiet and err.isatty())
    result = run(**_source(args, parser), options=options, settings=settings, on_event=bar)
    render = {"json": present.to_json, "markdown": present.to_markdown, "text": present.to_text}[args.format]
    text = render(result)
    out.write(text if text.endswith("\n") else text + "\n")
    return 0


def _cmd_batch(args, parser, settings, out, err) -> int:  # type: ignore[no-untyped-def]
    from .batch import run_batch

    options = _options(args)
    output = args.output or ("batch" if args.format == "parquet" else "batch.jsonl")
    summary = run_batch(
        args.input,
        output,
        options,
        settings=settings,
        workers=args.workers,
        address=args.ray_address,
        fmt=args.format,
        resume=args.resume,
        limit=args.limit,
        per_host_delay=args.per_host_delay,
        respect_robots=not args.ignore_robots,
        connect_timeout=args.connect_timeout,
        quiet=args.quiet,
    )
    if not args.quiet:
        err.write(summary.line() + "\n")
    return 0


def _cmd_download(args, parser, settings, out, err) -> int:  # type: ignore[no-untyped-def]
    from . import models

    ids = [settings.translation_model, settings.summary_model]
    if args.all or args.instruct_model:
        ids.append(settings.instruct_model)
    for path in models.download(ids, progress=lambda m: err.write(f"downloading {m} ...\n")):
        out.write(f"{path}\n")
    # Load the two sequence-to-sequence models once, so any conversion for the fast CPU engine
    # (and its memory peak) happens now rather than in the first request.
    for model_id in (settings.translation_model, settings.summary_model):
        models.load(model_id, models.SEQ2SEQ, settings)
    return 0


def _cmd_evaluate(args, parser, settings, out, err) -> int:  # type: ignore[no-untyped-def]
    from . import evaluate

    if args.what == "translation":
        scores = evaluate.translation_scores(args.src, args.ref, settings)
    else:
        scores = evaluate.summary_scores(
            args.articles,
            args.refs,
            settings,
            method=args.summary_method or settings.summary_method,
            length=args.summary_length,
        )
    out.write(evaluate.format_table(scores) + "\n")
    return 0


_MODEL_COMMANDS = frozenset({"run", "batch", "download-models", "evaluate"})
_HANDLERS = {
    "extract": _cmd_extract,
    "run": _cmd_run,
    "batch": _cmd_batch,
    "download-models": _cmd_download,
    "evaluate": _cmd_evaluate,
}
