"""Both languages complete: every message translated, no English on a Chinese page and the
reverse."""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.i18n import catalogue_folders
from portal.modules import modules

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "N_": None}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2"), ("templates/**.html", "jinja2")]


CATALOGUE = "zh_Hans_CN/LC_MESSAGES/messages.po"


def _catalogues() -> list[Path]:
    """The catalogues Flask-Babel loads: each listed module's (Module.translations), then the
    foundation's."""
    return [folder / CATALOGUE for folder in catalogue_folders() if (folder / CATALOGUE).exists()]


def _source_folders() -> list[Path]:
    """Where messages are written: portal/ and jobs/, and any listed module kept elsewhere."""
    folders = [ROOT / "portal", ROOT / "jobs"]
    return folders + [m.folder for m in modules() if not m.folder.is_relative_to(ROOT / "portal")]


def _translations() -> dict:
    translated = {}
    for path in _catalogues():
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if all(strings) and not message.fuzzy:
                    translated[key] = strings
    return translated


def _source_msgids() -> set[str]:
    found = set()
    for folder in _source_folders():
        for _file, _line, message, _comments, _context in extract_from_dir(
                folder, METHODS, keywords=KEYWORDS,
                options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
            found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


def test_catalogues_live_where_babel_looks_for_zh_cn():
    from babel import Locale

    assert str(Locale.parse("zh_CN")) == "zh_Hans_CN"
    assert _catalogues(), "no zh_Hans_CN catalogue found"
    assert not list(ROOT.glob("portal/**/translations/zh_CN")), "zh_CN folders are never loaded"


def test_every_catalogue_belongs_to_the_foundation_or_a_listed_module():
    # A module folder with a catalogue but missing from portal/modules.py would be translated by
    # nobody: Flask-Babel and these checks read the list.
    found = set(ROOT.glob(f"portal/**/translations/{CATALOGUE}"))
    assert found == set(_catalogues())
    listed = {module.translations / CATALOGUE for module in modules() if module.translations}
    assert listed <= found and len(listed) == len(modules())


def test_every_message_in_the_source_has_a_chinese_translation():
    missing = sorted(_source_msgids() - set(_translations()))
    assert missing == [], f"{len(missing)} messages without Chinese: {missing[:20]}"


def test_no_message_is_translated_two_ways_in_two_catalogues():
    # Flask-Babel merges every catalogue into one: where two modules translate one msgid two
    # ways, one of them silently shows the other's word ("Accepted": 已受理 or 已验收?).
    seen, clashes = {}, []
    for path in _catalogues():
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id or not message.string:
                    continue
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                module = path.parts[-5] if "blueprints" in path.parts else "foundation"
                if key in seen and seen[key][1] != message.string:
                    clashes.append((key, seen[key], (module, message.string)))
                seen.setdefault(key, (module, message.string))
    assert clashes == [], f"{len(clashes)} msgids translated differently: {clashes[:10]}"


class _Text(HTMLParser):
    """Visible text and labelling attributes, skipping code and parts marked with another lang."""

    SKIP = {"script", "style", "code"}

    def __init__(self, page_lang: str):
        super().__init__()
        self.page_lang = page_lang
        self.stack: list[bool] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = bool(self.stack and self.stack[-1]) or tag in self.SKIP or (
            "lang" in attrs and tag != "html" and attrs["lang"] != self.page_lang)
        if tag not in {"input", "img", "meta", "link", "br", "hr", "source"}:
            self.stack.append(skipped)
        if not skipped:
            for name in ("aria-label", "placeholder", "title", "alt"):
                if attrs.get(name):
                    self.chunks.append(attrs[name])
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.chunks.append(attrs["value"])

    def handle_endtag(self, tag):
        if self.stack and tag not in {"input", "img", "meta", "link", "br", "hr", "source"}:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.chunks.append(data.strip())


def _visible_text(html: str, lang: str) -> list[str]:
    parser = _Text(lang)
    parser.feed(html)
    return parser.chunks


ALLOWED_LATIN = {"PDF", "XLSX", "CSV", "QR", "SVG", "KB", "BX"}


def _get_pages(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint not in {
                "static", "pwa.manifest", "pwa.service_worker", "health.healthz"}:
            yield rule.rule


def _problems(url: str, html: str, language: str) -> list[tuple[str, str]]:
    """Text in the wrong language on one page (or fragment)."""
    lang = "zh-CN" if language == "zh_CN" else "en"
    if "<html" in html:  # a fragment (e.g. the bell) has no <html>
        assert f'<html lang="{lang}"' in html, url
    problems = []
    for text in _visible_text(html, lang):
        if language == "zh_CN":
            words = set(re.findall(r"[A-Za-z]{3,}", text)) - ALLOWED_LATIN
            if words and not re.search(r"[\u4e00-\u9fff]", text):
                problems.append((url, text))
        elif re.search(r"[\u4e00-\u9fff]", text):
            problems.append((url, text))
    return problems


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_page_renders_completely_in_each_language(app, client, auth, make_user, language):
    from portal.blueprints.accounts.models import ROLES

    user = make_user(*ROLES, name="Lin Emma" if language == "en" else "林小雨", language=language)
    auth.login(user)
    problems = []
    for url in _get_pages(app):
        response = client.get(url)
        if response.status_code in (302, 303):
            continue
        assert response.status_code == 200, (url, response.status_code)
        if response.mimetype != "text/html":
            continue
        problems += _problems(url, response.get_data(as_text=True), language)
    assert problems == [], problems[:20]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_pages_about_one_thing_errors_and_results_render_in_each_language(
        app, client, auth, make_user, make_department, language):
    """What the sweep above cannot reach: URLs with an id, error pages, answers to a POST."""
    from portal.blueprints.accounts.models import ROLES
    from portal.blueprints.documents.models import Document
    from portal.extensions import db

    english = language == "en"
    user = make_user(*ROLES, name="Lin Emma" if english else "林小雨", language=language)
    other = make_user(name="Zhou Min" if english else "周敏", language=language)
    plain = make_user("employee", name="Wu Yong" if english else "吴勇", language=language)
    department = make_department("Quality" if english else "质量部", head=other)
    documents = [Document(kind="users_xlsx", owner_id=user.id, status=status, progress=40,
                          filename="users-20260105.xlsx", size=2048, content=b"x")
                 for status in ("queued", "done", "failed")]
    db.session.add_all(documents)
    db.session.commit()

    auth.login(user)
    answers = [(url, client.get(url)) for url in (
        f"/admin/users/{other.id}", f"/admin/departments/{department.id}", "/no-such-page",
        f"/admin/users/{user.id + 1000}", *(f"/documents/{d.id}" for d in documents))]
    answers.append(("reset", client.post(f"/admin/users/{other.id}/reset-password")))
    nowhere = "Nowhere" if english else "无此部门"
    for name, table in (("import refused", f"employee_no,name,department\nX0001,Ann,\n"
                                             f"X0002,,\nX0003,Bob,{nowhere}\n"),
                        ("import done", "employee_no,name\nX0004,Ann\n")):
        answers.append((name, client.post("/admin/users/import", content_type="multipart/form-data",
                                          data={"file": (io.BytesIO(table.encode()), "p.csv")})))
    auth.logout()
    auth.login(plain)
    answers.append(("403", client.get("/admin/users")))

    statuses = [response.status_code for _url, response in answers]
    assert statuses == [200, 200, 404, 404, 200, 200, 200, 200, 422, 200, 403], statuses
    problems = []
    for url, response in answers:
        problems += _problems(url, response.get_data(as_text=True), language)
    assert problems == [], problems[:20]
