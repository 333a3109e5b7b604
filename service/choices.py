"""Every choice a reader or operator makes per article, written down once.

The CLI's `choices=`, the web app's dropdowns, the API's checks, `Options.validated` and the
summariser all read these tables, so adding a summary length is one entry here plus, for
instruct models, one prompt file in `prompts/summary/`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SummaryLength:
    """What one summary length means to each way of summarising."""

    label: str  # as the web app shows it
    sentences: tuple[int, int]  # (fewest, most) sentences or points in the summary
    # (min, max) new tokens for summarisers that write prose. An English news sentence is
    # ~20-30 tokens; the summary is trimmed to `sentences` afterwards.
    seq2seq_new_tokens: tuple[int, int]
    # Chat models stop by themselves; this only bounds a runaway answer.
    chat_new_tokens: tuple[int, int]


SUMMARY_LENGTHS: dict[str, SummaryLength] = {
    "short": SummaryLength("Short", (1, 2), (12, 60), (0, 120)),
    "medium": SummaryLength("Medium", (3, 4), (40, 130), (0, 220)),
    "long": SummaryLength("Long", (5, 7), (80, 220), (0, 380)),
}
DEFAULT_SUMMARY_LENGTH = "medium"

# Method -> how the web app names it. "instruct" is offered by the web app only when an
# instruct model was configured on purpose (see config.Settings.instruct_enabled).
SUMMARY_METHODS: dict[str, str] = {
    "abstractive": "Abstractive (a model writes it)",
    "extractive": "Extractive (the key sentences)",
    "instruct": "Instruct (a chat model writes it)",
}

OUTPUT_FORMATS = ("json", "markdown", "text")

# Model engines (SERVICE_BACKEND) and CTranslate2's weight types (SERVICE_CT2_COMPUTE_TYPE).
BACKENDS = ("auto", "transformers", "ctranslate2")
CT2_COMPUTE_TYPES = ("int8", "float32")

# ISO 639 codes -> English names: in summary prompts, the metadata line and language errors.
LANGUAGE_NAMES: dict[str, str] = {
    "ace": "Acehnese",
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "hi": "Hindi",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "jv": "Javanese",
    "ko": "Korean",
    "ms": "Malay",
    "nl": "Dutch",
    "pt": "Portuguese",
    "ru": "Russian",
    "su": "Sundanese",
    "th": "Thai",
    "tl": "Tagalog",
    "tr": "Turkish",
    "vi": "Vietnamese",
    "zh": "Chinese",
}
