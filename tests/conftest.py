"""Session-wide rules: offline Hub, no analytics, and no socket to anything but loopback.

The socket guard makes "the unit test run opens no socket to anything but 127.0.0.1" a
checked fact rather than a hope: a connection elsewhere fails the test that made it.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Keep the result cache and converted models of this run out of the user's home.
os.environ.setdefault("SERVICE_CACHE_DIR", tempfile.mkdtemp(prefix="service-test-cache-"))


class NonLoopbackConnection(OSError):
    """Raised by the socket guard; an OSError so network code treats it as a failed connect."""


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and the like never leave the machine
    host = address[0]
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
blocked_connections: list[object] = []


def _guarded_connect(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
        blocked_connections.append(address)
        raise NonLoopbackConnection(f"test socket guard: connection to {address!r} refused (loopback only)")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
        blocked_connections.append(address)
        raise NonLoopbackConnection(f"test socket guard: connection to {address!r} refused (loopback only)")
    return _real_connect_ex(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


@pytest.fixture
def settings(tmp_path):
    """Settings for tests: cache in a temp dir, everything else at its defaults."""
    from service.config import Settings

    return Settings(cache_dir=tmp_path / "cache")


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory):
    """A tiny Marian translator and BART summariser, saved to disk and loaded by path.

    Random weights write nonsense, so tests that use them assert on shape and flow
    (counts, order, what reached the model), never on wording.
    """
    from tests.tiny_summarizers import build_tiny_bart
    from tests.tiny_translators import build_tiny_marian

    root = tmp_path_factory.mktemp("tiny-models")
    return {
        "translation": str(build_tiny_marian(root / "marian")),
        "summary": str(build_tiny_bart(root / "bart", max_positions=256)),
    }


ARTICLE_ID = """Hujan Deras Genangi Jalan di Pusat Kota

Hujan deras yang turun sejak Senin sore membuat sejumlah jalan di pusat kota tergenang air setinggi 30 sentimeter. Petugas dinas perhubungan mengatur lalu lintas di beberapa persimpangan.

Kepala Badan Penanggulangan Bencana Daerah mengatakan pompa air sudah dinyalakan di tiga lokasi. "Kami minta warga berhati-hati saat melintas," ujarnya kepada wartawan.

Menurut prakiraan cuaca, hujan dengan intensitas sedang masih akan turun hingga Rabu. Warga diminta memantau informasi resmi dari pemerintah daerah.
"""

ARTICLE_EN = """Heavy Rain Floods Downtown Streets

Heavy rain that began on Monday afternoon left several downtown streets under about 30 centimetres of water. Transport officers directed traffic at several junctions.

The head of the regional disaster agency said water pumps had been switched on at three sites. "We ask residents to take care when passing through," she told reporters.

Forecasters expect moderate rain to continue until Wednesday. Residents were asked to follow official updates from the local government.
"""


@pytest.fixture
def article_id() -> str:
    """A short Indonesian news text written for these tests (headline, then three paragraphs)."""
    return ARTICLE_ID


@pytest.fixture
def article_en() -> str:
    return ARTICLE_EN
