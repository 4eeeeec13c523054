"""The canteen benchmark builds its scratch database (it prints nothing if that fails)."""

from sqlalchemy import create_engine, func, select

from bench import canteen_menu
from portal.blueprints.canteen.models import DietPreference, MenuItem


def test_the_benchmark_database_has_the_demo_menu_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    canteen_menu.build(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(MenuItem)) > 100
        assert connection.scalar(select(func.count()).select_from(DietPreference)) == 3
    engine.dispose()
