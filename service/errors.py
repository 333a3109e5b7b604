"""Errors a user can cause, each with a message a person can act on.

    ServiceError
     ├── ConfigError                a setting's value is unusable (names the variable)
     ├── InputError                 the input itself is unusable
     │    ├── InputTooLargeError
     │    └── UnsupportedLanguageError
     ├── FetchError                 the page could not be fetched
     │    ├── InvalidURLError
     │    ├── BlockedURLError       refused by the guard; no request was sent
     │    │    └── PrivateURLError  only because it is private (--allow-private-urls lifts it)
     │    ├── HostNotFoundError     the name does not resolve
     │    ├── ConnectionFailedError refused, reset, TLS handshake failed, or not HTTP
     │    ├── FetchTimeoutError
     │    ├── HTTPStatusError
     │    ├── ResponseTooLargeError
     │    ├── UnsupportedContentError
     │    ├── TooManyRedirectsError
     │    ├── RobotsDisallowedError  robots.txt asks automated readers not to (batch)
     │    └── HostBusyError         too many requests wait for one host's turn (many links)
     ├── ExtractionError            the page holds no article we can find
     │    └── ExtractionTimeoutError  reading it took longer than settings.extract_deadline
     ├── ModelError
     │    ├── ModelNotAvailableError
     │    └── ModelRuntimeError
     └── BusyError                  the server's queue is full

Foreign exceptions (httpx, OSError, transformers) are translated into these at the
module that meets them, so the CLI and UI only ever show `str(error)`.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base of every error a user can cause; `str()` is the message to show."""


class ConfigError(ServiceError):
    """A setting (an environment variable or flag) has a value we cannot use; the message
    names the variable, the value and what is expected."""


class InputError(ServiceError):
    pass


class InputTooLargeError(InputError):
    pass


class UnsupportedLanguageError(InputError):
    pass


class FetchError(ServiceError):
    pass


class InvalidURLError(FetchError):
    pass


class BlockedURLError(FetchError):
    pass


class PrivateURLError(BlockedURLError):
    """Refused only because the address is private, loopback or on an unusual port: the
    operator's --allow-private-urls (SERVICE_ALLOW_PRIVATE_URLS=1) would allow it."""


class HostNotFoundError(FetchError):
    pass


class ConnectionFailedError(FetchError):
    pass


class FetchTimeoutError(FetchError):
    pass


class HTTPStatusError(FetchError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ResponseTooLargeError(FetchError):
    pass


class UnsupportedContentError(FetchError):
    """The address answered with something other than a web page. `media`: the media type it
    declared or was sniffed as, so a caller can tell a news feed (read its links) from a PDF."""

    def __init__(self, message: str, *, media: str = "") -> None:
        super().__init__(message)
        self.media = media


class TooManyRedirectsError(FetchError):
    pass


class RobotsDisallowedError(FetchError):
    """robots.txt of the site asks automated readers not to fetch this address."""


class HostBusyError(FetchError):
    """Too many requests wait for one host's turn (fetch/polite.py); try again later."""


class ExtractionError(ServiceError):
    """No article could be read. `explain`: what the extractor tried and why it gave up
    (`extract --explain` prints it), so a user can report the page and we can find the rule."""

    def __init__(self, message: str, *, explain: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.explain = explain


class ModelError(ServiceError):
    pass


class ModelNotAvailableError(ModelError):
    pass


class ModelRuntimeError(ModelError):
    pass


class BusyError(ServiceError):
    pass


class ExtractionTimeoutError(ExtractionError):
    pass
