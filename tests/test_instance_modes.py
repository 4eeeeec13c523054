"""The embedded shape keeps its data private: instance/ 0700, its files 0600."""

import stat

from sqlalchemy import text

from portal import create_app
from portal.extensions import db
from portal.redis_conn import get_redis


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_instance_folder_database_redis_and_secret_are_private(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    old = instance / "portal.db"  # an older installation's world-readable file
    old.touch()
    old.chmod(0o644)
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PORTAL_REDIS_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_INSTANCE", str(instance))
    app = create_app()
    with app.app_context():
        db.session.execute(text("CREATE TABLE t (x INTEGER)"))
        db.session.execute(text("INSERT INTO t VALUES (1)"))
        db.session.commit()
        redis = get_redis()
        try:
            redis.set("k", "personal data")
            redis.save()
        finally:
            redis.shutdown()
        db.engine.dispose()
    assert _mode(instance) == 0o700
    for name in ("portal.db", "redis.db", "secret_key"):
        assert (instance / name).exists(), name
        assert _mode(instance / name) == 0o600, (name, oct(_mode(instance / name)))
    new = tmp_path / "fresh"
    monkeypatch.setenv("PORTAL_INSTANCE", str(new))
    with create_app().app_context():
        db.session.execute(text("CREATE TABLE t (x INTEGER)"))
        db.session.commit()
        db.engine.dispose()
    assert _mode(new) == 0o700 and _mode(new / "portal.db") == 0o600
