"""The portal's feature modules, declared once and listed once.

A module is a folder under portal/blueprints/ whose package defines `MODULE = Module(...)`;
adding one to the portal is that folder, one line in `MODULES` below and its migration.
Everything that needs to know the modules (the factory, Alembic, home panels, the scheduler,
the document dispatcher, demo data, the navigation, the security and accessibility sweeps, the
i18n extraction) reads this list; nothing keeps a list of its own. See docs/modules.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Blueprint


@dataclass(frozen=True)
class NavEntry:
    """One destination in the top bar (desktop) and the tab bar (phone)."""

    label: Any  # a lazy_gettext string
    endpoint: str
    roles: frozenset[str] = frozenset()  # empty: every signed-in person
    order: int = 50  # lower comes first; the foundation's Home is 0, Admin 90, Me 100


@dataclass(frozen=True)
class Module:
    """What a module brings to the portal. Only `name` and `blueprint` are required.

    - models: the module's models module, imported so that Alembic sees its tables.
    - panels: home "my day" panels, (roles or None, template, context(user) -> dict | None).
    - documents: background document kinds, kind -> renderer(document) -> (name, mime, bytes).
    - cron: scheduled jobs, (dotted job name, UTC cron expression); the web app never imports
      them, the scheduler enqueues them by name.
    - nav: its entry in the navigation, or None.
    - demo: loads its demo data (called after people, departments and the calendar exist).
    - scripts / styles: paths under static/ loaded on this module's pages only.
    - url_arguments: (make_user, make_department) -> {argument: value}, a real object for each
      path argument of its pages, for the URL sweeps of the test suite.
    """

    name: str
    blueprint: Blueprint
    models: Any = None
    panels: tuple = ()
    documents: dict[str, Callable] = field(default_factory=dict)
    cron: tuple[tuple[str, str], ...] = ()
    nav: NavEntry | None = None
    demo: Callable[[], None] | None = None
    scripts: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()
    url_arguments: Callable[..., dict] | None = None

    @property
    def package(self) -> str:
        return f"portal.blueprints.{self.name}"

    @property
    def folder(self) -> Path:
        return Path(__file__).parent / "blueprints" / self.name

    @property
    def translations(self) -> Path | None:
        folder = self.folder / "translations"
        return folder if folder.is_dir() else None


# The list. One line per module, in the order their home panels appear.
MODULE_PACKAGES = [
    "portal.blueprints.canteen",
    "portal.blueprints.tasks",
    "portal.blueprints.repairs",
    "portal.blueprints.overtime",
]


def modules() -> list[Module]:
    """Every module's declaration, in list order (imported on first use, not at start-up)."""
    return [import_module(package).MODULE for package in MODULE_PACKAGES]
