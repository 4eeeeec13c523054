"""The portal's feature modules, declared once and listed once.

A module is a folder under portal/blueprints/ whose package defines `MODULE = Module(...)`;
adding one to the portal is that folder, one line in `MODULE_PACKAGES` below and its migration.
Everything that needs to know the modules (the factory, Alembic, home panels, the scheduler,
the document dispatcher, demo data, the navigation, the security and accessibility sweeps, the
i18n extraction) reads this list; nothing keeps a list of its own. See docs/modules.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Blueprint
from sqlalchemy import bindparam


@dataclass(frozen=True)
class NavEntry:
    """One destination in the top bar (desktop) and the tab bar (phone)."""

    label: Any  # a lazy_gettext string
    endpoint: str
    roles: frozenset[str] = frozenset()  # empty: every signed-in person
    order: int = 50  # lower comes first; the foundation's Home is 0, Admin 90, Me 100


# What a panel's facts may name; home gives their values with every reading of the facts.
USER_ID = bindparam("user_id")  # the signed-in person's id
NOW = bindparam("now")  # utcnow()
TODAY = bindparam("today")  # local_today()


@dataclass(frozen=True)
class Panel:
    """A home "my day" panel: a template shown with what `context` returns (see docs/modules.md).

    - roles: who sees it (any one of them); None, everyone.
    - facts: () -> {name: SQL scalar expression}, the small values the panel needs (a count,
      whether a list is empty, one column of one row), about the person and the moment only
      through bind parameters: USER_ID, NOW, TODAY above, and those `params` gives. Home builds
      one statement of every shown panel's facts once per process and runs it once per page.
    - params: (user) -> {bind parameter name: value} for the panel's own parameters (names
      starting with the module's name), e.g. the start of this week.
    - context: (user, facts) -> the template's variables (as `panel`), or None to hide it. It
      sends a query only for what it lists, and only when its facts say there is something.
      Values of plain data (text, numbers, dates and times, lists, tuples, dicts and rows of a
      column select; no ORM objects, no clock read to the microsecond) let home keep the
      panel's render per those values (portal.keys.plain): the template may then use
      nothing else that varies (no current_user, no clock, no request). Other values are
      rendered each time.
    """

    template: str
    context: Callable[[Any, dict], dict | None]
    roles: frozenset[str] | None = None
    facts: Callable[[], dict] | None = None
    params: Callable[[Any], dict] | None = None


@dataclass(frozen=True)
class Module:
    """What a module brings to the portal. Only `name` and `blueprint` are required.

    - models: the module's models module, imported so that Alembic sees its tables.
    - panels: home "my day" panels, `Panel`s (above).
    - documents: background document kinds, kind -> renderer(document) -> (name, mime, bytes).
    - cron: scheduled jobs, (dotted job name, UTC cron expression), e.g.
      ("portal.blueprints.canteen.jobs.remind_unpublished_menu", "*/15 * * * *"); the job is
      an `@app_job` in the module's jobs.py. The web app never imports it: the scheduler
      (jobs/cron.py) enqueues it by name.
    - nav: its entry in the navigation, or None.
    - account_links: links on the person's own page ("My account"), e.g. diet preferences.
    - demo: loads its demo data (called after people, departments and the calendar exist).
    - scripts / styles: paths under static/ loaded on this module's pages only.
    - url_arguments: (make_user, make_department) -> {argument: value}, a real object for each
      path argument of its pages, for the URL sweeps of the test suite.
    The module's folder (templates, translations/) is its blueprint's; see docs/modules.md.
    """

    name: str
    blueprint: Blueprint
    models: Any = None
    panels: tuple = ()
    documents: dict[str, Callable] = field(default_factory=dict)
    cron: tuple[tuple[str, str], ...] = ()
    nav: NavEntry | None = None
    account_links: tuple[NavEntry, ...] = ()
    demo: Callable[[], None] | None = None
    scripts: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()
    url_arguments: Callable[..., dict] | None = None

    @property
    def package(self) -> str:
        """The module's package (whose __init__ declares MODULE)."""
        where = sys.modules[self.blueprint.import_name]  # routes.py, or the package itself
        return where.__name__ if hasattr(where, "__path__") else where.__package__

    @property
    def folder(self) -> Path:
        return Path(sys.modules[self.package].__file__).parent

    @property
    def translations(self) -> Path | None:
        folder = self.folder / "translations"
        return folder if folder.is_dir() else None


# The list. One line per module, in the order their home panels appear.
MODULE_PACKAGES = [
    "portal.blueprints.canteen",
    "portal.blueprints.tasks",
    "portal.blueprints.repairs",
    "portal.blueprints.shuttle",
    "portal.blueprints.meetings",
    "portal.blueprints.suggestions",
    "portal.blueprints.overtime",
    "portal.blueprints.visitors",
]


def modules() -> list[Module]:
    """Every module's declaration, in list order (imported on first use, not at start-up)."""
    return [import_module(package).MODULE for package in MODULE_PACKAGES]
