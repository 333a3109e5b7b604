"""Tiny random-weight translation models, built on the spot, for tests that must run offline.

Each builder writes a complete `save_pretrained` folder (tokenizer + model + generation config)
into the directory it is given and returns that path, so the folder loads through
`service.models.load` exactly like a downloaded model. The weights are random, so the models
write nonsense: tests check what reaches the model and the shape of what comes back, never
the English. Building all of them takes about a second; everything is seeded.

The tokenizers are trained on the small corpus below (written for these tests: invented
Indonesian and English news-like sentences), so Indonesian text splits into realistic pieces
and token counts behave like a real model's.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

# Small on purpose: the translator must split sentences longer than this, and tests reach the
# limit with a few dozen words.
TINY_MAX_POSITIONS = 64

_ID_SUBJECTS = [
    "Pemerintah",
    "Presiden",
    "Menteri Keuangan",
    "Gubernur Jawa Barat",
    "Polisi",
    "Warga desa",
    "Para petani",
    "Bank Indonesia",
    "Dinas Kesehatan",
    "Tim nasional",
    "Wali kota",
    "Mahasiswa",
    "Perusahaan itu",
    "Kepala sekolah",
    "Badan Pusat Statistik",
    "Nelayan setempat",
    "Dokter",
    "Anggota DPR",
    "Pedagang pasar",
    "Relawan",
]
_ID_VERBS = [
    "mengumumkan",
    "membangun",
    "menolak",
    "mendukung",
    "memeriksa",
    "meresmikan",
    "membahas",
    "menaikkan",
    "menurunkan",
    "memperbaiki",
    "mengirim",
    "menerima",
    "melaporkan",
    "menyiapkan",
    "meninjau",
    "membuka",
    "menutup",
    "menjual",
    "membeli",
    "mencatat",
]
_ID_OBJECTS = [
    "harga beras",
    "jalan tol baru",
    "rencana anggaran",
    "jembatan desa",
    "bantuan sosial",
    "rumah sakit daerah",
    "data penduduk",
    "sekolah dasar",
    "pasar tradisional",
    "stok pangan",
    "laporan keuangan",
    "kebijakan impor",
    "program vaksinasi",
    "bendungan",
    "pelabuhan ikan",
    "suku bunga acuan",
    "pembangkit listrik",
    "kereta cepat",
    "bandara",
    "taman kota",
]
_ID_TAILS = [
    "pada hari Senin.",
    "di Jakarta kemarin.",
    "pekan lalu.",
    "tahun ini.",
    "sejak Januari.",
    "menjelang Lebaran.",
    "di kantor gubernur.",
    "setelah rapat terbatas.",
    "bulan depan.",
    "pada Sabtu (18/5/2023).",
    "sekitar pukul 16.00 WIB.",
    "di Surabaya, Jawa Timur.",
    "dengan dana Rp 3.016 miliar.",
    "meskipun hujan deras.",
    "untuk pertama kalinya.",
]
_ID_LINES = [
    "JAKARTA, KOMPAS.com - Pemerintah akan menaikkan harga bahan bakar minyak mulai bulan depan.",
    '"Kami sudah bekerja keras, dan hasilnya mulai terlihat," kata dia.',
    "Inflasi tahunan tercatat 2,5 persen, lebih rendah dari perkiraan para ekonom.",
    "Dr. Siti Nurhaliza, M.Si. menjelaskan bahwa penelitian itu berlangsung selama tiga tahun.",
    "Kantor itu berada di Jl. Merdeka No. 12, Kec. Sukajadi, Kab. Bandung.",
    "Prof. B. J. Habibie pernah menjabat sebagai presiden ketiga Republik Indonesia.",
    "Harga cabai, bawang, gula, dll. naik tajam menjelang hari raya.",
    "Informasi lebih lanjut tersedia di www.contoh.go.id atau melalui surel info@contoh.go.id.",
    "Menurut dia, jumlah korban bertambah menjadi 3.016 orang hingga Minggu malam.",
    "Banjir merendam ratusan rumah warga di tiga kecamatan.",
    "Sekolah diliburkan sementara karena kabut asap semakin tebal.",
    "Apakah pemerintah siap menghadapi musim kemarau panjang?",
    "Hujan turun sejak pagi... dan jalanan pun tergenang.",
    "Pertandingan dimulai pukul 19.30 WIB dan disiarkan langsung oleh televisi nasional.",
    "PT Kereta Api Indonesia (Persero) menambah jadwal perjalanan selama libur panjang.",
    "Ir. H. Joko Susilo menyerahkan bantuan a.n. pemerintah daerah kepada para korban.",
    "Warga diminta tetap tenang dan mengikuti arahan petugas di lapangan.",
    "Nilai tukar rupiah melemah tipis terhadap dolar Amerika Serikat pada perdagangan sore.",
    "Gempa berkekuatan 5,6 magnitudo mengguncang wilayah selatan Jawa pada Senin dini hari.",
    "Sebanyak 1.250 peserta mengikuti lomba lari di kawasan Monas.",
]
_EN_LINES = [
    "The government will raise fuel prices starting next month.",
    '"We have worked hard, and the results are starting to show," he said.',
    "Annual inflation was recorded at 2.5 percent, lower than economists had expected.",
    "The office is located on Merdeka Street No. 12, Sukajadi district, Bandung regency.",
    "Prices of chili, onions, sugar and other goods rose sharply ahead of the holiday.",
    "According to him, the number of victims rose to 3,016 people by Sunday night.",
    "Floods submerged hundreds of houses in three districts.",
    "Schools were closed temporarily because the haze was getting thicker.",
    "Is the government ready to face a long dry season?",
    "The match starts at 7.30 pm and is broadcast live on national television.",
    "Residents were asked to stay calm and follow the instructions of officers in the field.",
    "The rupiah weakened slightly against the US dollar in afternoon trading.",
    "An earthquake of magnitude 5.6 shook the southern region of Java early on Monday.",
    "A total of 1,250 participants took part in the running race in the Monas area.",
]
_EN_SUBJECTS = [
    "The government",
    "The president",
    "The finance minister",
    "The governor",
    "Police",
    "Villagers",
    "Farmers",
    "The central bank",
    "The health office",
    "The national team",
    "The mayor",
    "Students",
    "The company",
    "The principal",
    "The statistics agency",
    "Local fishermen",
    "Doctors",
    "Lawmakers",
    "Market traders",
    "Volunteers",
]
_EN_VERBS = [
    "announced",
    "built",
    "rejected",
    "supported",
    "inspected",
    "inaugurated",
    "discussed",
    "raised",
    "lowered",
    "repaired",
    "sent",
    "received",
    "reported",
    "prepared",
    "reviewed",
    "opened",
    "closed",
    "sold",
    "bought",
    "recorded",
]
_EN_OBJECTS = [
    "the price of rice",
    "a new toll road",
    "the budget plan",
    "the village bridge",
    "social aid",
    "the regional hospital",
    "population data",
    "the primary school",
    "the traditional market",
    "food stocks",
    "the financial report",
    "the import policy",
    "the vaccination program",
    "the dam",
    "the fishing port",
    "the benchmark interest rate",
    "the power plant",
    "the high-speed train",
    "the airport",
    "the city park",
]
_EN_TAILS = [
    "on Monday.",
    "in Jakarta yesterday.",
    "last week.",
    "this year.",
    "since January.",
    "ahead of Eid.",
    "at the governor's office.",
    "after a limited meeting.",
    "next month.",
    "on Saturday (18/5/2023).",
    "at around 4 pm.",
    "in Surabaya, East Java.",
    "with funds of 3,016 billion rupiah.",
    "despite heavy rain.",
    "for the first time.",
]


def training_corpus(n_generated: int = 300, seed: int = 0) -> list[str]:
    """Indonesian and English lines: the hand-written ones plus seeded combinations."""
    rng = random.Random(seed)
    lines = list(_ID_LINES) + list(_EN_LINES)
    for _ in range(n_generated):
        lines.append(
            f"{rng.choice(_ID_SUBJECTS)} {rng.choice(_ID_VERBS)} {rng.choice(_ID_OBJECTS)} {rng.choice(_ID_TAILS)}"
        )
        lines.append(
            f"{rng.choice(_EN_SUBJECTS)} {rng.choice(_EN_VERBS)} {rng.choice(_EN_OBJECTS)} {rng.choice(_EN_TAILS)}"
        )
    return lines


def _train_sentencepiece(vocab_size: int, **extra) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_corpus()),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
        **extra,
    )
    return model.getvalue()


def _pieces(spm_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    proc = spm.SentencePieceProcessor(model_proto=spm_bytes)
    return [proc.IdToPiece(i) for i in range(proc.GetPieceSize())]


def _seed() -> None:
    import torch

    random.seed(0)
    torch.manual_seed(0)


def build_tiny_marian(directory: str | Path) -> Path:
    """An opus-mt-shaped Marian model (shared vocab, pad = decoder start) in miniature."""
    import transformers

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    spm_bytes = _train_sentencepiece(400, unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1)
    (out / "source.spm").write_bytes(spm_bytes)
    (out / "target.spm").write_bytes(spm_bytes)
    # opus-mt layout: </s>=0, <unk>=1, the pieces, <pad> last.
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(spm_bytes):
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    tokenizer = transformers.MarianTokenizer(
        source_spm=str(out / "source.spm"),
        target_spm=str(out / "target.spm"),
        vocab=str(out / "vocab.json"),
        source_lang="id",
        target_lang="en",
        model_max_length=TINY_MAX_POSITIONS,
    )
    pad = vocab["<pad>"]
    _seed()
    config = transformers.MarianConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=TINY_MAX_POSITIONS,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        scale_embedding=True,
        activation_function="swish",
        share_encoder_decoder_embeddings=True,
    )
    model = transformers.MarianMTModel(config)
    model.generation_config = transformers.GenerationConfig(
        num_beams=2,
        max_length=TINY_MAX_POSITIONS,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        bad_words_ids=[[pad]],
    )
    tokenizer.save_pretrained(out)
    model.save_pretrained(out)
    return out


def _tiny_m2m100_model(vocab_size: int, **config_extra: str):  # type: ignore[no-untyped-def]
    """The M2M100 architecture both the M2M100 and the NLLB builders use, at toy size."""
    import transformers

    ids = {"pad_token_id": 1, "bos_token_id": 0, "eos_token_id": 2, "decoder_start_token_id": 2}
    config = transformers.M2M100Config(
        vocab_size=vocab_size,
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=TINY_MAX_POSITIONS,
        **ids,
        **config_extra,
    )
    model = transformers.M2M100ForConditionalGeneration(config)
    model.generation_config = transformers.GenerationConfig(num_beams=2, max_length=TINY_MAX_POSITIONS, **ids)
    return model


def build_tiny_m2m100(directory: str | Path) -> Path:
    """An M2M100 model whose tokenizer knows the language codes (`__id__`, `__en__`)."""
    import transformers

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    spm_bytes = _train_sentencepiece(400, unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1)
    (out / "sentencepiece.bpe.model").write_bytes(spm_bytes)
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece in _pieces(spm_bytes):
        vocab.setdefault(piece, len(vocab))
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = transformers.M2M100Tokenizer(
        vocab_file=str(out / "vocab.json"),
        spm_file=str(out / "sentencepiece.bpe.model"),
        src_lang="en",  # deliberately not Indonesian: the translator must set it
        tgt_lang="en",
        model_max_length=TINY_MAX_POSITIONS,
    )
    _seed()
    # The language tokens (and 8 "madeup" fillers) sit after the vocabulary and are not in len().
    vocab_size = max(tokenizer.lang_token_to_id.values()) + 1 + tokenizer.num_madeup_words
    model = _tiny_m2m100_model(vocab_size)
    tokenizer.save_pretrained(out)
    model.save_pretrained(out)
    return out


def build_tiny_nllb(directory: str | Path) -> Path:
    """An NLLB-style model: M2M100 architecture with an NllbTokenizer (`ind_Latn`, `eng_Latn`)."""
    import transformers
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    trainer = trainers.BpeTrainer(
        vocab_size=500, special_tokens=["<s>", "<pad>", "</s>", "<unk>"], show_progress=False
    )
    bpe.train_from_iterator(training_corpus(), trainer=trainer)
    state = json.loads(bpe.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in state["merges"]]
    tokenizer = transformers.NllbTokenizer(
        vocab=state["vocab"],
        merges=merges,
        src_lang="eng_Latn",  # deliberately not Indonesian: the translator must set it
        tgt_lang="eng_Latn",
        model_max_length=TINY_MAX_POSITIONS,
    )
    _seed()
    model = _tiny_m2m100_model(len(tokenizer), tokenizer_class="NllbTokenizer")
    tokenizer.save_pretrained(out)
    model.save_pretrained(out)
    return out
