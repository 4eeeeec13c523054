"""Where a task came from: a meeting, a visit step, a suggestion… (`Task.source_kind`/`source_id`).

Tasks do not know the modules that create them. A module that creates tasks declares its
kind of source once, in its package __init__.py (so it is declared whenever the module is
loaded):

    register_source(TaskSource(
        kind="suggestion",                      # what it stores in Task.source_kind
        link=suggestion_link,                   # (source_id, user) -> SourceLink | None
        on_accepted=mark_suggestion_done,       # (task) -> None, optional
        on_cancelled=reopen_suggestion,         # (task) -> None, optional
    ))

and creates its tasks with `services.create_task(..., source_kind="suggestion", source_id=s.id)`.

- `link` gives the task page its link back ("From: Suggestion JY-00012"); return None when the
  source is gone or `user` may not see it, and the page shows no link.
- `on_accepted` / `on_cancelled` run inside the step that closed the task, before the caller
  commits: what they write is committed with the acceptance, and if they raise, the step is
  undone as a whole. They are called once per task, when it is accepted or cancelled.

A module that moves or drops what its tasks came from (a meeting moved or cancelled) calls
`services.move_due_for_source` / `services.cancel_for_source`, which act on the open tasks of
that source as the system, with the reason on each task's timeline.

Use one kind per kind of link: a meeting's action items ("meeting") and its equipment check
("meeting_check") are different kinds, so moving the meeting moves only the check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portal.blueprints.accounts.models import User
    from portal.blueprints.tasks.models import Task


@dataclass(frozen=True)
class SourceLink:
    """The link back shown on a task's page: "<kind label>: <label>" pointing at `url`."""

    kind_label: Any  # lazy_gettext, e.g. _l("Suggestion")
    label: str  # e.g. the suggestion's number and title
    url: str


@dataclass(frozen=True)
class TaskSource:
    kind: str  # at most 20 characters, stored in Task.source_kind
    link: Callable[[int, User], SourceLink | None]
    on_accepted: Callable[[Task], None] | None = None
    on_cancelled: Callable[[Task], None] | None = None


_SOURCES: dict[str, TaskSource] = {}


def register_source(source: TaskSource) -> None:
    """Declare a kind of source. Declaring the same kind again replaces it (module reloads)."""
    if not source.kind or len(source.kind) > 20:
        raise ValueError(f"source kind must be 1-20 characters: {source.kind!r}")
    _SOURCES[source.kind] = source


def source_of(kind: str) -> TaskSource | None:
    return _SOURCES.get(kind) if kind else None


def link_for(task: Task, user: User) -> SourceLink | None:
    """The link back to what `task` came from, for `user`; None if there is none to show."""
    source = source_of(task.source_kind)
    if source is None or task.source_id is None:
        return None
    return source.link(task.source_id, user)


def closed(task: Task, outcome: str) -> None:
    """Tell the task's source that it was accepted or cancelled (outcome: the new status)."""
    source = source_of(task.source_kind)
    if source is None or task.source_id is None:
        return
    callback = source.on_accepted if outcome == "accepted" else source.on_cancelled
    if callback is not None:
        callback(task)
