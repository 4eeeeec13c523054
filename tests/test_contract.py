"""The module contract: a new module is its folder plus one line in portal/modules.py, and
every module answers the shared questions one way (settings whose defaults are declared once
and that reading never writes)."""

import ast
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rq import Queue
from sqlalchemy import func, select

import portal.modules
from jobs import scheduler
from jobs.cron import schedule
from portal import create_app
from portal.blueprints.canteen.models import CanteenSettings
from portal.blueprints.repairs.models import RepairSettings
from portal.extensions import babel, db
from portal.redis_conn import get_redis
from tests.conftest import Auth, Client

ROOT = Path(__file__).resolve().parent.parent


def _rows(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_opening_a_settings_page_shows_the_defaults_and_saves_nothing(client, auth, make_user):
    auth.login(make_user("employee", "facilities", "canteen"))
    repairs = client.get("/repairs/settings").get_data(as_text=True)
    assert 'name="auto_confirm_days" required type="number" value="7"' in repairs
    canteen = client.get("/canteen/settings").get_data(as_text=True)
    assert 'value="17:30"' in canteen
    assert (_rows(RepairSettings), _rows(CanteenSettings)) == (0, 0)


def test_the_first_save_creates_the_one_settings_row_and_is_audited(client, auth, make_user):
    from portal.blueprints.audit.models import AuditEntry

    auth.login(make_user("employee", "facilities", "canteen"))
    for _ in range(2):
        assert client.post("/repairs/settings", data={
            "auto_confirm_days": "3", "remind_before_minutes": "30"}).status_code == 303
        assert client.post("/canteen/settings", data={
            "night_cutoff": "18:00", "deadline_weekday": "3",
            "deadline_time": "12:00"}).status_code == 303
    assert (_rows(RepairSettings), _rows(CanteenSettings)) == (1, 1)
    assert db.session.scalar(select(RepairSettings)).auto_confirm_days == 3
    assert db.session.scalar(select(CanteenSettings)).night_cutoff == "18:00"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["repairs.settings", "canteen.settings"] * 2



# ---- A module is its folder plus one line: a throwaway one, built at test time -------------

THROWAWAY = {
    "__init__.py": '''
"""A throwaway module: one page, one page for the office, a panel, a document, a job."""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import literal

from portal.modules import Module, NavEntry, Panel
from portal.security import role_required

bp = Blueprint("throwaway", __name__, url_prefix="/throwaway", template_folder="templates")


@bp.get("/")
def index():
    """The module's page."""
    return render_template("throwaway/index.html")


@bp.get("/things/<int:thing_id>")
@role_required("office")
def thing(thing_id: int):
    """One thing, for the office."""
    return render_template("throwaway/index.html")


def count_panel(user, facts) -> dict:
    return {"count": facts["count"]}


def note(document) -> tuple[str, str, bytes]:
    return "note.txt", "text/plain", f"note {document.params['n']}".encode()


def url_arguments(make_user, make_department) -> dict:
    return {"thing_id": make_user().id}


MODULE = Module(
    name="throwaway",
    blueprint=bp,
    panels=(Panel("throwaway/_panel.html", count_panel,
                  facts=lambda: {"count": literal(42)}),),
    documents={"throwaway_note": note},
    cron=(("zs_throwaway.jobs.tidy", "*/10 * * * *"),),
    nav=NavEntry(_l("Throwaway"), "throwaway.index", order=60),
    url_arguments=url_arguments,
)
''',
    "jobs.py": '''
from jobs import app_job


@app_job
def tidy() -> str:
    """Nothing to tidy."""
    return "tidied"
''',
    "templates/throwaway/index.html": '''{% extends "base.html" %}
{% block body_attrs %} data-no-cache="1"{% endblock %}
{% block content %}<h1>{{ _("Throwaway") }}</h1>{% endblock %}
''',
    "templates/throwaway/_panel.html": '''<section class="panel" aria-labelledby="panel-throwaway">
  <h2 id="panel-throwaway">{{ _("Throwaway") }}</h2><p class="throwaway-count">{{ panel.count }}</p>
</section>
''',
}


@pytest.fixture
def throwaway(tmp_path, monkeypatch):
    """The package zs_throwaway in tmp_path (never in portal/), added to the module list."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    folder = tmp_path / "zs_throwaway"
    for name, text in THROWAWAY.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text.lstrip())
    catalogue = Catalog(locale="zh_Hans_CN")
    catalogue.add("Throwaway", "临时模块")
    messages = folder / "translations" / "zh_Hans_CN" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with (messages / "messages.po").open("wb") as handle:
        write_po(handle, catalogue)
    with (messages / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(portal.modules, "MODULE_PACKAGES",
                        [*portal.modules.MODULE_PACKAGES, "zs_throwaway"])
    yield folder
    for name in [name for name in sys.modules if name.startswith("zs_throwaway")]:
        del sys.modules[name]


@pytest.fixture
def contract_app(app, app_config, throwaway):
    """The app built by the factory with the throwaway module in the list."""
    built = create_app(dict(app_config))
    built.test_client_class = Client
    # Flask-Babel keeps merged catalogues on the (process-wide) extension: one app per process
    # in production; here the earlier tests' app already loaded them without this module's.
    babel.domain_instance.cache.clear()
    with built.app_context():
        yield built
    babel.domain_instance.cache.clear()


def test_a_new_module_is_its_folder_and_one_line(contract_app, make_user, make_department):
    app = contract_app
    client = app.test_client()
    # The factory registered its blueprint; Flask-Babel loads its catalogue.
    assert {"throwaway.index", "throwaway.thing"} <= set(app.view_functions)
    assert str(throwaway_folder(app) / "translations") in app.config[
        "BABEL_TRANSLATION_DIRECTORIES"]
    auth = Auth(client)
    auth.login(make_user("employee"))
    home = client.get("/").get_data(as_text=True)
    # The navigation shows it (in Chinese, from its own catalogue), and home shows its panel.
    assert '<a href="/throwaway/">临时模块</a>' in home
    assert '<p class="throwaway-count">42</p>' in home
    page = client.get("/throwaway/").get_data(as_text=True)
    assert '<a href="/throwaway/" aria-current="page">临时模块</a>' in page
    assert client.get("/throwaway/things/1").status_code == 403  # the role sweep's answer
    auth.logout()


def test_a_new_modules_document_cron_and_job_are_picked_up(contract_app, make_user, run_jobs):
    from jobs.documents import render_document
    from portal.blueprints.documents.models import Document

    document = Document(kind="throwaway_note", owner_id=make_user().id, params={"n": 7})
    db.session.add(document)
    db.session.commit()
    assert render_document(document.id) == "done"
    db.session.refresh(document)
    assert (document.filename, document.content) == ("note.txt", b"note 7")

    entry = ("zs_throwaway.jobs.tidy", "*/10 * * * *")
    assert entry in schedule()
    redis = get_redis()
    now = datetime(2026, 12, 2, 10, 1, tzinfo=UTC)
    assert scheduler.tick(redis, [entry], now) == []  # first sight: from now on
    assert scheduler.tick(redis, [entry], now + timedelta(minutes=10)) == [entry[0]]
    [tidy] = Queue(contract_app.config["RQ_QUEUE"], connection=redis).jobs
    run_jobs()  # the worker imports the job by its dotted name
    tidy.refresh()
    assert tidy.return_value() == "tidied"


def test_the_sweeps_find_a_new_modules_pages(contract_app, make_user, make_department):
    from tests.browser.test_accessibility import module_pages
    from tests.test_i18n import _catalogues, _source_folders
    from tests.test_security import _urls, office_pages, page_arguments

    app = contract_app
    client = app.test_client()
    swept = {(endpoint, url) for endpoint, _method, url, _roles in _urls(app)}
    assert {("throwaway.index", "/throwaway/"), ("throwaway.thing", "/throwaway/things/1")
            } <= swept
    assert "/login" in client.get("/throwaway/things/1").location  # anonymous: to sign in
    arguments = page_arguments(make_user, make_department)
    assert set(arguments["throwaway"]) >= {"thing_id", "user_id", "department_id"}
    Auth(client).login(make_user("office"))
    assert "throwaway.thing" in office_pages(app, client, arguments)
    assert "/throwaway/" in module_pages(app)
    # The i18n checks read its catalogue and its source (every message has its Chinese).
    folder = throwaway_folder(app)
    assert folder / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po" in _catalogues()
    assert folder in _source_folders()


def throwaway_folder(app) -> Path:
    return next(m.folder for m in portal.modules.modules() if m.name == "throwaway")


def test_no_view_imports_a_helper_from_a_siblings_routes():
    # Siblings share the blueprint `bp` from routes.py and nothing else: shared helpers live in
    # the foundation (portal/templating.py, portal/timeutil.py) or the module's queries/services.
    offenders = []
    for path in (ROOT / "portal" / "blueprints").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith(".routes"):
                names = {alias.name for alias in node.names} - {"bp"}
                if names:
                    offenders.append(f"{path.relative_to(ROOT)}: {sorted(names)}")
    assert offenders == []


def test_each_modules_url_arguments_open_its_pages(app, client, auth, make_user, make_department):
    # Real objects: every page of a module with a path argument opens (a 404 proves nothing).
    from portal.blueprints.accounts.models import ROLES
    from tests.test_security import _url_for_rule, arguments_for, page_arguments

    arguments = page_arguments(make_user, make_department)
    everyone = make_user(*ROLES)
    opened = []
    for module in portal.modules.modules():
        # A module whose pages open only for their owner names the owner it made ("_signed_in").
        auth.logout()
        auth.login(arguments.get(module.name, {}).get("_signed_in", everyone))
        for rule in app.url_map.iter_rules():
            if rule.endpoint.partition(".")[0] != module.blueprint.name or not rule.arguments \
                    or "GET" not in rule.methods:
                continue
            url = _url_for_rule(app, rule, arguments_for(arguments, rule))
            assert client.get(url).status_code == 200, url
            opened.append(rule.endpoint)
    assert {"canteen.rate_day", "repairs.photo", "tasks.detail"} <= set(opened)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_is_a_portal_form_with_wtforms_messages_in_the_persons_language(app):
    """PortalForm keeps wtforms' own catalogue per language (not read from disk per request)."""
    from flask_babel import refresh
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict

    from portal.blueprints.canteen.forms import DishForm
    from portal.forms import PortalForm

    outside = [f"{cls.__module__}.{cls.__name__}" for cls in _subclasses(FlaskForm)
               if cls is not PortalForm and not issubclass(cls, PortalForm)
               and cls.__module__.startswith("portal.")]
    assert outside == []
    for language, expected in (("zh-CN", "该字段是必填字段。"), ("en", "This field is required.")):
        with app.test_request_context(headers={"Accept-Language": language}):
            refresh()  # the fixture's app context would keep the first request's language
            form = DishForm(formdata=MultiDict([("name_zh", "")]), meta={"csrf": False})
            assert not form.validate()
            assert form.name_zh.errors == [expected]
