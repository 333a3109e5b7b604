"""Times as Indonesian readers read them: the outlet's local time with its zone name.

Indonesia has three zones, WIB (UTC+7, Java and Sumatra), WITA (UTC+8, Bali, Kalimantan's
east and south, Sulawesi) and WIT (UTC+9, Maluku and Papua), and outlets stamp articles with
them ("10:08 WIB"). A time we hold in another offset (a meta tag in UTC) is shown in WIB, where
the national outlets are; a time in WITA or WIT stays in its own zone. A time without any zone
is shown as written, without inventing one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

ZONES = {7: "WIB", 8: "WITA", 9: "WIT"}
_WIB = timezone(timedelta(hours=7))
_ZONE_OFFSETS = {name: hours for hours, name in ZONES.items()}


def zone_offset(name: str) -> int | None:
    """Hours east of UTC for WIB/WITA/WIT (any case), None for any other name."""
    return _ZONE_OFFSETS.get(name.upper())


def local_time(iso: str | None) -> str | None:
    """'2023-11-02T03:08:00+00:00' -> '2 Nov 2023, 10:08 WIB'; '2024-03-05' -> '5 Mar 2024'.
    Text that is not ISO 8601 is returned as it is."""
    if not iso:
        return None
    try:
        if len(iso) == 10:
            d = date.fromisoformat(iso)
            return f"{d.day} {d:%b %Y}"
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if dt.tzinfo is None:
        return f"{dt.day} {dt:%b %Y, %H:%M}"
    offset = dt.utcoffset() or timedelta(0)
    hours = offset.total_seconds() / 3600
    if hours not in ZONES:
        dt = dt.astimezone(_WIB)
        hours = 7
    return f"{dt.day} {dt:%b %Y, %H:%M} {ZONES[int(hours)]}"
