"""Which language an article is in, offline (py3langid), so we never translate the wrong thing.

Indonesian and Malay are one language for our purposes (the id->en models read both, and the
classifier confuses them on short text), English passes through untranslated, and anything else
is refused with a message that says what we saw.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from ..choices import LANGUAGE_NAMES
from ..errors import InputError, UnsupportedLanguageError

_SAMPLE_CHARS = 5000
_SHORT_TEXT_CHARS = 200  # below this the classifier's ranking is unreliable
# Fewer words than this that neither test settles: too little to tell the language at all.
_MIN_WORDS_TO_TELL = 5

# Function words that make up a large share of any running Indonesian or English text; used to
# settle short inputs (headlines, one sentence) where character n-grams are weak evidence.
_ID_WORDS = frozenset(
    ["yang", "dan", "di", "ke", "dari", "ini", "itu", "dengan", "untuk", "tidak", "dalam", "akan", "pada", "juga", "karena", "oleh", "adalah", "atau", "sudah", "telah", "bisa", "ada", "saat", "kata", "mereka", "kami", "kita", "tersebut", "bahwa", "lebih", "masih", "harus", "para", "serta", "agar", "jika", "hingga", "sejak", "tak", "belum", "sangat", "namun", "tetapi", "dia", "ia", "saya", "menjadi"]
)
_EN_WORDS = frozenset(
    ["the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "as", "was", "on", "be", "by", "this", "are", "from", "at", "have", "has", "an", "not", "or", "which", "but", "were", "they", "their", "been", "will", "would", "said", "its", "who", "after"]
)


_load_lock = threading.Lock()


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    """The classifier, loaded once (about 0.7 s) and shared; ranking reads it without mutation."""
    with _load_lock:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[0-9]+")
_WORD = re.compile(r"[^\W\d_]+")


def _function_word_share(words: list[str], vocabulary: frozenset[str]) -> float:
    return sum(w in vocabulary for w in words) / len(words) if words else 0.0


def detect_language(text: str) -> str:
    """'id' for Indonesian or Malay, 'en' for English; anything else raises UnsupportedLanguageError."""
    sample = _NOISE.sub(" ", text[:_SAMPLE_CHARS])
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        raise InputError("The text has no words to read. Paste the article's text.")

    ranking = _identifier().rank(" ".join(sample.split()))
    scores = dict(ranking)
    top = ranking[0][0]
    id_share = _function_word_share(words, _ID_WORDS)
    en_share = _function_word_share(words, _EN_WORDS)
    if top in ("id", "ms"):
        return "id"
    if top == "en":
        # An Indonesian tech or business story full of English terms still runs on Indonesian
        # grammar words; an English story does not.
        return "id" if id_share >= 0.08 and id_share > 1.5 * en_share else "en"

    # Short text (a headline, one line): trust function words and near-misses over the argmax.
    if len(sample) < _SHORT_TEXT_CHARS:
        id_score = scores.get("id", 0.0) + scores.get("ms", 0.0)
        if id_share >= 0.1 and id_share > en_share or id_score >= 0.2:
            return "id"
        if en_share >= 0.15 or scores.get("en", 0.0) >= 0.2:
            return "en"
    elif id_share >= 0.15 and id_share > 2 * en_share:
        return "id"  # long text with Indonesian grammar words, mixed with regional-language quotes

    if len(words) < _MIN_WORDS_TO_TELL:
        raise InputError(
            f"This text is too short to tell its language ({len(words)} word{'s' if len(words) != 1 else ''}). "
            "Paste the whole article, or its address."
        )
    name = LANGUAGE_NAMES.get(top)
    seen = f"This looks like {name} text" if name else "This text doesn't look Indonesian"
    raise UnsupportedLanguageError(
        f"{seen}. The service reads Indonesian news (English passes through untranslated); "
        "paste an Indonesian article."
    )
