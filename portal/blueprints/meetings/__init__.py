"""Rooms and meetings 会议: booking a room (never twice for one time), the meeting's notice with
its calendar file, answers, reminders, the equipment check for facilities, minutes whose action
items become tasks, and the meeting's PDF."""

from flask_babel import lazy_gettext as _l

from portal.blueprints.meetings import (  # noqa: F401
    demo,
    documents,
    minutes,
    models,
    panels,
    rooms,
    task_sources,
)
from portal.blueprints.meetings.routes import bp
from portal.modules import Module, NavEntry

MODULE = Module(
    name="meetings",
    blueprint=bp,
    models=models,
    panels=tuple(panels.PANELS),
    documents=documents.RENDERERS,
    cron=(
        ("portal.blueprints.meetings.jobs.send_meeting_reminders", "*/5 * * * *"),
        ("portal.blueprints.meetings.jobs.release_unclaimed_rooms", "* * * * *"),
    ),
    nav=NavEntry(_l("Meetings"), "meetings.index", order=25),
    demo=demo.load_demo,
    styles=("css/meetings.css",),
    url_arguments=demo.url_arguments,
)
