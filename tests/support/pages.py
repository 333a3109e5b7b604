"""Pages as the fetcher returns them, for tests that hand `acquire_url` a fetcher of their own."""

from __future__ import annotations

from service.fetch import FetchedPage


def fetched(
    url: str, body: bytes, *, content_type: str = "text/html", charset: str | None = "utf-8"
) -> FetchedPage:
    """A 200 answer for `url` (not redirected) with this body."""
    return FetchedPage(
        url=url, requested_url=url, status=200, content_type=content_type, charset=charset, body=body
    )
