"""Start the web app (app.py) as a subprocess on 127.0.0.1 for browser and API tests.

    from tests.webapp_server import running_app, tiny_model_env

    env = tiny_model_env(tmp_dir)                 # builds tiny local models, returns SERVICE_* vars
    with running_app(env) as app:                 # a free port, bounded start-up, always stopped
        app.url                                   # "http://127.0.0.1:PORT/"
        app.wait_for_log("Translation model ready")
        app.log()                                 # everything the app printed so far

The app runs in its own process group, offline (HF_HUB_OFFLINE=1, no analytics), and is
stopped (SIGTERM, then SIGKILL) when the block ends, even if the test failed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 90.0  # seconds; importing gradio and torch on 2 slow cores takes ~15


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tiny_model_env(directory: str | Path) -> dict[str, str]:
    """Build a tiny Marian translator and a tiny BART summariser; point the app at them.

    The random-weight translator writes long nonsense words, so the summariser gets a window
    (256 tokens) wide enough for any one of them.
    """
    from tests.tiny_summarizers import build_tiny_bart
    from tests.tiny_translators import build_tiny_marian

    directory = Path(directory)
    translator = build_tiny_marian(directory / "marian")
    summarizer = build_tiny_bart(directory / "bart", max_positions=256)
    return {
        "SERVICE_TRANSLATION_MODEL": str(translator),
        "SERVICE_SUMMARY_MODEL": str(summarizer),
        "SERVICE_CACHE_DIR": str(directory / "cache"),
        "SERVICE_NUM_BEAMS": "1",  # greedy: the tests check the page, not the English
    }


@dataclass
class RunningApp:
    url: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the app exited ({self.process.returncode}) before logging {text!r}:\n{self.log()}"
                )
            time.sleep(0.2)
        raise TimeoutError(f"the app did not log {text!r} within {timeout:.0f} s:\n{self.log()[-3000:]}")


def _wait_until_serving(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the app exited with code {process.returncode} while starting:\n"
                + log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
            )
        try:
            with urllib.request.urlopen(url + "config", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(
        f"the app did not answer on {url} within {timeout:.0f} s:\n"
        + log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def running_app(env: Mapping[str, str | None], *, timeout: float = START_TIMEOUT) -> Iterator[RunningApp]:
    """Run app.py with `env` on a free port until the block ends (a None value unsets a variable)."""
    port = free_port()
    full_env = {
        **os.environ,
        "GRADIO_SERVER_NAME": "127.0.0.1",
        "GRADIO_SERVER_PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "TRANSFORMERS_VERBOSITY": "error",
        "TOKENIZERS_PARALLELISM": "false",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    full_env = {k: v for k, v in full_env.items() if v is not None}  # None in `env`: unset it
    with tempfile.NamedTemporaryFile("w", prefix="webapp-", suffix=".log", delete=False) as log_file:
        log_path = Path(log_file.name)
    with open(log_path, "w", encoding="utf-8") as log_out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            cwd=str(ROOT),
            env=full_env,
            stdout=log_out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(url, process, log_path, timeout)
        yield RunningApp(url=url, port=port, process=process, log_path=log_path)
    finally:
        _stop(process)
        with contextlib.suppress(OSError):
            log_path.unlink()
