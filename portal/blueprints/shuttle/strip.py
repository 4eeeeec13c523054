"""A route's strip map: one vertical line, a dot per stop, the time and name beside it.

Vertical because a phone is narrow: at 360 px the names get the whole width instead of being
squeezed or turned sideways, and a long route only makes the page longer.
"""

from dataclasses import dataclass

from portal.blueprints.shuttle.models import Version

ROW = 44  # px between stops: a comfortable reading line with the note under the name
TOP = 22
NAME_CHARS = 14  # beyond this a name is cut with "…" (the table below has it whole)
NOTE_CHARS = 20


@dataclass(frozen=True)
class StripStop:
    y: int
    time: str
    name: str
    note: str
    mine: bool
    end: bool  # first or last stop: drawn larger


@dataclass(frozen=True)
class Strip:
    height: int
    line_from: int
    line_to: int
    stops: list[StripStop]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def strip_map(version: Version, highlight: int | None = None) -> Strip:
    """The coordinates the template draws (an SVG 340 wide, as high as the route is long)."""
    times = version.times
    last = len(times) - 1
    stops = [StripStop(y=TOP + n * ROW, time=t.time, name=_cut(t.stop.name, NAME_CHARS),
                       note=_cut(t.stop.note, NOTE_CHARS), mine=t.stop_id == highlight,
                       end=n in (0, last)) for n, t in enumerate(times)]
    return Strip(height=TOP * 2 + max(last, 0) * ROW, line_from=TOP, line_to=TOP + last * ROW,
                 stops=stops)
