"""The result cache: a repeated article is served from disk, within its size bound, and a
broken cache file never breaks a request."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, replace

from service.cache import FILE_NAME, ResultCache, cache_key

MODELS = {"translation": "Helsinki-NLP/opus-mt-id-en", "summary": "sshleifer/distilbart-cnn-12-6"}
OPTIONS = {"summary_method": "abstractive", "summary_length": "medium", "bullets": False}
TEXT = "Judul berita\n\nPemerintah mengumumkan kebijakan baru. Harga beras turun.\n\nParagraf kedua."


def _result(i: int, size: int = 100) -> dict:
    return {"title_en": f"Title {i}", "paragraphs_en": ["x" * size], "summary": f"Summary {i}", "n": i}


def test_a_stored_result_comes_back_after_a_restart(settings):
    key = cache_key(TEXT, MODELS, OPTIONS)
    first = ResultCache(settings)
    assert first.get(key) is None
    first.put(key, _result(1))
    first.close()

    again = ResultCache(settings)  # a new process would build a new one
    assert again.get(key) == _result(1)


def test_the_key_ignores_spacing_but_not_models_options_or_text():
    key = cache_key(TEXT, MODELS, OPTIONS)
    respaced = TEXT.replace(" ", "  ").replace("\n\n", "\r\n\r\n  ") + "\n"
    assert cache_key(respaced, MODELS, OPTIONS) == key
    assert cache_key(TEXT.replace("turun", "naik"), MODELS, OPTIONS) != key
    assert cache_key(TEXT, {**MODELS, "summary": "other/model"}, OPTIONS) != key
    assert cache_key(TEXT, MODELS, {**OPTIONS, "summary_length": "short"}) != key
    # Paragraph breaks are part of the result (one English paragraph per source paragraph).
    assert cache_key(TEXT.replace("\n\nParagraf", " Paragraf"), MODELS, OPTIONS) != key


def test_options_may_be_a_dataclass():
    @dataclass(frozen=True)
    class Opts:
        summary_length: str = "medium"
        bullets: bool = False

    assert cache_key(TEXT, MODELS, Opts()) == cache_key(
        TEXT, MODELS, {"summary_length": "medium", "bullets": False}
    )
    assert cache_key(TEXT, MODELS, Opts(bullets=True)) != cache_key(TEXT, MODELS, Opts())


def test_disabled_cache_stores_nothing(settings):
    off = replace(settings, cache_enabled=False)
    cache = ResultCache(off)
    key = cache_key(TEXT, MODELS, OPTIONS)
    cache.put(key, _result(1))
    assert cache.get(key) is None
    assert not (settings.cache_dir / FILE_NAME).exists()


def test_least_recently_used_entries_go_first_and_the_bound_holds(settings):
    small = replace(settings, cache_max_mb=1)
    cache = ResultCache(small)
    entry = 300 * 1024  # four of these do not fit in 1 MB
    for i in range(3):
        cache.put(f"k{i}", _result(i, entry))
    assert cache.get("k0") == _result(0, entry)  # k0 is now the most recently used
    cache.put("k3", _result(3, entry))

    assert cache.get("k1") is None  # the least recently used was evicted
    for i in (0, 2, 3):
        assert cache.get(f"k{i}") == _result(i, entry)
    assert cache.stats()["bytes"] <= 1024 * 1024


def test_an_entry_larger_than_the_cache_is_not_stored_and_evicts_nothing(settings):
    cache = ResultCache(replace(settings, cache_max_mb=1))
    cache.put("small", _result(1))
    cache.put("huge", _result(2, 2 * 1024 * 1024))
    assert cache.get("huge") is None
    assert cache.get("small") == _result(1)


def test_a_corrupt_cache_file_is_replaced_not_fatal(settings):
    settings.cache_dir.mkdir(parents=True)
    (settings.cache_dir / FILE_NAME).write_bytes(b"this is not a database" * 100)
    cache = ResultCache(settings)
    assert cache.get("k") is None
    cache.put("k", _result(1))
    assert cache.get("k") == _result(1)
    assert ResultCache(settings).get("k") == _result(1)


def test_a_cache_file_damaged_while_open_is_replaced(settings):
    cache = ResultCache(settings)
    cache.put("k", _result(1))
    cache.close()
    (settings.cache_dir / FILE_NAME).write_bytes(b"\0garbage" * 4096)
    assert cache.get("k") is None  # the damaged entry is gone, but the request goes on
    cache.put("k", _result(2))
    assert cache.get("k") == _result(2)


def test_an_unusable_cache_location_means_misses_not_errors(settings, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    cache = ResultCache(replace(settings, cache_dir=blocker / "cache"))
    cache.put("k", _result(1))
    assert cache.get("k") is None


def test_threads_can_share_one_cache(settings):
    cache = ResultCache(settings)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(20):
                cache.put(f"t{t}-{i}", _result(i))
                assert cache.get(f"t{t}-{i}") == _result(i)
        except (AssertionError, sqlite3.Error, OSError) as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert cache.stats()["entries"] == 6 * 20
