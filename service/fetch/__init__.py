"""Fetching: the only package that talks HTTP.

- `client`: GET one page for a user: every hop checked by the guard, pinned connections,
  redirects, retries, one deadline, size caps.
- `guard`: which URLs and addresses may be fetched at all (the SSRF guard), and one
  spelling of every URL.
- `encoding`: Content-Encoding layers (gzip, deflate), decoded incrementally under the cap.
"""

from __future__ import annotations

from .client import FetchedPage, fetch
from .guard import Resolver, Target, check_url, normalize_url, parse_url

__all__ = ["FetchedPage", "Resolver", "Target", "check_url", "fetch", "normalize_url", "parse_url"]
