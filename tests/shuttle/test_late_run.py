"""Tonight's late run: book before the cut-off, never oversold, cancel frees the seat, the list."""

import os
import re
import threading

import pytest
from sqlalchemy.exc import IntegrityError

from portal.blueprints.accounts.models import User
from portal.blueprints.overtime.models import OvertimeRecord
from portal.blueprints.shuttle import services
from portal.blueprints.shuttle.models import LateBooking, Route
from portal.errors import Refused
from portal.extensions import db
from portal.timeutil import local_now


def _book(client, network, stop="鼓楼"):
    return client.post("/shuttle/late/book", data={"route_id": network.late.id,
                                                   "stop_id": network.stops[stop].id})


def _worked_late(user):
    """The user recorded tonight's overtime (the overtime module): a late-run seat is theirs to
    book."""
    db.session.add(OvertimeRecord(user_id=user.id, day=local_now().date(), start_time="18:00",
                                  expected_end="21:00"))
    db.session.commit()
    return user


def _count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(LateBooking))


def test_booking_a_seat_before_the_cutoff(client, auth, make_user, network, at):
    at("2026-12-08 16:59")
    auth.login(_worked_late(make_user("employee")))
    response = _book(client, network)
    assert response.status_code == 303
    page = client.get("/shuttle/late").get_data(as_text=True)
    assert "夜班车，1 号座，在鼓楼下车。" in page and "剩余 2/3 座" in page


def test_at_the_cutoff_the_booking_is_refused_beside_the_stop(client, auth, make_user, network,
                                                             at):
    at("2026-12-08 17:00")
    auth.login(_worked_late(make_user("employee")))
    response = _book(client, network)
    assert response.status_code == 422
    assert re.search(r"data-error>今晚夜班车的预订已于 17:00 截止。",
                     response.get_data(as_text=True))
    assert _count() == 0


def test_a_full_run_refuses_and_a_cancelled_seat_can_be_booked_again(client, auth, make_user,
                                                                     network, at):
    at("2026-12-08 12:00")
    riders = [_worked_late(make_user("employee")) for _ in range(4)]
    for person in riders[:3]:
        auth.login(person)
        assert _book(client, network).status_code == 303
        auth.logout()
    auth.login(riders[3])
    page = client.get("/shuttle/late").get_data(as_text=True)
    assert "今晚已满。" in page and ">预订座位</button>" not in page
    full = _book(client, network)
    assert full.status_code == 422 and "今晚的夜班车已满。" in full.get_data(as_text=True)
    auth.logout()
    auth.login(riders[1])
    assert client.post("/shuttle/late/cancel").status_code == 303
    auth.logout()
    auth.login(riders[3])
    assert _book(client, network, stop="南站").status_code == 303
    seats = sorted(db.session.scalars(db.select(LateBooking.seat)))
    assert seats == [1, 2, 3]


def test_one_seat_a_night_per_person(client, auth, make_user, network, at):
    at("2026-12-08 12:00")
    auth.login(_worked_late(make_user("employee")))
    _book(client, network)
    again = _book(client, network, stop="南站")
    assert again.status_code == 422 and _count() == 1


def test_the_seat_number_is_unique_in_the_database(app, make_user, network, at):
    at("2026-12-08 12:00")
    day = local_now().date()
    one, two = make_user("employee"), make_user("employee")
    db.session.add(LateBooking(route_id=network.late.id, day=day, seat=1, user_id=one.id,
                               stop_id=network.stops["鼓楼"].id))
    db.session.commit()
    db.session.add(LateBooking(route_id=network.late.id, day=day, seat=1, user_id=two.id,
                               stop_id=network.stops["鼓楼"].id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="concurrent bookings need PostgreSQL's row locks (DATABASE_URL)")
def test_concurrent_bookings_never_oversell_the_vehicle(app, make_user, network, at):
    at("2026-12-08 12:00")
    people = [_worked_late(make_user("employee")).id for _ in range(10)]
    route_id, stop_id = network.late.id, network.stops["鼓楼"].id
    start = threading.Barrier(len(people))
    results = []

    def book(user_id):
        with app.app_context():
            user, route = db.session.get(User, user_id), db.session.get(Route, route_id)
            start.wait()
            try:
                booking = services.book_late(user, route, stop_id, local_now())
                db.session.commit()
                results.append(booking.seat)
            except Refused as error:
                db.session.rollback()
                results.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=book, args=(user_id,)) for user_id in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    seats = sorted(r for r in results if isinstance(r, int))
    assert len(results) == 10
    assert seats == [1, 2, 3]  # three seats in the vehicle: three bookings, seats 1 to 3
    assert _count() == 3


def test_the_drivers_list_has_names_and_stops_never_phones(client, auth, make_user, network, at):
    at("2026-12-08 12:00")
    for name, stop in (("张伟", "南站"), ("李娜", "鼓楼")):
        auth.login(_worked_late(make_user("employee", name=name, phone="13912345678")))
        _book(client, network, stop)
        auth.logout()
    auth.login(make_user("employee", "facilities"))
    response = client.get(f"/shuttle/late/{network.late.id}/passengers")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.index("李娜") < html.index("张伟")  # in the order the bus reaches their stops
    assert "南站" in html and "鼓楼" in html
    assert not re.search(r"1\d{10}", html), "a phone number is on the driver's list"
    assert "data-no-cache" in re.search(r"<body[^>]*>", html).group(0)


def test_employees_do_not_see_the_passenger_list(client, auth, make_user, network, at):
    auth.login(_worked_late(make_user("employee")))
    assert client.get(f"/shuttle/late/{network.late.id}/passengers").status_code == 403


def test_only_someone_who_recorded_tonights_overtime_books_a_seat(client, auth, make_user,
                                                                   network, at):
    at("2026-12-08 12:00")
    auth.login(make_user("employee"))
    page = client.get("/shuttle/late").get_data(as_text=True)
    assert "夜班车供加班的同事乘坐：请先登记今晚的加班，再预订。" in page
    assert 'href="/overtime/"' in page and ">预订座位</button>" not in page
    refused = _book(client, network)
    assert refused.status_code == 422 and _count() == 0
    assert re.search(r"data-error>夜班车供加班的同事乘坐", refused.get_data(as_text=True))

    recorded = client.post("/overtime/record", data={
        "day": "2026-12-08", "start_time": "18:00", "end_time": "", "expected_end": "22:00",
        "reason": "版本发布"})
    assert recorded.status_code == 303
    assert ">预订座位</button>" in client.get("/shuttle/late").get_data(as_text=True)
    assert _book(client, network).status_code == 303 and _count() == 1
