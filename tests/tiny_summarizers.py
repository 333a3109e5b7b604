"""Tiny random-weight summary models, built offline in a few seconds, for tests.

Each builder writes a tokenizer and a model with `save_pretrained` into `directory` and
returns it, so tests load them through `service.models.load` exactly like a Hub model.
The windows are deliberately small (64-1024 tokens) so that chunking is exercised by
articles of a few paragraphs. The weights are random: the output is gibberish, so tests
assert on what the model was *given* and on the shape of what comes back.
"""

from __future__ import annotations

from pathlib import Path

# Training text for the tokenizers: English and Indonesian news-like lines plus the words
# the prompt files use, so that prompts and articles tokenise into few pieces.
_LINES = [
    "The government announced a new policy on rice prices on Monday.",
    "The minister said the programme would start in Jakarta next month.",
    "Officials in Surabaya reported that the flood had damaged hundreds of houses.",
    "The president met the governor to discuss the new toll road.",
    "Police arrested two suspects after the robbery in Bandung.",
    "Farmers in Central Java expect a good harvest this year.",
    "The central bank kept its interest rate unchanged at six percent.",
    "Thousands of people attended the festival in Yogyakarta on Sunday.",
    "The earthquake caused panic but no casualties were reported.",
    "Exports of palm oil rose by ten percent in the first quarter.",
    # (the ten news lines above are NEWS_EN_LINES, used by tests as article sentences)
    "Summarize the following news article in English.",
    "Write a summary of the article below as a list of key points.",
    "Combine the summaries of the parts of one article into a single summary.",
    "You are a careful news editor who writes short factual summaries in English.",
    "Title: Article: Summary: Summaries: between and sentences points one per line.",
    "The article is written in Indonesian. Answer in English only.",
    "Pemerintah mengumumkan kebijakan baru tentang harga beras pada hari Senin.",
    "Menteri mengatakan program itu akan dimulai di Jakarta bulan depan.",
    "Banjir merusak ratusan rumah di Surabaya, kata pejabat setempat.",
    "Presiden bertemu gubernur untuk membahas jalan tol yang baru.",
    "Polisi menangkap dua tersangka setelah perampokan di Bandung.",
    "Petani di Jawa Tengah berharap panen yang baik tahun ini.",
    "Bank sentral mempertahankan suku bunga di enam persen.",
    "Ribuan orang menghadiri festival di Yogyakarta pada hari Minggu.",
    "Gempa bumi menimbulkan kepanikan tetapi tidak ada korban jiwa.",
    "Ekspor minyak sawit naik sepuluh persen pada kuartal pertama.",
    "- key point one\n- key point two\n1. first 2. second",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9",
    ", . ; : ! ? ' \" ( ) [ ] { } < > | / _",
]

SEED = 1234


def _train_byte_bpe(directory: Path, vocab_size: int, special_tokens: list[str]) -> tuple[str, str]:
    from tokenizers import ByteLevelBPETokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(_LINES * 4, vocab_size=vocab_size, min_frequency=1, special_tokens=special_tokens)
    bpe.save_model(str(directory))
    return str(directory / "vocab.json"), str(directory / "merges.txt")


def build_tiny_bart(directory: str | Path, max_positions: int = 64, answer_word: str = "news") -> Path:
    """A BART with a `max_positions`-token window and a byte-level BPE tokenizer."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    vocab, merges = _train_byte_bpe(directory, 600, ["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    tokenizer = BartTokenizer(vocab=vocab, merges=merges, model_max_length=max_positions)
    torch.manual_seed(SEED)
    config = BartConfig(
        vocab_size=len(tokenizer),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=max_positions,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_bos_token_id=tokenizer.bos_token_id,
    )
    model = BartForConditionalGeneration(config)
    # Random weights write control bytes and never pick </s>, so every call would run to
    # max_new_tokens. Biases make it write `answer_word` until min_new_tokens allows </s>
    # and then stop, like a real summariser that stops when done; it keeps tests fast.
    (answer_id,) = tokenizer(" " + answer_word, add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        model.final_logits_bias[0, answer_id] = 10.0
        model.final_logits_bias[0, tokenizer.eos_token_id] = 20.0
    model.generation_config.num_beams = 1
    tokenizer.save_pretrained(directory)
    model.save_pretrained(directory)
    return directory


def _train_sentencepiece(directory: Path) -> list[tuple[str, float]]:
    import sentencepiece as spm

    corpus = directory / "corpus.txt"
    corpus.write_text("\n".join(_LINES * 4), encoding="utf-8")
    prefix = directory / "sp"
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=400,
        hard_vocab_limit=False,
        model_type="unigram",
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        character_coverage=1.0,
        seed_sentencepiece_size=10000,
        minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_file=str(prefix) + ".model")
    pieces = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
    for name in ("corpus.txt", "sp.model", "sp.vocab"):
        (directory / name).unlink()
    return pieces


def build_tiny_t5(directory: str | Path, max_input_tokens: int = 128, model_type: str = "t5") -> Path:
    """A T5 (or, with model_type="mt5", an mT5/mT0-shaped model) with a SentencePiece tokenizer."""
    import torch
    from transformers import (
        MT5Config,
        MT5ForConditionalGeneration,
        T5Config,
        T5ForConditionalGeneration,
        T5Tokenizer,
    )

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    pieces = _train_sentencepiece(directory)
    tokenizer = T5Tokenizer(vocab=pieces, extra_ids=0, model_max_length=max_input_tokens)
    torch.manual_seed(SEED)
    config_cls, model_cls = (
        (MT5Config, MT5ForConditionalGeneration)
        if model_type == "mt5"
        else (
            T5Config,
            T5ForConditionalGeneration,
        )
    )
    config = config_cls(
        vocab_size=len(tokenizer),
        d_model=16,
        d_kv=8,
        d_ff=32,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=2,
        relative_attention_num_buckets=8,
        relative_attention_max_distance=32,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
    )
    model = model_cls(config)
    model.generation_config.num_beams = 1
    tokenizer.save_pretrained(directory)
    model.save_pretrained(directory)
    return directory


# A ChatML template in the style of Qwen2.5's.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def build_tiny_chat_lm(directory: str | Path, max_positions: int = 1024, answer_word: str = "news") -> Path:
    """A Llama-shaped causal LM whose tokenizer has a ChatML chat template.

    Random weights make a causal LM answer with whitespace or nothing, which would only
    exercise the empty-answer path. So the last MLP's bias swamps the residual stream and
    the head is set to pick `answer_word`: the model answers "word word word ..." to any
    prompt, which is enough to check what reaches the reader.
    """
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    vocab, merges = _train_byte_bpe(directory, 600, specials)
    backend = ByteLevelBPETokenizer(vocab, merges)
    backend.add_special_tokens(specials)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend._tokenizer,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        model_max_length=max_positions,
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    (answer_id,) = tokenizer(" " + answer_word, add_special_tokens=False)["input_ids"]
    torch.manual_seed(SEED)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=max_positions,
        mlp_bias=True,
        tie_word_embeddings=False,
        bos_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = LlamaForCausalLM(config)
    with torch.no_grad():
        direction = torch.randn(config.hidden_size)
        model.model.layers[-1].mlp.down_proj.bias.copy_(direction * 1e4)
        normed = model.model.norm.weight * direction / direction.pow(2).mean().sqrt()
        model.lm_head.weight[answer_id] = normed * 50
    model.generation_config.do_sample = False
    tokenizer.save_pretrained(directory)
    model.save_pretrained(directory)
    for name in ("vocab.json", "merges.txt"):
        (directory / name).unlink()
    return directory


# The English news sentences the tokenizer was trained on: tests use them as article text,
# so articles tokenise compactly and decode back exactly.
NEWS_EN_LINES = tuple(_LINES[:10])
# Their Indonesian counterparts, in the same order.
NEWS_ID_LINES = tuple(_LINES[_LINES.index("Pemerintah mengumumkan kebijakan baru tentang harga beras pada hari Senin.") :][:10])
