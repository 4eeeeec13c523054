"""Benchmark: the shuttle's timetable, "find my route" and coverage on a big network.

200 routes (to work, home and late runs) of 10 stops each, 2,000 stops in 100 districts and
20,000 employees with a home district (most with a preferred stop), some following a route.
Prints time per page (fastest of several requests) and SQL queries per page, through the Flask
test client in one process. Builds its data with bulk inserts in a scratch SQLite file, and in
PostgreSQL too when --pg is given (--pg-url, by default the database wt_shuttle; its schema is
dropped and rebuilt, as the test suite does, so never point it at a database that matters).

    .venv/bin/python bench/shuttle_network.py [--pg [--pg-url URL]] [--routes 200 --stops 2000
        --people 20000]
"""

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from bench import _common as common  # noqa: E402
from portal.blueprints.accounts.models import User, UserRole  # noqa: E402
from portal.blueprints.shuttle.models import (  # noqa: E402
    District,
    Follow,
    Home,
    Route,
    Stop,
    StopTime,
    Version,
)
from portal.extensions import db  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/wt_shuttle"
PAGES = {
    "timetable (every route)": "/shuttle/",
    "find my route by stop": "/shuttle/find?q=站点1234",
    "find my route by district": "/shuttle/find?q=区域42",
    "find, htmx results region": "/shuttle/find?q=站点77",
    "a route's page (strip map)": "/shuttle/routes/17",
    "home (my shuttle panel)": "/",
    "coverage (facilities)": "/shuttle/coverage",
    "coverage XLSX": "/shuttle/coverage.xlsx",
}
STOPS_PER_ROUTE = 10


def build(routes: int, stops: int, people: int, rng: random.Random) -> None:
    """Districts, stops, routes with one published version each, people with homes."""
    districts = max(stops // 20, 1)
    db.session.execute(insert(District), [
        {"id": d, "name": f"区域{d}", "name_en": f"District {d}", "position": d}
        for d in range(1, districts + 1)])
    db.session.execute(insert(Stop), [
        {"id": s, "name": f"站点{s}", "district_id": (s - 1) % districts + 1, "note": "路口"}
        for s in range(1, stops + 1)])
    directions = ["to_work", "home"] * (routes // 2) + ["late"] * (routes % 2)
    directions[-routes // 20:] = ["late"] * (routes // 20)  # one route in twenty a late run
    db.session.execute(insert(Route), [
        {"id": r, "name": f"线路{r}", "direction": directions[r - 1], "position": r,
         "created_at": datetime.now(UTC)} for r in range(1, routes + 1)])
    effective = date.today() - timedelta(days=30)
    db.session.execute(insert(Version), [
        {"id": r, "route_id": r, "number": 1, "status": "published", "kind": "service_change",
         "effective_from": effective, "reason": "", "weekdays": "1234567", "plate": f"沪A{r:05d}",
         "seats": 45, "driver_name": "王师傅", "driver_phone": "13800000000",
         "published_at": datetime.now(UTC)} for r in range(1, routes + 1)])
    times, served = [], []
    for r in range(1, routes + 1):
        path = rng.sample(range(1, stops + 1), STOPS_PER_ROUTE)
        served += path
        times += [{"version_id": r, "stop_id": s, "position": n,
                   "time": f"{7 + n // 6:02d}:{(n % 6) * 10:02d}"} for n, s in enumerate(path)]
    db.session.execute(insert(StopTime), times)
    password = common.bench_password_hash()
    for start in range(1, people + 1, 5000):
        batch = range(start, min(start + 5000, people + 1))
        db.session.execute(insert(User), [
            common.user_row(i, password, datetime.now(UTC), session_token=f"{i:032d}")
            for i in batch])
        db.session.execute(insert(UserRole), [{"user_id": i, "role": "employee"} for i in batch])
        homes = []
        for i in batch:
            stop = rng.choice(served) if rng.random() < 0.8 else None
            district = (stop - 1) % districts + 1 if stop else rng.randint(1, districts)
            homes.append({"user_id": i, "district_id": district, "stop_id": stop,
                          "month": "", "changes": 0})
        db.session.execute(insert(Home), homes)
    db.session.execute(insert(UserRole), [{"user_id": 1, "role": "facilities"}])
    db.session.execute(insert(Follow), [
        {"user_id": i, "route_id": rng.randint(1, routes), "created_at": datetime.now(UTC)}
        for i in range(1, people + 1, 4)] + [
        {"user_id": 1, "route_id": r, "created_at": datetime.now(UTC)} for r in (3, 5)])
    common.finish_load(shuttle_districts_id_seq=districts, shuttle_stops_id_seq=stops,
                       shuttle_routes_id_seq=routes, shuttle_versions_id_seq=routes,
                       users_id_seq=people)


def measure(app, repeats: int = 5) -> dict[str, tuple[float, int]]:
    return common.measure_pages(app, PAGES, repeats)


def run(url: str, args, name: str) -> None:
    with common.scratch_database(url) as app:
        started = time.perf_counter()
        build(args.routes, args.stops, args.people, random.Random(16))
        print(f"[{name}] built {args.routes} routes, {args.stops:,} stops, {args.people:,} "
              f"people in {time.perf_counter() - started:.1f}s", flush=True)
        results = measure(app)
    print(f"\n{name}: fastest ms per page / SQL queries per page")
    for label, (ms, queries) in results.items():
        print(f"{label:34}{ms:>10.1f} ms {queries:>4}q")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--routes", type=int, default=200)
    parser.add_argument("--stops", type=int, default=2000)
    parser.add_argument("--people", type=int, default=20000)
    args = parser.parse_args()
    common.on_sqlite_and_pg(lambda url, name: run(url, args, name),
                            args.pg_url if args.pg else "", "shuttle-bench.db")


if __name__ == "__main__":
    main()
