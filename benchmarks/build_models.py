"""Random-weight stand-ins with the exact shapes of the default models, built offline.

The Hub is not reachable from the benchmark machine, and random weights cost exactly as
much to run as trained ones, so the benchmark measures real work with these:

* ``opus-mt-id-en``: Marian, d_model 512, 6+6 layers, 8 heads, FFN 2048, swish,
  vocab 54,796 (pad = decoder start = 54,795), shared and scaled embeddings,
  512 positions; generation: 4 beams, bad_words_ids [[54795]], max_length 512.
* ``distilbart-cnn-12-6``: BART, d_model 1024, 12 encoder / 6 decoder layers, 16 heads,
  FFN 4096, vocab 50,264, 1,024 positions; generation: 4 beams, length_penalty 2.0,
  max_length 142, min_length 56, no_repeat_ngram_size 3, early_stopping.

Tokenizers are trained on generated text (benchmarks/synth.py) and their vocabularies are
padded to the full size so that ids and embedding matrices match the real models. Built
models are kept under benchmarks/.models/ (gitignored) and rebuilt when SPEC changes.

    .venv/bin/python -m benchmarks.build_models
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
from pathlib import Path

from . import synth

MODELS_DIR = Path(__file__).resolve().parent / ".models"

MARIAN_VOCAB = 54_796
BART_VOCAB = 50_264
SEED = 20261101

SPEC = {
    "marian": {
        "d_model": 512,
        "encoder_layers": 6,
        "decoder_layers": 6,
        "encoder_attention_heads": 8,
        "decoder_attention_heads": 8,
        "encoder_ffn_dim": 2048,
        "decoder_ffn_dim": 2048,
        "vocab_size": MARIAN_VOCAB,
        "decoder_vocab_size": MARIAN_VOCAB,
        "pad_token_id": MARIAN_VOCAB - 1,
        "decoder_start_token_id": MARIAN_VOCAB - 1,
        "eos_token_id": 0,
        "forced_eos_token_id": 0,
        "activation_function": "swish",
        "scale_embedding": True,
        "share_encoder_decoder_embeddings": True,
        "tie_word_embeddings": True,
        "max_position_embeddings": 512,
        "normalize_embedding": False,
    },
    "marian_generation": {
        "num_beams": 4,
        "max_length": 512,
        "bad_words_ids": [[MARIAN_VOCAB - 1]],
        "pad_token_id": MARIAN_VOCAB - 1,
        "decoder_start_token_id": MARIAN_VOCAB - 1,
        "eos_token_id": 0,
        "forced_eos_token_id": 0,
    },
    "bart": {
        "d_model": 1024,
        "encoder_layers": 12,
        "decoder_layers": 6,
        "encoder_attention_heads": 16,
        "decoder_attention_heads": 16,
        "encoder_ffn_dim": 4096,
        "decoder_ffn_dim": 4096,
        "vocab_size": BART_VOCAB,
        "max_position_embeddings": 1024,
        "activation_function": "gelu",
        "scale_embedding": False,
        "normalize_before": False,
        "add_final_layer_norm": False,
        "bos_token_id": 0,
        "pad_token_id": 1,
        "eos_token_id": 2,
        "decoder_start_token_id": 2,
        "forced_bos_token_id": 0,
        "forced_eos_token_id": 2,
        "tie_word_embeddings": True,
    },
    "bart_generation": {
        "num_beams": 4,
        "length_penalty": 2.0,
        "max_length": 142,
        "min_length": 56,
        "no_repeat_ngram_size": 3,
        "early_stopping": True,
        "bos_token_id": 0,
        "pad_token_id": 1,
        "eos_token_id": 2,
        "decoder_start_token_id": 2,
        "forced_bos_token_id": 0,
        "forced_eos_token_id": 2,
    },
    "seed": SEED,
    "tokenizer_corpus_lines": 20_000,
    "version": 7,
}


def _spec_hash() -> str:
    return hashlib.sha256(json.dumps(SPEC, sort_keys=True).encode()).hexdigest()[:16]


def _ready(directory: Path) -> bool:
    stamp = directory / "bench-spec.txt"
    return stamp.exists() and stamp.read_text().strip() == _spec_hash()


def _stamp(directory: Path) -> None:
    (directory / "bench-spec.txt").write_text(_spec_hash() + "\n")


def _fresh(directory: Path) -> Path:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    return directory


def _marian_tokenizer(directory: Path, work: Path) -> None:
    """One SentencePiece model (used as source.spm and target.spm) padded to the full vocab.

    Real opus-mt checkpoints have two spm files whose union is vocab.json; a single padded
    model keeps every id decodable, which matters because a random model emits any id.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    corpus_file = work / "corpus.txt"
    corpus_file.write_text("\n".join(synth.corpus(SPEC["tokenizer_corpus_lines"], SEED)) + "\n")
    prefix = work / "spm"
    spm.SentencePieceTrainer.train(
        input=str(corpus_file),
        model_prefix=str(prefix),
        vocab_size=8000,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        unk_id=0,
        bos_id=-1,
        eos_id=1,
        pad_id=-1,
        minloglevel=2,
    )
    proto = pb.ModelProto()
    proto.ParseFromString((work / "spm.model").read_bytes())
    trained = [p.piece for p in proto.pieces if p.type == pb.ModelProto.SentencePiece.NORMAL]
    n_fill = MARIAN_VOCAB - 3 - len(trained)  # </s>, <unk>, <pad> are the specials
    fillers = _english_word_pieces(n_fill, exclude=set(trained))
    lowest = min(p.score for p in proto.pieces if p.type == pb.ModelProto.SentencePiece.NORMAL)
    for piece in fillers:
        new = proto.pieces.add()
        new.piece = piece
        new.score = lowest - 10.0
        new.type = pb.ModelProto.SentencePiece.NORMAL
    data = proto.SerializeToString()
    (directory / "source.spm").write_bytes(data)
    (directory / "target.spm").write_bytes(data)
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in trained + fillers:
        vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    assert len(vocab) == MARIAN_VOCAB, len(vocab)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))


def build_marian(directory: Path) -> Path:
    """Build the opus-mt-id-en stand-in into `directory` (skipped when already built)."""
    if _ready(directory):
        return directory
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    _fresh(directory)
    work = directory / "_work"
    work.mkdir()
    _marian_tokenizer(directory, work)
    tokenizer = MarianTokenizer(
        source_spm=str(directory / "source.spm"),
        target_spm=str(directory / "target.spm"),
        vocab=str(directory / "vocab.json"),
        source_lang="id",
        target_lang="en",
        model_max_length=512,
    )
    tokenizer.save_pretrained(directory)
    torch.manual_seed(SEED)
    model = MarianMTModel(MarianConfig(**SPEC["marian"]))
    model.generation_config = GenerationConfig(**SPEC["marian_generation"])
    model.save_pretrained(directory)
    shutil.rmtree(work)
    _stamp(directory)
    return directory


def _bpe_words() -> list[str]:
    """Distinct invented English-like words: the bulk of both stand-ins' vocabularies."""
    words = synth.filler_pieces(60_000, SEED + 1, exclude=set(), word_start="", share=1.0)
    return sorted(set(words), key=words.index)


def _bart_bpe() -> tuple[dict[str, int], Path]:
    """Byte-level BPE trained to the full 50,264 entries (cached; both stand-ins use it).

    The corpus holds many invented words several times each, so most of them become one
    BPE token, as common English words are in the real BART vocabulary.
    """
    from tokenizers import ByteLevelBPETokenizer

    out = MODELS_DIR / f"_bpe-{_spec_hash()}"
    if not (out / "vocab.json").exists():
        rng = random.Random(SEED + 2)
        words = _bpe_words()
        lines = [synth.en_sentence(rng) for _ in range(20_000)]
        for _ in range(16_000):
            lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(15, 40))))
        tmp = Path(str(out) + ".tmp")
        _fresh(tmp)
        (tmp / "en.txt").write_text("\n".join(lines) + "\n")
        bpe = ByteLevelBPETokenizer()
        bpe.train(
            [str(tmp / "en.txt")],
            vocab_size=BART_VOCAB - 1,
            min_frequency=2,
            special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
            show_progress=False,
        )
        bpe.save_model(str(tmp))
        (tmp / "en.txt").unlink()
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    return json.loads((out / "vocab.json").read_text()), out / "merges.txt"


def _english_word_pieces(n: int, exclude: set[str]) -> list[str]:
    """`n` SentencePiece word pieces that the BART tokenizer reads back as one token each
    (two for the few beyond BART's whole-word tokens).

    A random translator emits arbitrary ids; decoded, they must make English whose BART
    token count is like real English's (about one BART token per translation token), or
    the summariser would see inputs of an unrealistic length. Every piece starts a word: a
    random decoder repeats one token many times, and repeated word-continuation pieces
    would glue into one enormous "word".
    """
    vocab, _ = _bart_bpe()
    words = [t[1:] for t in vocab if t.startswith("\u0120") and t[1:].isalpha() and len(t) > 2]
    pieces: list[str] = []
    seen = set(exclude)
    for w in words:
        if len(pieces) == n:
            return pieces
        if "\u2581" + w not in seen:
            seen.add("\u2581" + w)
            pieces.append("\u2581" + w)
    rng = random.Random(SEED + 4)
    while len(pieces) < n:
        piece = "\u2581" + rng.choice(words) + rng.choice(words)
        if piece not in seen:
            seen.add(piece)
            pieces.append(piece)
    return pieces


def _bart_tokenizer(directory: Path) -> None:
    """The shared BPE, its vocab.json padded to 50,264 entries with <mask> last."""
    vocab, merges = _bart_bpe()
    vocab = dict(vocab)
    n_fill = BART_VOCAB - 1 - len(vocab)
    for piece in synth.filler_pieces(n_fill, SEED + 3, exclude=set(vocab), word_start="\u0120"):
        vocab[piece] = len(vocab)
    vocab["<mask>"] = len(vocab)
    assert len(vocab) == BART_VOCAB and len(set(vocab.values())) == BART_VOCAB, len(vocab)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    shutil.copy(merges, directory / "merges.txt")


def build_bart(directory: Path) -> Path:
    """Build the distilbart-cnn-12-6 stand-in into `directory` (skipped when already built)."""
    if _ready(directory):
        return directory
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer, GenerationConfig

    _fresh(directory)
    _bart_tokenizer(directory)
    tokenizer = BartTokenizer(
        vocab=str(directory / "vocab.json"),
        merges=str(directory / "merges.txt"),
        model_max_length=1024,
    )
    tokenizer.save_pretrained(directory)
    torch.manual_seed(SEED)
    model = BartForConditionalGeneration(BartConfig(**SPEC["bart"]))
    model.generation_config = GenerationConfig(**SPEC["bart_generation"])
    model.save_pretrained(directory)
    _stamp(directory)
    return directory


def translation_model_dir() -> Path:
    return build_marian(MODELS_DIR / "opus-mt-id-en")


def summary_model_dir() -> Path:
    return build_bart(MODELS_DIR / "distilbart-cnn-12-6")


def main() -> None:
    for name, build in (("opus-mt-id-en", translation_model_dir), ("distilbart-cnn-12-6", summary_model_dir)):
        t = time.perf_counter()
        path = build()
        print(f"{name}: {path} ({time.perf_counter() - t:.1f} s)")


if __name__ == "__main__":
    main()
