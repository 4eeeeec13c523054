"""deploy/: systemd units that run each process directly and restart it, as the README says."""

import configparser
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = ("zhongshu-web.service", "zhongshu-worker.service", "zhongshu-scheduler.service")


def _service(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string((ROOT / "deploy" / name).read_text())
    return parser["Service"]


def test_each_process_has_a_unit_that_restarts_it_and_runs_it_directly():
    readme = (ROOT / "README.md").read_text()
    programs = {}
    for name in UNITS:
        service = _service(name)
        assert service["Restart"] == "always", name
        command = shlex.split(service["ExecStart"])
        if command[:2] == ["/bin/sh", "-c"]:
            command = shlex.split(command[2])
        command = [word for word in command if word != "exec"]
        assert "make" not in command[0], name  # make does not pass SIGTERM on
        assert command[0].startswith("/opt/zhongshu/.venv/bin/"), name
        assert (ROOT / ".venv" / "bin" / Path(command[0]).name).exists(), command
        assert service["EnvironmentFile"] == "/etc/zhongshu/zhongshu.env"
        programs[name] = command[1:3]
        assert name in readme
    assert programs["zhongshu-scheduler.service"] == ["-m", "jobs.scheduler"]
    assert programs["zhongshu-worker.service"][0] == "worker"
    assert (ROOT / "deploy" / "zhongshu.env.example").exists()
