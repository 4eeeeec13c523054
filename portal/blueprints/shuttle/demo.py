"""Demo network: a factory outside the city, six lines to work and home, a late run, ~40 stops
in 12 districts, and a home district (and stop) for every demo employee."""

import random
from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.shuttle.models import (
    HOME,
    LATE,
    PUBLISHED,
    TO_WORK,
    District,
    Follow,
    Home,
    Route,
    Stop,
    StopTime,
    Version,
)
from portal.extensions import db
from portal.timeutil import local_today, utcnow

# (district, English, [(stop, where exactly)])
NETWORK = [
    ("城东新区", "Chengdong New Area", [("东门站", "东门广场公交站旁"),
                                       ("东湖路口", "东湖路与建设路交叉口"),
                                       ("新区医院", "医院正门对面")]),
    ("老城区", "Old Town", [("鼓楼", "鼓楼南侧停车带"), ("人民公园", "公园北门"),
                           ("百货大楼", "大楼西侧"), ("文化宫", "文化宫门口")]),
    ("高新区", "Hi-tech Zone", [("科技园", "科技园一期门口"), ("创业大厦", "大厦东侧辅路"),
                              ("软件园", "软件园南门"), ("高新地铁站", "地铁2号口")]),
    ("城南", "Chengnan", [("南站", "火车南站出站口右侧"), ("南湖小区", "小区正门"),
                         ("体育中心", "体育中心北广场"), ("南湖公园", "公园西门")]),
    ("城西", "Chengxi", [("西客站", "西客站公交场站"), ("西山路", "西山路口加油站旁"),
                        ("枫林苑", "枫林苑北门")]),
    ("城北", "Chengbei", [("北站", "北站广场东侧"), ("北苑", "北苑小区南门"),
                         ("北湖公园", "公园东门")]),
    ("开发区", "Development Zone", [("开发区管委会", "管委会门前"), ("工业大道", "工业大道3号门"),
                                  ("物流园", "物流园入口")]),
    ("滨江", "Riverside", [("滨江花园", "花园西门"), ("江滨路", "江滨路中段"),
                          ("码头", "老码头公交站"), ("滨江公园", "公园南门")]),
    ("大学城", "University Town", [("大学城北", "北区地铁口B"), ("图书馆", "图书馆南侧"),
                                  ("大学城南", "南区食堂旁")]),
    ("新城镇", "Xincheng Town", [("新城镇政府", "镇政府门口"), ("新城中学", "中学东门"),
                               ("新城菜场", "菜场北侧")]),
    ("桥头镇", "Qiaotou Town", [("桥头", "桥头汽车站"), ("桥头村委", "村委会门前"),
                              ("桥头加油站", "加油站对面")]),
    ("厂区", "Factory", [("工厂正门", "厂区正门班车区"), ("工厂北门", "北门停车场"),
                        ("研发楼", "研发楼前")]),
]
# (line name, stops in order towards the factory, first departure, vehicle)
LINES = [
    ("1号线 东线", ["东门站", "东湖路口", "新区医院", "开发区管委会", "工业大道", "工厂正门"],
     "07:00", ("沪A·10231", 45)),
    ("2号线 老城线", ["鼓楼", "人民公园", "百货大楼", "文化宫", "物流园", "工厂正门"],
     "06:50", ("沪A·20417", 45)),
    ("3号线 高新线", ["软件园", "创业大厦", "科技园", "工业大道", "工厂北门"],
     "07:05", ("沪B·33108", 33)),
    ("4号线 南线", ["南站", "南湖小区", "体育中心", "滨江花园", "江滨路", "工厂正门"],
     "06:55", ("沪A·41290", 45)),
    ("5号线 西北线", ["西客站", "西山路", "枫林苑", "北站", "北苑", "北湖公园", "工厂北门"],
     "06:45", ("沪A·55012", 49)),
    ("6号线 城镇线", ["桥头", "桥头村委", "新城镇政府", "新城中学", "大学城南", "研发楼"],
     "06:40", ("沪C·60788", 33)),
]
DRIVERS = [("王师傅", "13800010001"), ("李师傅", "13800010002"), ("张师傅", "13800010003"),
           ("刘师傅", "13800010004"), ("陈师傅", "13800010005"), ("赵师傅", "13800010006")]


def _minutes(hhmm: str, add: int) -> str:
    total = int(hhmm[:2]) * 60 + int(hhmm[3:]) + add
    return f"{total // 60:02d}:{total % 60:02d}"


def _route(name, direction, stops, first, vehicle, driver, position, effective) -> Route:
    route = Route(name=name, direction=direction, position=position)
    version = Version(route=route, number=1, status=PUBLISHED, kind="service_change",
                      effective_from=effective, weekdays="12345", plate=vehicle[0],
                      seats=vehicle[1], driver_name=driver[0], driver_phone=driver[1],
                      published_at=utcnow())
    version.times = [StopTime(stop_id=stop.id, position=n, time=_minutes(first, 7 * n))
                     for n, stop in enumerate(stops)]
    db.session.add(route)
    return route


def load_demo() -> None:
    """The network, published since last month; homes for everyone; a few followers."""
    if db.session.scalar(select(District.id).limit(1)) is not None:
        return  # loaded already
    rng = random.Random(16)
    stops = {}
    for position, (name, name_en, places) in enumerate(NETWORK):
        district = District(name=name, name_en=name_en, position=position)
        db.session.add(district)
        db.session.flush()
        for stop_name, note in places:
            stops[stop_name] = Stop(name=stop_name, district_id=district.id, note=note)
            db.session.add(stops[stop_name])
    db.session.flush()
    effective = local_today() - timedelta(days=30)
    routes = []
    for n, (name, names, first, vehicle) in enumerate(LINES):
        path = [stops[s] for s in names]
        routes.append(_route(name, TO_WORK, path, first, vehicle, DRIVERS[n], n, effective))
        _route(name.replace("线", "线·回程", 1), HOME, path[::-1], "17:40", vehicle, DRIVERS[n],
               10 + n, effective)
    late_path = [stops[s] for s in ("工厂正门", "开发区管委会", "东门站", "鼓楼", "南站",
                                    "西客站", "北站")]
    late = _route("夜班车 21:30", LATE, late_path, "21:30", ("沪A·90001", 19), DRIVERS[0], 20,
                  effective)
    late.versions[0].weekdays = "123456"
    db.session.flush()
    served = {t.stop_id for r in routes for t in r.versions[0].times}
    districts = {d.id: d for d in db.session.scalars(select(District))}
    people = list(db.session.scalars(select(User).order_by(User.id)))
    choices = [s for s in stops.values() if s.id in served and s.name[:2] not in ("工厂", "研发")]
    for person in people:
        stop = rng.choice(choices)
        district_id = stop.district_id if rng.random() < 0.85 else rng.choice(list(districts))
        db.session.add(Home(user_id=person.id, district_id=district_id,
                            stop_id=stop.id if district_id == stop.district_id else None))
        if rng.random() < 0.5:
            route = next(r for r in routes if stop.id in {t.stop_id for t in r.versions[0].times})
            db.session.add(Follow(user_id=person.id, route_id=route.id))
    db.session.commit()


def sample_objects(make_user) -> dict:
    """One published route, a late run and a stop request: real objects for URL sweeps."""
    from portal.blueprints.shuttle.models import StopRequest

    district = District(name="测试区")
    db.session.add(district)
    db.session.flush()
    first, second = Stop(name="测试站甲", district_id=district.id), Stop(
        name="测试站乙", district_id=district.id)
    db.session.add_all([first, second])
    db.session.flush()
    route = _route("测试线", LATE, [first, second], "21:30", ("沪A·00001", 10), ("王师傅", ""),
                   0, local_today())
    asked = StopRequest(user_id=make_user().id, district_id=district.id, place="测试")
    db.session.add(asked)
    db.session.commit()
    return {"route_id": route.id, "request_id": asked.id, "fmt": "csv"}
