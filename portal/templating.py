"""Template globals and filters shared by every page, and the dates and times written the way
each language writes them (for views, templates, PDFs and notifications alike)."""

import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime
from itertools import cycle
from pathlib import Path

from flask import current_app, g, get_flashed_messages, render_template, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user
from jinja2 import pass_context
from jinja2_fragments.flask import render_block
from markupsafe import Markup, escape

from portal.cookies import csrf_token as signed_csrf_token
from portal.i18n import current_locale
from portal.keys import Recent
from portal.timeutil import to_local


def _asset_version(static_folder: str) -> str:
    """One hash over the static files: changes when any asset does (cache busting, SW cache)."""
    digest = hashlib.sha256()
    for path in sorted(Path(static_folder).rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def asset_url(filename: str) -> str:
    """A static file's URL carrying the asset version (cache-first in the service worker).

    Built once per file and script root: the version only changes with a new start.
    """
    urls = current_app.extensions["portal_asset_urls"]
    key = (request.script_root if request else "", filename)
    url = urls.get(key)
    if url is None:
        url = urls[key] = url_for("static", filename=filename,
                                  v=current_app.config["ASSET_VERSION"])
    return url


def current_lang() -> str:
    """The page's language as the app names it: "zh_CN" or "en"."""
    return "en" if current_locale().language == "en" else "zh_CN"


def month_label(first: date) -> str:
    """A month as the language writes it: "2026年12月", "December 2026"."""
    return format_date(first, get_locale().datetime_skeletons["yMMMM"].pattern)


def when_text(moment: datetime) -> str:
    """Date, weekday and local time, e.g. 2月15日星期一 08:30 / Monday, Feb 15 08:30.

    The date matters: after Friday evening before 春节, "Monday 08:30" may be a week later.
    """
    day = get_locale().datetime_skeletons["MMMEd"].pattern  # CLDR: M月d日E / E, MMM d
    day = day.replace("E", "EEEE")  # the weekday spelt out (the skeletons have only "E")
    return format_datetime(to_local(moment), f"{day} HH:mm")


class _ModuleDeclarations:
    """What the page frame needs from the module list, read once per app instead of per page."""

    def __init__(self):
        from portal.modules import modules

        declared = modules()
        self.nav = sorted((m.nav for m in declared if m.nav), key=lambda entry: entry.order)
        self.account_links = [entry for m in declared for entry in m.account_links]
        self.assets = {m.name: (m.scripts, m.styles) for m in declared}


def _declarations() -> _ModuleDeclarations:
    return current_app.extensions["portal_modules"]


def _for_current_user(entries: list) -> list:
    return [e for e in entries if not e.roles or current_user.has_role(*e.roles)]


def module_nav() -> list:
    """The signed-in person's navigation entries of the modules, in their declared order."""
    return _for_current_user(_declarations().nav)


def module_account_links() -> list:
    """The modules' links on the signed-in person's own page, in list order."""
    return _for_current_user(_declarations().account_links)


def module_assets() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(scripts, styles) of the module whose page this is: loaded on its pages only."""
    return _declarations().assets.get(request.blueprint, ((), ()))


def kept(key: tuple, build: Callable[[], object]):
    """`build()` for `key`, built once per process and then reused (the frame, kept blocks,
    frame parts, bells). For renders that depend on the code and the key alone: every key's
    first element names what it keeps, and the set of keys must be bounded."""
    store = current_app.extensions["portal_kept"]
    value = store.get(key)
    if value is None:
        value = store[key] = build()
    return value


def kept_render(key: tuple, render: Callable[[], str]) -> Markup:
    """`render()` kept per `key`, the render's every input (plain data, see `portal.keys.plain`),
    among the most recently used few thousand: for renders from data, whose keys are not
    bounded. CSRF tokens are holes, filled per request."""
    return fill(_recent(key, lambda: with_holes(render)), {})


def _recent(key: tuple, build: Callable[[], object]):
    """`build()` kept per `key` and the language and script root, among the most recently used."""
    store = current_app.extensions["portal_recent"]
    key = (str(current_locale()), request.script_root, *key)
    value = store.get(key)
    if value is None:
        value = build()
        store.put(key, value)
    return value


# A hole in a kept template: private-use characters that no text of ours contains and that
# escaping leaves alone, around the hole's name.
HOLE = re.compile("\ue000([a-z_]+)\ue001")


def hole(name: str) -> Markup:
    return Markup(f"\ue000{name}\ue001")


def csrf_token() -> str:
    """The CSRF token; while a kept template is rendered, its hole (filled per request)."""
    if g.get("portal_holes"):
        return hole("csrf")
    return signed_csrf_token()


def with_holes(render: Callable[[], str]) -> list[str]:
    """What `render()` writes, as [text, hole name, text, ...]: CSRF tokens become holes.

    For a kept render: keep the list, then `fill` it on each request.
    """
    g.portal_holes = True
    try:
        return HOLE.split(render())
    finally:
        g.portal_holes = False


def fill(pieces: list[str], values: dict) -> Markup:
    """A kept render with this request's values in its holes (already escaped, or Markup)."""
    if "csrf" not in values and "csrf" in pieces[1::2]:
        values["csrf"] = escape(signed_csrf_token())
    return Markup("".join([values[piece] if odd else piece
                           for odd, piece in zip(cycle((False, True)), pieces)]))


def encoded(pieces: list[str]) -> list:
    """Kept pieces with their text as UTF-8 (the hole names stay text), for `fill_encoded`."""
    return [piece if odd else piece.encode() for odd, piece in zip(cycle((False, True)), pieces)]


def fill_encoded(pieces: list, values: dict) -> bytes:
    """`fill` of `encoded` pieces, as UTF-8: a page kept whole (the menu) is joined once and not
    encoded again; a fifth of its cost was copying and encoding the text it had kept."""
    if "csrf" not in values and "csrf" in pieces[1::2]:
        values["csrf"] = escape(signed_csrf_token())
    return b"".join([(values[piece] if type(values[piece]) is bytes
                      else str(values[piece]).encode()) if odd else piece
                     for odd, piece in zip(cycle((False, True)), pieces)])


@pass_context
def page_frame(context, title: str, body_attrs: str) -> tuple[Markup, Markup]:
    """The page frame around a page's content (before, after), for base.html."""
    # The page's own current_user: a page kept on the phone for anyone renders as nobody's.
    user = context.get("current_user", current_user)
    return frame_halves(user._get_current_object() if user is current_user else user, title,
                        body_attrs)


def framed(title: str, content: Markup | bytes, body_attrs: str = "") -> bytes:
    """A page whose content is already rendered (kept, or `fill_encoded`), in the frame, without
    a template: the page's body as UTF-8, from the frame's text kept encoded."""
    key, pieces, values = _frame(current_user._get_current_object(), escape(title), body_attrs)
    values["content"] = content
    return fill_encoded(kept((*key, "utf-8"), lambda: encoded(pieces)), values)


def kept_page(template: str, key: tuple, context: Callable[[], dict]) -> bytes:
    """A module's main page kept per `key` (as `kept_render`: plain data, every value the page
    shows besides the language and the script root), framed without a template: `template`'s
    title, body_attrs and content blocks, rendered from `context()` on a new key only."""
    def render() -> tuple[Markup, Markup, list[str]]:
        values = context()
        blocks = current_app.jinja_env.get_template(template).blocks
        title, body_attrs = (Markup(render_block(template, name, **values) if name in blocks
                                    else "") for name in ("title", "body_attrs"))
        return title, body_attrs, with_holes(lambda: render_block(template, "content", **values))

    title, body_attrs, pieces = _recent(("page", template, *key), render)
    return framed(title, fill(pieces, {}), body_attrs)


def frame_halves(user, title: str, body_attrs: str) -> tuple[Markup, Markup]:
    """The page frame (before, after the content) for `user`'s page titled `title`.

    _frame.html is rendered once per language, roles, page and script root, then kept as its
    text between holes; each request fills the holes (title, CSRF token, the person's name, the
    bell, flashed messages, the language form's return path) with its own values, escaped. So
    the kept text may depend on nothing else: the key holds every input the template may use;
    the set of keys is bounded (languages x role sets x endpoints), and a new start (new assets,
    new code) begins an empty one.
    """
    _key, pieces, values = _frame(user, title, body_attrs)
    middle = pieces.index("content")
    return fill(pieces[:middle], values), fill(pieces[middle + 1:], values)


def _frame(user, title: str, body_attrs: str) -> tuple[tuple, list[str], dict]:
    """The frame's key, its kept pieces and this request's values for its holes."""
    signed_in = user.is_authenticated
    locale = str(current_locale())
    key = ("frame", locale, user.roles if signed_in else None, request.endpoint,
           request.script_root)
    pieces = kept(key, lambda: HOLE.split(render_template("_frame.html", hole=hole,
                                                          current_user=user)))
    values = {"title": title, "body_attrs": body_attrs,
              "next": escape(request.full_path if request.query_string else request.path),
              "flashes": _flashes()}
    if signed_in:
        values.update(user_id=escape(user.id), user_name=escape(user.name),
                      employee_no=escape(user.employee_no), bell=_bell(locale, user))
    return key, pieces, values


def kept_block(template: str, block: str, key: tuple, context: Callable[[], dict]) -> Markup:
    """A page's block that depends only on `key`, the language and the code (a blank form that
    everyone opens): rendered once with `context()` and its CSRF tokens as holes, then filled
    per request. The set of keys must be bounded: the key is the caller's promise that nothing
    else (no person, no data) goes into the block.
    """
    full = ("block", template, block, str(current_locale()), request.script_root, *key)
    pieces = kept(full, lambda: with_holes(lambda: render_block(template, block, **context())))
    return fill(pieces, {})


def frame_part(template: str) -> Markup:
    """A part of a page that depends only on the language, the person's roles and the page (a
    module's sub-navigation, say), rendered once per those and then reused.

    So a frame part may depend on nothing else: no name, count, token or form value. The key
    holds every input it may use; the set of keys is bounded (languages x role sets x
    endpoints), and a new start (new assets, new code) begins an empty one.
    """
    user = current_user._get_current_object()
    roles = user.roles if user.is_authenticated else None
    key = ("part", template, str(current_locale()), roles, request.endpoint,
           request.script_root)
    return kept(key, lambda: Markup(render_template(template)))


def _flashes() -> str:
    return "".join(f'<div class="flash {escape(category)}" role="status">{escape(message)}</div>'
                   for category, message in get_flashed_messages(with_categories=True))


def _bell(locale: str, user) -> Markup:
    """The bell with its unread count, kept per language and count (below 100)."""
    from portal.blueprints.notifications.services import unread_count

    count = unread_count(user)

    def render() -> Markup:
        return Markup(render_template("notifications/_bell.html", count=count))

    return render() if count >= 100 else kept(("bell", locale, count, request.script_root),
                                               render)


# CLDR patterns of digits only read the same in every language: strftime writes them without
# Babel's pattern machinery (about 20 µs a call, and a list shows one per row).
DIGIT_PATTERNS = {"yyyy-MM-dd HH:mm": "%Y-%m-%d %H:%M", "yyyy-MM-dd": "%Y-%m-%d",
                  "HH:mm": "%H:%M", "HH:mm:ss": "%H:%M:%S"}


def init_app(app) -> None:
    version = _asset_version(app.static_folder)
    app.config["ASSET_VERSION"] = version
    app.extensions["portal_asset_urls"] = {}
    app.extensions["portal_modules"] = _ModuleDeclarations()
    app.extensions["portal_kept"] = {}
    app.extensions["portal_recent"] = Recent(app.config.get("KEPT_RENDERS", 4096))

    def html_lang() -> str:
        return "zh-CN" if str(current_locale()).startswith("zh") else "en"

    def localtime(value, fmt: str = "yyyy-MM-dd HH:mm") -> str:
        if not value:
            return ""
        digits = DIGIT_PATTERNS.get(fmt)
        if digits:
            return to_local(value).strftime(digits)
        return format_datetime(to_local(value), fmt)

    @app.after_request
    def cache_versioned_assets(response):
        """A static file asked for with the current ?v= never changes: keep it a year.

        Read into memory (static files are small) so that compression applies to it.
        """
        if request.endpoint == "static" and response.status_code == 200:
            if request.args.get("v") == version:
                response.cache_control.no_cache = None
                response.cache_control.public = True
                response.cache_control.max_age = 31_536_000
                response.cache_control.immutable = True
            response.direct_passthrough = False
            response.set_data(response.get_data())
        return response

    app.jinja_env.globals.update(asset=asset_url, html_lang=html_lang, current_lang=current_lang,
                                 module_nav=module_nav, module_account_links=module_account_links,
                                 module_assets=module_assets, page_frame=page_frame,
                                 frame_part=frame_part,
                                 csrf_token=csrf_token)
    # Flask-WTF's context processor sets its own csrf_token in every page's context: ours wins.
    app.context_processor(lambda: {"csrf_token": csrf_token})
    app.jinja_env.filters["localtime"] = localtime
