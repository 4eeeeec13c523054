"""Shuttle fixtures: a Shanghai clock, a small network with a published route and a late run."""

from dataclasses import dataclass
from datetime import date

import pytest

from portal.blueprints.shuttle.models import (
    LATE,
    PUBLISHED,
    TO_WORK,
    District,
    Route,
    Stop,
    StopTime,
    Version,
)
from portal.extensions import db
from portal.timeutil import utcnow
from tests.canteen.conftest import at  # noqa: F401  (the Shanghai clock fixture)

MONDAY = date(2026, 12, 7)


@dataclass
class Network:
    old_town: District
    south: District
    stops: dict
    line: Route
    late: Route


def publish_route(name, direction, times, effective=date(2026, 11, 2), plate="沪A·10231",
                  seats=45, weekdays="12345", phone="13800010001") -> Route:
    """A route with version 1 published: times is [(stop, "HH:MM"), …]."""
    route = Route(name=name, direction=direction)
    version = Version(route=route, number=1, status=PUBLISHED, kind="service_change",
                      effective_from=effective, weekdays=weekdays, plate=plate, seats=seats,
                      driver_name="王师傅", driver_phone=phone, published_at=utcnow())
    version.times = [StopTime(stop_id=stop.id, position=n, time=hhmm)
                     for n, (stop, hhmm) in enumerate(times)]
    db.session.add(route)
    db.session.commit()
    return route


@pytest.fixture
def network(app) -> Network:
    old_town = District(name="老城区", name_en="Old Town", position=0)
    south = District(name="城南", name_en="Chengnan", position=1)
    factory = District(name="厂区", name_en="Factory", position=2)
    db.session.add_all([old_town, south, factory])
    db.session.flush()
    stops = {name: Stop(name=name, district_id=district.id, note=f"{name}路口")
             for name, district in [("鼓楼", old_town), ("人民公园", old_town),
                                    ("百货大楼", old_town), ("南站", south),
                                    ("南湖小区", south), ("工厂正门", factory)]}
    db.session.add_all(stops.values())
    db.session.commit()
    s = stops
    line = publish_route("1号线", TO_WORK, [(s["鼓楼"], "07:00"), (s["人民公园"], "07:10"),
                                           (s["百货大楼"], "07:20"), (s["工厂正门"], "07:50")])
    late = publish_route("夜班车", LATE, [(s["工厂正门"], "21:30"), (s["鼓楼"], "22:00"),
                                         (s["南站"], "22:10")], plate="沪A·90001", seats=3,
                         weekdays="1234567", phone="13900020002")
    return Network(old_town, south, stops, line, late)
