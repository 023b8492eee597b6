"""How aidpress prints a date: one form for every date on every handout.

A patient's appointment on a sheet ("Tue 1 Dec 2026, 10:30"), a leaflet's produced and
review-by dates in its footer and About block, a pack's cover ("26 Nov 2026"): day, the
month's name, year. The clinic's `date_format` says how the clinic *writes* dates (read
in aidpress/patient.py); whatever it is, a printed date spells the month, so no reader,
in any country, can take 01/12 for 12 January. Pure: the same date gives the same text
(output stays deterministic; no locale, no clock).
"""

from __future__ import annotations

import datetime

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def printed(date: datetime.date, time: str | None = None, weekday: bool = True) -> str:
    """2026-12-01 → 'Tue 1 Dec 2026' (with `time` '10:30': 'Tue 1 Dec 2026, 10:30'; without
    the weekday: '1 Dec 2026', as a leaflet's dates are printed)."""
    text = f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    if weekday:
        text = f"{DAYS[date.weekday()]} {text}"
    return f"{text}, {time}" if time else text
