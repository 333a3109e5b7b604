"""Scores for comparing model choices on your own references (`python -m service evaluate`)."""

from __future__ import annotations

from pathlib import Path

from .config import Settings
from .errors import InputError


def _lines(path: str) -> list[str]:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file.")
    return [line.strip() for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def translation_scores(src: str, ref: str, settings: Settings) -> dict[str, object]:
    """BLEU and chrF (sacrebleu) of the configured translation model on SRC against REF."""
    import sacrebleu

    from .translate import get_translator

    sources, references = _lines(src), _lines(ref)
    if len(sources) != len(references):
        raise InputError(f"{src} has {len(sources)} lines but {ref} has {len(references)}; they must pair up.")
    if not sources:
        raise InputError(f"{src} is empty.")
    hypotheses = get_translator(settings.translation_model, settings).translate_sentences(sources)
    return {
        "model": settings.translation_model,
        "sentences": len(sources),
        "BLEU": round(sacrebleu.corpus_bleu(hypotheses, [references]).score, 2),
        "chrF": round(sacrebleu.corpus_chrf(hypotheses, [references]).score, 2),
    }


def summary_scores(articles: str, refs: str, settings: Settings, *, method: str, length: str) -> dict[str, object]:
    """Mean ROUGE-1/2/L F1 of our summaries of each article against the reference of the same name."""
    from rouge_score import rouge_scorer

    from .pipeline import Options, run

    adir, rdir = Path(articles), Path(refs)
    for d in (adir, rdir):
        if not d.is_dir():
            raise InputError(f"{d}: no such folder.")
    pairs = []
    for article in sorted(p for p in adir.iterdir() if p.is_file()):
        matches = [r for r in rdir.glob(article.stem + ".*") if r.is_file()] or (
            [rdir / article.name] if (rdir / article.name).is_file() else []
        )
        if matches:
            pairs.append((article, matches[0]))
    if not pairs:
        raise InputError(f"No article in {articles} has a reference of the same name in {refs}.")
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    options = Options(summary_method=method, summary_length=length)
    for article, reference in pairs:
        result = run(file=str(article), options=options, settings=settings)
        scores = scorer.score(reference.read_text(encoding="utf-8"), result.summary.text)
        for key in totals:
            totals[key] += scores[key].fmeasure
    n = len(pairs)
    return {
        "method": method,
        "model": settings.summary_model if method == "abstractive" else (
            settings.instruct_model if method == "instruct" else None),
        "articles": n,
        **{k.upper().replace("ROUGE", "ROUGE-"): round(100 * v / n, 2) for k, v in totals.items()},
    }


def format_table(scores: dict[str, object]) -> str:
    width = max(len(k) for k in scores)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in scores.items())
