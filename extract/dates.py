"""Dates as articles write them ("July 9, 2025", "September of 2003") to ISO 8601.

A small parser of our own: rules need a date *pattern* to place in their
templates anyway, and once a date is matched, turning it into ISO 8601 is a
few lines.  dateparser (measured: 0.06 s import, 0.1 s first parse) would add a
dependency and guesses at relative phrases ("last month") that must not become facts.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_MONTH = "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True))

#: A date in running text; used inside rule templates as {date}.
DATE_PATTERN = (
    rf"(?:(?:{_MONTH})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    rf"|\d{{1,2}} (?:{_MONTH}),? \d{{4}}"
    rf"|(?:{_MONTH})(?: of)? \d{{4}}"
    r"|\d{4}-\d{2}-\d{2}"
    r"|(?:19|20)\d{2})"
)

#: A run of years in brackets, as headings give it: "(2015)", "(2014-2021)", "(2021-)",
#: "(2021-present)"; the group is the first year.
#: A title's run of years in brackets, with its network before them in a list's entries:
#: "(2014-2021)", "(2021-)", "(Prime Video, 2022- )".  Groups: the network, the first year.
YEARS_RUN = (
    r"\((?:([^(),]{2,40}), )?((?:19|20)\d\d)(?:\s*-\s*(?:(?:19|20)\d\d|[Pp]resent|now)?)?\s*\)"
)

_PARTS = re.compile(r"[A-Za-z]+|\d+")


def parse_date(text: str) -> str | None:
    """ISO 8601 (YYYY-MM-DD, YYYY-MM or YYYY) for a date matched by DATE_PATTERN."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    month = next((_MONTHS[w.lower()] for w in _PARTS.findall(text) if w.lower() in _MONTHS), None)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    years = [n for n in numbers if n > 999]
    days = [n for n in numbers if n <= 31]
    if not years:
        return None
    if month is None:
        return f"{years[0]:04d}"
    if not days:
        return f"{years[0]:04d}-{month:02d}"
    try:
        return date(years[0], month, days[0]).isoformat()
    except ValueError:
        return None
