"""The modules' main pages send a bounded number of SQL statements, however many rows they list
(issue 18: no page above 8 with the frame's own).

Each page is opened by its demo user on the demo company, with several more rows added that the
page lists, each with another person, place or dish: a page that read the people, rooms or dishes
shown one row at a time (N+1) would send more statements than allowed. The page's own count is
its total minus the frame's, measured on a page with no statements of its own (/more) for the
same person, so the bound holds whatever the frame costs. A page is counted on its second
opening: what is kept per version of the data (the published menu) is read on the first.
"""

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from portal import demo
from portal.blueprints.accounts.models import Department, User
from portal.extensions import db
from portal.timeutil import local_today, utcnow

OWN_STATEMENTS = 7  # 8 per page at most, the frame's (the user loader) included
ROWS = 6  # rows added to each list, each with another person, place or dish


def _statements(client, path: str) -> int:
    """The statements one GET of `path` sends (after a first GET, which fills what is kept)."""
    assert client.get(path).status_code == 200, path
    sent = []

    def count(*_args, **_kwargs):
        sent.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, (path, response.status_code)
    return len(sent)


def _own_statements(client, employee_no: str, path: str) -> int:
    response = client.post("/login", data={"employee_no": employee_no,
                                           "password": demo.DEMO_PASSWORD})
    assert response.status_code == 303
    return _statements(client, path) - _statements(client, "/more")


def _user(employee_no: str) -> User:
    return User.by_employee_no(employee_no)


def _others(count: int = ROWS) -> list[User]:
    """Demo people who are none of the named logins, each from the list in turn."""
    return list(db.session.scalars(select(User).where(User.employee_no.like("P%"))
                                   .order_by(User.employee_no).limit(count)))


@pytest.fixture
def company(app):
    demo.load()
    return app


def test_my_tasks_page(company, client):
    from portal.blueprints.tasks.models import ACCEPTED, IN_PROGRESS, OPEN, Task

    me, now = _user("E1001"), utcnow()
    departments = list(db.session.scalars(select(Department)))
    for i, person in enumerate(_others()):
        db.session.add_all([
            Task(title=f"给我 {i}", acceptance="-", assigner_id=person.id, owner_id=me.id,
                 due_at=now + timedelta(days=i + 1), status=OPEN),
            Task(title=f"我派 {i}", acceptance="-", assigner_id=me.id, owner_id=person.id,
                 due_at=now + timedelta(days=i + 1), status=IN_PROGRESS),
            Task(title=f"部门 {i}", acceptance="-", assigner_id=me.id,
                 department_id=departments[i % len(departments)].id,
                 due_at=now - timedelta(days=1), status=OPEN),
            Task(title=f"已验收 {i}", acceptance="-", assigner_id=person.id, owner_id=me.id,
                 due_at=now - timedelta(days=2), status=ACCEPTED,
                 closed_at=now - timedelta(days=1)),
        ])
    db.session.commit()
    assert _own_statements(client, "E1001", "/tasks/") <= OWN_STATEMENTS


def test_overtime_page(company, client):
    from portal.blueprints.canteen.models import Dish, NightReservation
    from portal.blueprints.overtime.models import Claim, OvertimeRecord

    me, today = _user("E1001"), local_today()
    db.session.query(Claim).filter_by(user_id=me.id).delete()
    db.session.query(OvertimeRecord).filter_by(user_id=me.id).delete()
    db.session.query(NightReservation).filter_by(user_id=me.id).delete()
    for i in range(ROWS):
        day = today - timedelta(days=i + 1)
        record = OvertimeRecord(user_id=me.id, day=day, start_time="18:00", end_time="22:30",
                                reason=f"加班 {i}")
        db.session.add(record)
        db.session.flush()
        db.session.add(Claim(user_id=me.id, department_id=me.department_id, record_id=record.id,
                             day=day, month=day.strftime("%Y-%m"), from_district="公司",
                             to_district=f"区 {i}", ride_at=utcnow() - timedelta(days=i + 1),
                             amount_cents=3000 + i))
    db.session.add(OvertimeRecord(user_id=me.id, day=today, start_time="18:00",
                                  expected_end="21:00", reason="今晚"))
    dish = db.session.scalars(select(Dish)).first()
    db.session.add(NightReservation(user_id=me.id, day=today, dish_id=dish.id))
    db.session.commit()
    assert _own_statements(client, "E1001", "/overtime/") <= OWN_STATEMENTS


def test_shuttle_page(company, client):
    from portal.blueprints.shuttle.models import Follow, Route

    me = _user("E1001")
    db.session.query(Follow).filter_by(user_id=me.id).delete()
    routes = list(db.session.scalars(select(Route)))
    assert len(routes) > 2
    db.session.add_all(Follow(user_id=me.id, route_id=route.id) for route in routes)
    db.session.commit()
    assert _own_statements(client, "E1001", "/shuttle/") <= OWN_STATEMENTS


def test_my_meetings_page(company, client):
    from portal.blueprints.meetings.models import Attendee, Meeting, Room

    me = _user("E1001")
    rooms = list(db.session.scalars(select(Room)))
    assert len(rooms) > 2
    start = utcnow().replace(microsecond=0) + timedelta(days=40)
    for i, organiser in enumerate(_others()):
        meeting = Meeting(organiser_id=organiser.id, title=f"会议 {i}",
                          room_id=rooms[i % len(rooms)].id,
                          starts_at=start + timedelta(days=i),
                          ends_at=start + timedelta(days=i, hours=1))
        db.session.add(meeting)
        db.session.flush()
        db.session.add_all([Attendee(meeting_id=meeting.id, user_id=me.id),
                            Attendee(meeting_id=meeting.id, user_id=organiser.id)])
    db.session.commit()
    assert _own_statements(client, "E1001", "/meetings/") <= OWN_STATEMENTS


def test_suggestion_box_page(company, client):
    from portal.blueprints.suggestions.models import SOLVED, Suggestion, SuggestionCategory

    me = _user("E1001")
    categories = [SuggestionCategory(name_zh=f"类别 {i}", name_en=f"Category {i}", position=i)
                  for i in range(3)]
    db.session.add_all(categories)
    db.session.flush()
    for i, person in enumerate(_others()):
        category = categories[i % len(categories)].id
        db.session.add_all([
            Suggestion(id=900_000 + i, category_id=category, title=f"建议 {i}", text="-",
                       submitter_id=person.id, created_on=local_today(), status=SOLVED,
                       answer="好", published_at=utcnow()),
            Suggestion(id=910_000 + i, category_id=category, title=f"我的建议 {i}", text="-",
                       submitter_id=me.id, created_on=local_today()),
        ])
    db.session.commit()
    assert _own_statements(client, "E1001", "/suggestions/") <= OWN_STATEMENTS


def _visit(host: User, reception: User, i: int, **columns):
    from portal.blueprints.visitors.models import Visit, Visitor

    arrives = utcnow().replace(microsecond=0) + timedelta(days=1, hours=i)
    visit = Visit(purpose=f"来访 {i}", company=f"公司 {i}", arrives_at=arrives,
                  departs_at=arrives + timedelta(hours=2), host_id=host.id,
                  reception_id=reception.id, visitor_count=1, **columns)
    db.session.add(visit)
    db.session.flush()
    db.session.add(Visitor(visit_id=visit.id, name=f"访客 {i}"))
    return visit


def test_my_visitors_page(company, client):
    me = _user("R1001")
    for i, reception in enumerate(_others()):
        _visit(me, reception, i)
    db.session.commit()
    assert _own_statements(client, "R1001", "/visitors/") <= OWN_STATEMENTS


def _repair(i: int, requester: User, location_id: int, **columns):
    from portal.blueprints.repairs.models import RepairRequest

    now = utcnow()
    db.session.add(RepairRequest(
        number=f"BX-TEST-{i:05d}", requester_id=requester.id,
        department_id=requester.department_id, category="electrical", urgency="normal",
        location_id=location_id, description=f"坏了 {i}", response_due=now + timedelta(hours=i),
        resolution_due=now + timedelta(days=1, hours=i), due_at=now + timedelta(hours=i),
        **columns))


def _locations() -> list[int]:
    from portal.blueprints.repairs.models import Location

    ids = list(db.session.scalars(select(Location.id)))
    assert len(ids) > 2
    return ids


def test_facilities_queue_page(company, client):
    from portal.blueprints.repairs.models import ACCEPTED

    locations = _locations()
    technicians = [_user("F1001"), _user("F1002")]
    for i, person in enumerate(_others()):
        _repair(i, person, locations[i % len(locations)])
        _repair(100 + i, person, locations[(i + 1) % len(locations)], status=ACCEPTED,
                assignee_id=technicians[i % 2].id, accepted_at=utcnow())
    db.session.commit()
    assert _own_statements(client, "F1001", "/repairs/queue") <= OWN_STATEMENTS


def test_my_repairs_page(company, client):
    locations = _locations()
    me = _user("E1001")
    for i in range(ROWS):
        _repair(i, me, locations[i % len(locations)])
    db.session.commit()
    assert _own_statements(client, "E1001", "/repairs/") <= OWN_STATEMENTS


def test_department_repairs_page(company, client):
    """A head's page lists the department's requests too, each with its requester's name."""
    locations = _locations()
    head = _user("H1001")
    people = list(db.session.scalars(select(User).where(
        User.department_id == head.department_id, User.id != head.id).limit(ROWS)))
    assert len(people) > 2
    for i, person in enumerate(people):
        _repair(i, person, locations[i % len(locations)])
    db.session.commit()
    assert _own_statements(client, "H1001", "/repairs/") <= OWN_STATEMENTS


def test_tonights_headcount_page(company, client):
    from portal.blueprints.canteen.models import Dish, NightReservation
    from portal.blueprints.visitors.models import VisitMeal

    today = local_today()
    dishes = list(db.session.scalars(select(Dish)))
    assert len(dishes) > 2
    db.session.query(NightReservation).filter_by(day=today).delete()
    reception = _user("R1001")
    for i, person in enumerate(_others()):
        db.session.add(NightReservation(user_id=person.id, day=today,
                                        dish_id=dishes[i % len(dishes)].id))
        visit = _visit(person, reception, 50 + i)
        db.session.add(VisitMeal(visit_id=visit.id, day=today, meal="night", headcount=2))
    db.session.commit()
    assert _own_statements(client, "C1001", "/canteen/tonight") <= OWN_STATEMENTS
