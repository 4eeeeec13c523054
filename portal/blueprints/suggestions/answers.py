"""Writes of the office and the answering departments: route, answer, merge, publish, and the
notifications that follow an outcome. They flush; the caller commits."""

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.notifications.services import notify
from portal.blueprints.suggestions.models import (
    ANSWERED,
    DECLINED,
    DONE,
    MERGED,
    OPEN,
    PLANNED,
    SOLVED,
    Suggestion,
    SuggestionAnswerer,
    SuggestionEvent,
    SuggestionFollow,
    SuggestionMessage,
)
from portal.blueprints.tasks import services as tasks
from portal.blueprints.tasks.sources import SourceLink, TaskSource, register_source
from portal.errors import Refused
from portal.extensions import db
from portal.i18n import N_
from portal.timeutil import local_today, portal_tz, utcnow
from portal.urls import path_for


def detail_path(suggestion: Suggestion) -> str:
    return path_for("suggestions.detail", suggestion_id=suggestion.id)


def _event(suggestion: Suggestion, actor: User | None, action: str, note: str = "") -> None:
    db.session.add(SuggestionEvent(suggestion_id=suggestion.id,
                                   actor_id=actor.id if actor else None,
                                   action=action, note=note, created_at=utcnow()))


def answerer_ids(suggestion: Suggestion) -> set[int]:
    return set(db.session.scalars(select(SuggestionAnswerer.user_id).where(
        SuggestionAnswerer.suggestion_id == suggestion.id)))


def holders(suggestion: Suggestion) -> list[User]:
    """Who answers it now: the department's head and the people they named."""
    if suggestion.department is None:
        return []
    people = {p.id: p for p in db.session.scalars(
        select(User).where(User.id.in_(answerer_ids(suggestion))))}
    if suggestion.department.head is not None:
        people[suggestion.department.head.id] = suggestion.department.head
    return list(people.values())


def can_answer(suggestion: Suggestion, user: User) -> bool:
    return user.has_role("office") or any(p.id == user.id for p in holders(suggestion))


def can_name_answerers(suggestion: Suggestion, user: User) -> bool:
    department = suggestion.department
    return user.has_role("office") or (department is not None and department.head_id == user.id)


def route(suggestion: Suggestion, office: User, department: Department) -> None:
    """Hand an item to the department responsible; its head is told."""
    if suggestion.status == MERGED:
        raise Refused(_l("This suggestion was merged; answer the one it was merged into."))
    suggestion.department_id = department.id
    suggestion.department = department
    suggestion.routed_at = utcnow()
    suggestion.reminded_holder_on = None
    _event(suggestion, office, "routed", department.name)
    if department.head is not None:
        notify(department.head, N_("Suggestion %(number)s was passed to your department"),
               link=detail_path(suggestion), number=suggestion.number)


def name_answerer(suggestion: Suggestion, head: User, person: User) -> None:
    """The head (or the office) names someone of the department to answer for it."""
    if not can_name_answerers(suggestion, head):
        raise Refused(_l("Only the department head or the office names who answers."))
    if suggestion.department_id is None or person.department_id != suggestion.department_id:
        raise Refused(_l("Choose someone from the department the suggestion was passed to."))
    if person.id not in answerer_ids(suggestion):
        db.session.add(SuggestionAnswerer(suggestion_id=suggestion.id, user_id=person.id))
        _event(suggestion, head, "answerer", person.name)
        notify(person, N_("Please answer suggestion %(number)s"), link=detail_path(suggestion),
               number=suggestion.number)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(18, 0), portal_tz())


def outcome_errors(outcome: str, reason: str, target: date | None, today: date) -> dict:
    """The outcome rules, one set for every answer to what people ask for (a suggestion here, a
    new-stop request in the shuttle module): field ("outcome", "reason", "target") -> message.

    An outcome is solved, planned or declined; declined needs the reason; planned needs the
    date it will be done, not in the past. A suggestion's answer asks for more (answer below).
    """
    if outcome not in (SOLVED, PLANNED, DECLINED):
        return {"outcome": _l("Choose an outcome.")}
    errors = {}
    if outcome == DECLINED and not reason.strip():
        errors["reason"] = _l("Say why it is declined.")
    if outcome == PLANNED and target is None:
        errors["target"] = _l("Give the date it will be done.")
    elif outcome == PLANNED and target < today:
        errors["target"] = _l("The target date is in the past.")
    return errors


def answer(suggestion: Suggestion, user: User, outcome: str, text: str, *, link: str = "",
           plan: str = "", owner: User | None = None, target: date | None = None) -> None:
    """Give (or change) the outcome; each outcome needs its own fields, checked here.

    planned: a task for the owner, due on the target date; the item stays planned until that
    task is accepted (on_task_accepted). Supporters hear of it when it is published.
    """
    if not can_answer(suggestion, user):
        raise Refused(_l("Only the department it was passed to, or the office, answers it."))
    if suggestion.status in (MERGED, DONE):
        raise Refused(_l("This suggestion cannot be answered again."))
    text = text.strip()
    errors = outcome_errors(outcome, text, target, local_today())
    if outcome == SOLVED and not text:
        raise Refused(_l("Say what was done."))
    if outcome == PLANNED:
        if not text:
            raise Refused(_l("Say why it cannot be done at once."))
        if not plan.strip() or owner is None or target is None:
            raise Refused(_l("A plan needs what will be done, an owner and a target date."))
    if errors:
        raise Refused(next(iter(errors.values())))
    suggestion.status, suggestion.answer = outcome, text
    suggestion.answer_link = link.strip()[:300] if outcome == SOLVED else ""
    suggestion.plan = plan.strip() if outcome == PLANNED else ""
    suggestion.plan_owner_id = owner.id if outcome == PLANNED else None
    suggestion.target_date = target if outcome == PLANNED else None
    suggestion.answered_by_id, suggestion.answered_at = user.id, utcnow()
    suggestion.outcome_version += 1
    if outcome == PLANNED:
        title = f"{suggestion.number} {suggestion.title}"[:120]
        task = tasks.create_task(user, title, plan.strip(), _end_of(target), owner=owner,
                                 details=text, source_kind="suggestion", source_id=suggestion.id)
        suggestion.task_id = task.id
    _event(suggestion, user, outcome, text)
    db.session.flush()
    tell_supporters(suggestion)


def on_task_accepted(task) -> None:
    """The planned work was accepted: the item's plan is carried out."""
    suggestion = db.session.get(Suggestion, task.source_id)
    if suggestion is None or suggestion.status != PLANNED or suggestion.task_id != task.id:
        return
    suggestion.status = DONE
    suggestion.outcome_version += 1
    _event(suggestion, None, DONE, task.result)
    db.session.flush()
    tell_supporters(suggestion)


def task_source_link(source_id: int, user: User) -> SourceLink | None:
    """The task page's link back to the item, for those who may open the item."""
    suggestion = db.session.get(Suggestion, source_id)
    if suggestion is None or not (suggestion.published_at is not None
                                  or user.has_role("office") or can_answer(suggestion, user)):
        return None
    return SourceLink(_l("Suggestion"), f"{suggestion.number} {suggestion.title}",
                      detail_path(suggestion))


register_source(TaskSource("suggestion", task_source_link, on_accepted=on_task_accepted))


def publish(items: list[Suggestion], user: User) -> int:
    """Put answered items on the board (this week's batch, or one); supporters are told."""
    count = 0
    for suggestion in items:
        if suggestion.status in ANSWERED and suggestion.published_at is None:
            suggestion.published_at = utcnow()
            _event(suggestion, user, "published")
            count += 1
    db.session.flush()
    for suggestion in items:
        tell_supporters(suggestion)
    return count


def tell_supporters(suggestion: Suggestion) -> int:
    """One notification per outcome change to everyone following, once it is published.

    A conditional UPDATE claims the change: of two runs (two requests, a retry), one tells.
    """
    if suggestion.published_at is None:
        return 0
    claimed = db.session.execute(
        update(Suggestion)
        .where(Suggestion.id == suggestion.id,
               Suggestion.notified_version < suggestion.outcome_version)
        .values(notified_version=suggestion.outcome_version)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return 0
    followers = db.session.scalars(select(User).join(
        SuggestionFollow, SuggestionFollow.user_id == User.id).where(
        SuggestionFollow.suggestion_id == suggestion.id, SuggestionFollow.active.is_(True)))
    count = 0
    for person in followers:
        notify(person, N_("Suggestion %(number)s has an answer: %(subject)s"),
               link=detail_path(suggestion), number=suggestion.number, subject=suggestion.title)
        count += 1
    return count


def merge(duplicate: Suggestion, kept: Suggestion, office: User) -> int:
    """Merge a duplicate into the kept item. Its supporters are told once and may follow the
    kept one themselves: their support is not moved for them. Returns how many were told."""
    if duplicate.id == kept.id or kept.status == MERGED:
        raise Refused(_l("Choose another suggestion to keep."))
    if duplicate.status == MERGED:
        raise Refused(_l("This suggestion was merged already."))
    duplicate.status, duplicate.merged_into_id = MERGED, kept.id
    _event(duplicate, office, "merged", kept.number)
    _event(kept, office, "merged_in", duplicate.number)
    followers = db.session.scalars(select(User).join(
        SuggestionFollow, SuggestionFollow.user_id == User.id).where(
        SuggestionFollow.suggestion_id == duplicate.id, SuggestionFollow.active.is_(True)))
    count = 0
    for person in followers:
        notify(person, N_("Suggestion %(number)s was merged into %(kept)s"),
               N_("Open %(kept)s and follow it to hear its outcome."),
               link=detail_path(kept), number=duplicate.number, kept=kept.number)
        count += 1
    return count


def staff_reply(suggestion: Suggestion, user: User, body: str) -> None:
    if not can_answer(suggestion, user):
        raise Refused(_l("Only the department it was passed to, or the office, answers it."))
    if not body.strip():
        raise Refused(_l("Write your reply."))
    db.session.add(SuggestionMessage(suggestion_id=suggestion.id, from_submitter=False,
                                     author_id=user.id, body=body.strip(),
                                     created_on=local_today()))
    if suggestion.submitter is not None:  # named: told at once; anonymous: reads it by code
        notify(suggestion.submitter, N_("A reply on your suggestion %(number)s"),
               link=detail_path(suggestion), number=suggestion.number)


def tell_replies(today: date) -> int:
    """Submitter replies written before today and not yet told: those who answer the item (or
    the office) hear of them once, the next day, in one notification per item. Each day is
    claimed by a conditional UPDATE, so a second run tells nobody twice."""
    yesterday = today - timedelta(days=1)
    items = db.session.scalars(select(Suggestion).where(Suggestion.id.in_(
        select(SuggestionMessage.suggestion_id).join(
            Suggestion, Suggestion.id == SuggestionMessage.suggestion_id).where(
            SuggestionMessage.from_submitter.is_(True), SuggestionMessage.created_on <= yesterday,
            or_(Suggestion.replies_told_on.is_(None),
                SuggestionMessage.created_on > Suggestion.replies_told_on))))).all()
    office = None
    told = 0
    for suggestion in items:
        claimed = db.session.execute(
            update(Suggestion).where(Suggestion.id == suggestion.id, or_(
                Suggestion.replies_told_on.is_(None), Suggestion.replies_told_on < yesterday))
            .values(replies_told_on=yesterday).execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        people = holders(suggestion)
        if not people:
            office = office if office is not None else User.with_role("office")
            people = office
        for person in people:
            notify(person, N_("The submitter of suggestion %(number)s replied"),
                   link=detail_path(suggestion), number=suggestion.number)
        told += 1
    return told


def remind_unanswered(today: date) -> tuple[int, int]:
    """A week without an answer: remind the holders once, then (two days on) the office once.

    Each reminder is claimed by a conditional UPDATE of its own date column, so a second run, or
    two at once, sends nothing more. Returns (items reminded to holders, to the office).
    """
    overdue = today - timedelta(days=7)
    items = db.session.scalars(select(Suggestion).where(
        Suggestion.status == OPEN, Suggestion.created_on <= overdue,
        Suggestion.reminded_office_on.is_(None)))
    office = None
    holder_count = office_count = 0
    for suggestion in list(items):
        people = holders(suggestion)
        if people and suggestion.reminded_holder_on is None:
            if _claim(suggestion, Suggestion.reminded_holder_on, today):
                for person in people:
                    notify(person, N_("Suggestion %(number)s has waited a week for an answer"),
                           link=detail_path(suggestion), number=suggestion.number)
                holder_count += 1
            continue
        if people and suggestion.reminded_holder_on > today - timedelta(days=2):
            continue
        if _claim(suggestion, Suggestion.reminded_office_on, today):
            office = office if office is not None else User.with_role("office")
            for person in office:
                notify(person, N_("Suggestion %(number)s is still unanswered"),
                       link=detail_path(suggestion), number=suggestion.number)
            office_count += 1
    return holder_count, office_count


def _claim(suggestion: Suggestion, column, today: date) -> bool:
    return db.session.execute(
        update(Suggestion).where(Suggestion.id == suggestion.id, column.is_(None))
        .values({column: today}).execution_options(synchronize_session=False)
    ).rowcount == 1
