"""SERVICE_* variables: today's values keep working; a value we cannot use names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_no_variables_give_the_defaults():
    assert Settings.from_env({}) == Settings()


def test_todays_values_are_still_read():
    s = Settings.from_env(
        {
            "SERVICE_MAX_PAGES": "3",
            "SERVICE_ALLOWED_PORTS": "80, 443,8080",
            "SERVICE_FETCH_TIMEOUT": "2.5",
            "SERVICE_FETCH_DEADLINE": "20",
            "SERVICE_ALLOW_PRIVATE_URLS": "1",
            "SERVICE_CACHE": "0",
            "SERVICE_DEVICE": "cuda:1",
            "SERVICE_BACKEND": "ctranslate2",
            "SERVICE_SUMMARY_METHOD": "extractive",
            "SERVICE_NUM_THREADS": "0",
            "SERVICE_MAX_RETRIES": "0",
            "SERVICE_CACHE_MAX_MB": "0",
            "SERVICE_QUEUE_SIZE": "",  # blank means the default, as before
        }
    )
    assert s.max_pages == 3 and s.allowed_ports == (80, 443, 8080)
    assert s.fetch_timeout == 2.5 and s.fetch_deadline == 20.0
    assert s.allow_private_urls is True and s.cache_enabled is False
    assert (s.device, s.backend, s.summary_method) == ("cuda:1", "ctranslate2", "extractive")
    assert s.max_retries == 0 and s.cache_max_mb == 0 and s.queue_size == Settings().queue_size


@pytest.mark.parametrize("value", ["1", "true", "YES", "on", " True "])
def test_yes_spellings_are_yes(value):
    assert Settings.from_env({"SERVICE_ALLOW_PRIVATE_URLS": value}).allow_private_urls is True


@pytest.mark.parametrize("value", ["0", "false", "No", "off"])
def test_no_spellings_are_no(value):
    assert Settings.from_env({"SERVICE_CACHE": value}).cache_enabled is False


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("SERVICE_MAX_PAGES", "ten", "expected a whole number (for example 10)"),
        ("SERVICE_MAX_PAGES", "-1", "at least 1"),
        ("SERVICE_MAX_PAGES", "0", "at least 1"),
        ("SERVICE_MAX_RETRIES", "1.5", "whole number"),
        ("SERVICE_MAX_REDIRECTS", "-3", "at least 0"),
        ("SERVICE_NUM_THREADS", "all", "whole number"),
        ("SERVICE_NUM_BEAMS", "-1", "at least 0"),
        ("SERVICE_MAX_BODY_BYTES", "5MB", "whole number"),
        ("SERVICE_MAX_TEXT_CHARS", "0", "at least 1"),
        ("SERVICE_MAX_UPLOAD_BYTES", "-5", "at least 1"),
        ("SERVICE_CACHE_MAX_MB", "lots", "whole number"),
        ("SERVICE_CONCURRENCY", "0", "at least 1"),
        ("SERVICE_QUEUE_SIZE", "-1", "at least 1"),
        ("SERVICE_ALLOWED_PORTS", "80,https", "'https' is not a port"),
        ("SERVICE_ALLOWED_PORTS", "80,70000", "'70000' is not a port"),
        ("SERVICE_ALLOWED_PORTS", "0", "from 1 to 65535"),
        ("SERVICE_ALLOWED_PORTS", ",", "from 1 to 65535"),
        ("SERVICE_FETCH_TIMEOUT", "ten", "seconds above 0"),
        ("SERVICE_FETCH_TIMEOUT", "0", "seconds above 0"),
        ("SERVICE_FETCH_DEADLINE", "-30", "seconds above 0"),
        ("SERVICE_FETCH_DEADLINE", "nan", "seconds above 0"),
        ("SERVICE_EXTRACT_DEADLINE", "inf", "seconds above 0"),
        ("SERVICE_ALLOW_PRIVATE_URLS", "maybe", "1 or 0"),
        ("SERVICE_CACHE", "disabled", "1 or 0"),
        ("SERVICE_DEVICE", "tpu", "auto, cpu, cuda or cuda:N"),
        ("SERVICE_DEVICE", "cuda:x", "auto, cpu, cuda or cuda:N"),
        ("SERVICE_BACKEND", "onnx", "auto, transformers, ctranslate2"),
        ("SERVICE_SUMMARY_METHOD", "magic", "abstractive, extractive, instruct"),
        ("SERVICE_USER_AGENT", "bot\r\nX-Injected: 1", "one line"),
    ],
)
def test_an_unusable_value_names_the_variable_the_value_and_what_is_expected(name, value, says):
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({name: value})
    message = str(raised.value)
    assert message.startswith(f"{name}={value!r} is not valid")
    assert says in message


def _cli(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service", "extract", "--text", "Hujan deras turun di Jakarta sejak pagi."],
        check=False,
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("SERVICE_MAX_PAGES", "ten"), ("SERVICE_ALLOWED_PORTS", "80,https"), ("SERVICE_FETCH_TIMEOUT", "nan")],
)
def test_the_cli_says_which_variable_is_wrong_in_one_line_and_exits_1(name, value):
    done = _cli({name: value})
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert f"{name}={value!r}" in done.stderr
    assert "Traceback" not in done.stderr and "invalid literal" not in done.stderr


def test_the_web_app_refuses_a_bad_setting_with_one_line_and_no_traceback(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {**__import__("os").environ, "SERVICE_QUEUE_SIZE": "lots", "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.run(
        [sys.executable, str(root / "app.py")], capture_output=True, text=True, timeout=180, cwd=tmp_path, env=env
    )
    assert proc.returncode == 1
    assert "SERVICE_QUEUE_SIZE" in proc.stderr and "Traceback" not in proc.stderr
