"""Graph-based sentence ranking (LexRank-style TextRank over TF-IDF cosine similarity).

A sentence that shares vocabulary with many other sentences is central to the article;
PageRank on the sentence-similarity graph measures exactly that, without any model. We
rank in the article's own language because translation noise would blur the overlaps.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

import numpy as np

from .stopwords import for_language

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
# Indonesian clitics and particles glued to a word: "rumahnya", "dialah", "apakah".
_ID_SUFFIX = re.compile(r"(?:nya|lah|kah|pun)$")

DAMPING = 0.85
# Two picks this similar say the same thing; the second is skipped.
REDUNDANCY = 0.75
# Fewer content words than this is a caption, byline or subheading, not a summary sentence.
MIN_CONTENT_WORDS = 3


def tokens(sentence: str, language: str) -> list[str]:
    """Content words of a sentence: lower-cased, stopwords and one-letter words dropped."""
    stop = for_language(language)
    out = []
    for word in _WORD.findall(sentence.lower()):
        if language in ("id", "ms") and len(word) > 5:
            word = _ID_SUFFIX.sub("", word)
        if len(word) < 2 or word in stop or word.isdigit():
            continue
        out.append(word)
    return out


def similarity_matrix(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors (sublinear tf, smoothed idf); zero diagonal."""
    n = len(token_lists)
    vocab: dict[str, int] = {}
    for toks in token_lists:
        for t in toks:
            vocab.setdefault(t, len(vocab))
    if n == 0 or not vocab:
        return np.zeros((n, n))
    tf = np.zeros((n, len(vocab)))
    for i, toks in enumerate(token_lists):
        for t, c in Counter(toks).items():
            tf[i, vocab[t]] = 1.0 + math.log(c)
    df = np.count_nonzero(tf, axis=0)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    m = tf * idf
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    m = np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)
    sim = m @ m.T
    np.fill_diagonal(sim, 0.0)
    return sim


def pagerank(
    weights: np.ndarray, damping: float = DAMPING, tol: float = 1e-8, max_iter: int = 200
) -> np.ndarray:
    """Stationary scores of a random walk over the weighted graph (rows: from, columns: to)."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    out_weight = weights.sum(axis=1, keepdims=True)
    # A sentence similar to nothing jumps anywhere, so it neither traps nor loses score.
    trans = np.where(out_weight > 0, weights / np.where(out_weight > 0, out_weight, 1.0), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = (1.0 - damping) / n + damping * (trans.T @ scores)
        if np.abs(new - scores).sum() < tol:
            return new
        scores = new
    return scores


def rank(sentences: Sequence[str], language: str) -> np.ndarray:
    """A centrality score per sentence (higher: more central)."""
    return pagerank(similarity_matrix([tokens(s, language) for s in sentences]))


def select(sentences: Sequence[str], count: int, language: str) -> list[int]:
    """Indices of the `count` most central, mutually non-redundant sentences, in article order."""
    if count <= 0 or not sentences:
        return []
    token_lists = [tokens(s, language) for s in sentences]
    sim = similarity_matrix(token_lists)
    scores = pagerank(sim)
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    substantial = [i for i in order if len(token_lists[i]) >= MIN_CONTENT_WORDS]
    rest = [i for i in order if len(token_lists[i]) < MIN_CONTENT_WORDS]
    chosen: list[int] = []
    skipped: list[int] = []
    for i in substantial:
        if len(chosen) == count:
            break
        if any(sim[i, j] >= REDUNDANCY for j in chosen):
            skipped.append(i)
            continue
        chosen.append(i)
    # Short articles: rather a near-duplicate or a short line than fewer sentences than asked.
    for i in skipped + rest:
        if len(chosen) == count:
            break
        chosen.append(i)
    return sorted(chosen)
