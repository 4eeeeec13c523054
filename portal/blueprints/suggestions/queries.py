"""Reads of the suggestion box: the board, the office's inbox, similar titles, figures."""

import re
from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal import sql
from portal.blueprints.accounts.models import Department, User
from portal.blueprints.suggestions.models import (
    ANSWERED,
    MERGED,
    OPEN,
    PAPER,
    Suggestion,
    SuggestionAnswerer,
    SuggestionCategory,
    number_of,
)
from portal.extensions import db
from portal.modules import USER_ID

PAGE = 30
MIN_GROUP = 5  # figures by department hide departments with fewer submitters than this


class Card(NamedTuple):
    """What a card of the board or of my list shows, as plain values (a kept page's key)."""

    id: int
    title: str
    status: str
    category_id: int
    created_on: date
    plus_count: int

    @property
    def number(self) -> str:
        return number_of(self.id)


_CARD_COLUMNS = (Suggestion.id, Suggestion.title, Suggestion.status, Suggestion.category_id,
                 Suggestion.created_on, Suggestion.plus_count)


@cache
def _board_statement(by_category: bool):
    """Published items, newest first, a page (and one more) from an offset: built once."""
    query = (select(*_CARD_COLUMNS).where(Suggestion.published_at.is_not(None))
             .order_by(Suggestion.published_at.desc(), Suggestion.id.desc())
             .offset(bindparam("offset")).limit(PAGE + 1))
    if by_category:
        query = query.where(Suggestion.category_id == bindparam("category_id"))
    return query


@cache
def _mine_statement():
    return (select(*_CARD_COLUMNS).where(Suggestion.submitter_id == USER_ID)
            .order_by(Suggestion.created_on.desc()).limit(100))


def board(page: int = 1, category_id: int | None = None) -> tuple[list[Card], bool]:
    """Published items, newest first; (items of the page, whether a next page exists)."""
    # Plain columns, without the ORM's statement handling.
    rows = [Card._make(row) for row in sql.rows(
        _board_statement(bool(category_id)),
        {"offset": (page - 1) * PAGE, "category_id": category_id})]
    return rows[:PAGE], len(rows) > PAGE


def mine(user: User) -> list[Card]:
    """A person's named items (anonymous ones are nobody's: only their code finds them)."""
    return [Card._make(row) for row in sql.rows(_mine_statement(), {USER_ID.key: user.id})]


@cache
def _categories_statement():
    return select(SuggestionCategory.id, SuggestionCategory.name_zh, SuggestionCategory.name_en,
                  SuggestionCategory.active).order_by(SuggestionCategory.position,
                                                      SuggestionCategory.id)


def category_names(locale: str) -> tuple[dict[int, str], list[tuple[int, str]]]:
    """Every category's name in the language (cards show inactive ones too), and the active
    ones in the list's order (id, name): one query of plain values."""
    english = str(locale).startswith("en")
    names, active = {}, []
    for category_id, name_zh, name_en, is_active in sql.rows(_categories_statement(), {}):
        names[category_id] = name_en if english else name_zh
        if is_active:
            active.append((category_id, names[category_id]))
    return names, active


def week_bounds(monday: date) -> tuple[date, date]:
    return monday, monday + timedelta(days=6)


def inbox(monday: date, category_id: int | None = None, department_id: int | None = None,
          page: int = 1) -> tuple[list[Suggestion], bool]:
    """The office's week: items that came in that week, open ones first."""
    first, last = week_bounds(monday)
    query = (select(Suggestion)
             .where(Suggestion.created_on.between(first, last))
             .options(joinedload(Suggestion.category),
                      joinedload(Suggestion.department).joinedload(Department.head))
             .order_by((Suggestion.status == OPEN).desc(), Suggestion.created_on,
                       Suggestion.id))
    if category_id:
        query = query.where(Suggestion.category_id == category_id)
    if department_id:
        query = query.where(Suggestion.department_id == department_id)
    rows = list(db.session.scalars(query.offset((page - 1) * PAGE).limit(PAGE + 1)))
    return rows[:PAGE], len(rows) > PAGE


def week_counts(monday: date) -> dict[int, int]:
    """Items per category in the week (the inbox's tabs)."""
    first, last = week_bounds(monday)
    rows = db.session.execute(select(Suggestion.category_id, func.count())
                              .where(Suggestion.created_on.between(first, last))
                              .group_by(Suggestion.category_id))
    return dict(rows.all())


def answerers_of(items: list[Suggestion]) -> dict[int, list[User]]:
    """The named answerers of a page of items, in one query."""
    result = defaultdict(list)
    if not items:
        return result
    rows = db.session.execute(select(SuggestionAnswerer.suggestion_id, User)
                              .join(User, User.id == SuggestionAnswerer.user_id)
                              .where(SuggestionAnswerer.suggestion_id.in_([s.id for s in items])))
    for suggestion_id, user in rows:
        result[suggestion_id].append(user)
    return result


def waiting_on(today: date) -> list[tuple[Department, int, int]]:
    """Who has not answered: per department, items routed and open, and those over a week."""
    overdue = today - timedelta(days=7)
    rows = db.session.execute(
        select(Department, func.count(Suggestion.id),
               func.sum(func.cast(Suggestion.created_on <= overdue, db.Integer)))
        .join(Suggestion, Suggestion.department_id == Department.id)
        .where(Suggestion.status == OPEN)
        .group_by(Department.id).order_by(Department.name))
    return [(department, count, int(late or 0)) for department, count, late in rows]


def _bigrams(title: str) -> list[str]:
    """Search pieces of a title: Latin words, and pairs of Chinese characters."""
    pieces = []
    for word in re.findall(r"[\w]+", title.lower()):
        if re.match(r"^[a-z0-9_]+$", word):
            if len(word) >= 3:
                pieces.append(word)
        else:
            pieces += [word[i:i + 2] for i in range(max(len(word) - 1, 1))]
    return list(dict.fromkeys(pieces))[:8]


def similar(title: str, limit: int = 5, among: int = 2000) -> list[Suggestion]:
    """Board items whose title shares words (or Chinese character pairs) with `title`.

    Looked for among the `among` most recently published (read by the board's index), so the
    search costs the same however long the board grows; older items are rarely the duplicate.
    """
    pieces = _bigrams(title)
    if not pieces:
        return []
    recent = aliased(Suggestion, select(Suggestion).where(Suggestion.published_at.is_not(None))
                     .order_by(Suggestion.published_at.desc()).limit(among).subquery())
    matches = [func.lower(recent.title).contains(piece, autoescape=True) for piece in pieces]
    query = (select(recent).where(recent.status != MERGED, or_(*matches))
             .order_by(recent.plus_count.desc(), recent.published_at.desc()).limit(limit))
    return list(db.session.scalars(query))


def ratings() -> list[Suggestion]:
    """Rated answers, newest answer first, for the office."""
    return list(db.session.scalars(select(Suggestion).where(Suggestion.rating.is_not(None))
                                   .order_by(Suggestion.answered_at.desc()).limit(200)))


def by_department(first: date, last: date) -> tuple[list[tuple[str, int, int]], int, int]:
    """Named items per submitter department: (name, submitters, items) for departments with at
    least MIN_GROUP submitters; the rest are added up as one line, (submitters, items), so a
    count never points at a person. Anonymous and paper items have no department."""
    rows = db.session.execute(
        select(Department.name, func.count(func.distinct(Suggestion.submitter_id)),
               func.count(Suggestion.id))
        .join(User, User.id == Suggestion.submitter_id)
        .join(Department, Department.id == User.department_id)
        .where(Suggestion.created_on.between(first, last))
        .group_by(Department.id, Department.name).order_by(Department.name)).all()
    shown = [(name, people, items) for name, people, items in rows if people >= MIN_GROUP]
    hidden = [(people, items) for name, people, items in rows if people < MIN_GROUP]
    return shown, sum(p for p, _ in hidden), sum(i for _, i in hidden)


def digest(monday: date) -> dict:
    """The week's digest: new, answered and overdue items by category and department, and the
    paper slips with their code hints and outcomes."""
    first, last = week_bounds(monday)
    new = list(db.session.scalars(select(Suggestion).where(
        Suggestion.created_on.between(first, last)).options(joinedload(Suggestion.category))
        .order_by(Suggestion.category_id, Suggestion.created_on)))
    answered = list(db.session.scalars(select(Suggestion).where(
        Suggestion.status.in_(ANSWERED),
        Suggestion.answered_at.is_not(None),
        func.date(Suggestion.answered_at) >= first,
        func.date(Suggestion.answered_at) <= last + timedelta(days=1))
        .options(joinedload(Suggestion.category), joinedload(Suggestion.department))))
    answered.sort(key=lambda s: (s.department.name if s.department else "", s.category_id))
    overdue = list(db.session.scalars(select(Suggestion).where(
        Suggestion.status == OPEN, Suggestion.created_on <= last - timedelta(days=7))
        .options(joinedload(Suggestion.category), joinedload(Suggestion.department))
        .order_by(Suggestion.created_on).limit(300)))
    paper = list(db.session.scalars(select(Suggestion).where(
        Suggestion.channel == PAPER, Suggestion.status != MERGED,
        or_(Suggestion.created_on.between(first, last),
            and_(Suggestion.answered_at.is_not(None), Suggestion.status.in_(ANSWERED),
                 Suggestion.created_on >= first - timedelta(days=56))))
        .options(selectinload(Suggestion.category)).order_by(Suggestion.created_on)))
    return {"first": first, "last": last, "new": new, "answered": answered,
            "overdue": overdue, "paper": paper}
