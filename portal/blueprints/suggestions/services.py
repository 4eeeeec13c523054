"""Writes of the suggestion box that come from employees: submitting, +1, following, the
follow-up code. They flush; the caller commits.

Anonymous and paper items are written so that nothing in the database points at a person:
no user id, no department, the day only, a random id, no audit entry, no notification.
"""

import hashlib
import hmac
import re
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.blueprints.accounts.models import User
from portal.blueprints.suggestions.models import (
    ANSWERED,
    ONLINE,
    PAPER,
    Suggestion,
    SuggestionCategory,
    SuggestionEvent,
    SuggestionFollow,
    SuggestionMessage,
    SuggestionPhoto,
    SuggestionSupport,
)
from portal.errors import Refused
from portal.extensions import db
from portal.timeutil import local_today

# Crockford's base32 without look-alikes: 16 characters = 80 random bits, shown in groups of 4.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_CODE = re.compile(f"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """What a person typed, as stored: no spaces or dashes, upper case, O→0 and I/L→1."""
    code = re.sub(r"[\s\-]", "", code or "").upper()
    return code.translate(str.maketrans("OIL", "011"))


def show_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def hash_code(code: str) -> str:
    """HMAC-SHA256 keyed with the app's secret. The code has 80 random bits, so a fast hash is
    enough (nothing to brute-force), and the key means a copy of the database alone cannot
    even test a guess."""
    key = ("suggestion-code:" + current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def by_code(code: str) -> Suggestion | None:
    code = normalize_code(code)
    if not _CODE.match(code):
        return None
    return db.session.scalar(select(Suggestion).where(Suggestion.code_hash == hash_code(code)))


def new_id() -> int:
    """A random id in [2^30, 2^31): eight hex digits, fits any integer column (tasks.source_id)."""
    while True:
        candidate = secrets.randbelow(2**30) + 2**30
        if db.session.get(Suggestion, candidate) is None:
            return candidate


def categories(active_only: bool = True) -> list[SuggestionCategory]:
    query = select(SuggestionCategory).order_by(SuggestionCategory.position, SuggestionCategory.id)
    if active_only:
        query = query.where(SuggestionCategory.active.is_(True))
    return list(db.session.scalars(query))


def _add_photo(suggestion: Suggestion, photo: tuple[bytes, int, int] | None) -> None:
    if photo is not None:
        data, width, height = photo
        suggestion.photo = SuggestionPhoto(data=data, width=width, height=height)


def submit(user: User, category_id: int, title: str, text: str, *, anonymous: bool,
           photo: tuple[bytes, int, int] | None = None, code: str = "",
           intake: str = "") -> tuple[Suggestion, str]:
    """A suggestion from an employee; returns it and its follow-up code ("" when named).

    Anonymous: no submitter, no follow, no audit entry and no notification; the code (the one
    the phone made, or a new one) is kept only as its hash. `intake` is the outbox id.
    """
    suggestion = Suggestion(id=new_id(), category_id=category_id, title=title.strip(),
                            text=text.strip(), channel=ONLINE, anonymous=anonymous,
                            created_on=local_today(), status="open", answer="", answer_link="",
                            plan="", code_hint="", rating_comment="", plus_count=0,
                            outcome_version=0, notified_version=0)
    if intake:
        suggestion.intake_hash = hashlib.sha256(intake.encode()).hexdigest()
    if anonymous:
        code = normalize_code(code)
        if not _CODE.match(code):
            code = new_code()
        suggestion.code_hash = hash_code(code)
    else:
        code = ""
        suggestion.submitter_id = user.id
    _add_photo(suggestion, photo)
    db.session.add(suggestion)
    db.session.flush()
    if not anonymous:
        follow(user, suggestion)
    return suggestion, code


def taken_intake(intake: str) -> Suggestion | None:
    """The item an outbox id already made (a replay of an anonymous form), if any."""
    digest = hashlib.sha256(intake.encode()).hexdigest()
    return db.session.scalar(select(Suggestion).where(Suggestion.intake_hash == digest))


def enter_paper(office: User, category_id: int, title: str, text: str,
                scan: tuple[bytes, int, int] | None = None) -> tuple[Suggestion, str]:
    """A slip from the paper box, typed in by the office; returns it and its new code."""
    code = new_code()
    suggestion = Suggestion(id=new_id(), category_id=category_id, title=title.strip(),
                            text=text.strip(), channel=PAPER, anonymous=True,
                            created_on=local_today(), status="open", code_hash=hash_code(code),
                            code_hint=code[:4], answer="", answer_link="", plan="",
                            rating_comment="", plus_count=0, outcome_version=0,
                            notified_version=0)
    _add_photo(suggestion, scan)
    db.session.add(suggestion)
    db.session.flush()
    db.session.add(SuggestionEvent(suggestion_id=suggestion.id, actor_id=office.id,
                                   action="paper", note=""))
    return suggestion, code


def follow(user: User, suggestion: Suggestion, on: bool = True) -> None:
    """Start (or stop) hearing about outcome changes; one row per person and item."""
    row = db.session.scalar(select(SuggestionFollow).where(
        SuggestionFollow.suggestion_id == suggestion.id, SuggestionFollow.user_id == user.id))
    if row is not None:
        row.active = on
        return
    try:
        with db.session.begin_nested():
            db.session.add(SuggestionFollow(suggestion_id=suggestion.id, user_id=user.id,
                                            active=on))
    except IntegrityError:  # a concurrent request made it first
        db.session.execute(update(SuggestionFollow).where(
            SuggestionFollow.suggestion_id == suggestion.id,
            SuggestionFollow.user_id == user.id).values(active=on))


def support(user: User, suggestion: Suggestion) -> bool:
    """+1 (and follow). False when this person had already: the unique constraint decides."""
    try:
        with db.session.begin_nested():
            db.session.add(SuggestionSupport(suggestion_id=suggestion.id, user_id=user.id))
    except IntegrityError:
        return False
    # Counted in SQL, not read-add-write: two +1s at once both count.
    db.session.execute(update(Suggestion).where(Suggestion.id == suggestion.id)
                       .values(plus_count=Suggestion.plus_count + 1))
    follow(user, suggestion)
    return True


def supported(user: User, suggestion: Suggestion) -> bool:
    return db.session.scalar(select(SuggestionSupport.id).where(
        SuggestionSupport.suggestion_id == suggestion.id,
        SuggestionSupport.user_id == user.id)) is not None


def following(user: User, suggestion: Suggestion) -> bool:
    return bool(db.session.scalar(select(SuggestionFollow.active).where(
        SuggestionFollow.suggestion_id == suggestion.id, SuggestionFollow.user_id == user.id)))


def reply_as_submitter(suggestion: Suggestion, body: str) -> None:
    """The submitter answers back (with the code, or signed in on a named item): no person."""
    if not body.strip():
        raise Refused(_l("Write your reply."))
    db.session.add(SuggestionMessage(suggestion_id=suggestion.id, from_submitter=True,
                                     body=body.strip(), created_on=local_today()))


def rate(suggestion: Suggestion, rating: int, comment: str) -> None:
    """The submitter rates the answer, 1–5 and a comment; a later rating replaces it."""
    if suggestion.status not in ANSWERED:
        raise Refused(_l("There is no answer to rate yet."))
    if rating not in range(1, 6):
        raise Refused(_l("Choose a rating from 1 (very poor) to 5 (very good)."))
    suggestion.rating = rating
    suggestion.rating_comment = comment.strip()
