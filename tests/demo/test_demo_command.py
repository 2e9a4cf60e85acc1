"""``recommerce demo``: its processes stop with it, and it serves like production."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recommerce import cli

SUPERVISE = (
    "import os, sys\n"
    "from recommerce import cli\n"
    "sys.exit(cli.supervise(cli.demo_commands('127.0.0.1', sys.argv[1]), env=dict(os.environ)))\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> set[int]:
    """Return the ids of every living process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces: fields start after its closing parenthesis.
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_the_demo_stops_the_web_server_its_workers_and_the_task_worker(tmp_path, stop):
    """Hardening 5.6: a signal to the demo leaves no gunicorn process and no task worker."""
    port = free_port()
    # The embedded setup in a folder of its own, whatever database the suite runs on.
    outside = {"DATABASE_URL", "REDIS_URL"}
    env = {
        **{key: value for key, value in os.environ.items() if key not in outside},
        "RECOMMERCE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "recommerce.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    supervisor = subprocess.Popen([sys.executable, "-c", SUPERVISE, str(port)], env=env)  # noqa: S603
    started: set[int] = set()
    try:
        # gunicorn's master and its two workers, and the task worker.
        def up() -> bool:
            started.update(descendants(supervisor.pid))
            return len(started) >= 4 and answers(port)

        assert wait_for(up, 60), f"the demo's processes did not start: {started}"
        started.update(descendants(supervisor.pid))
        supervisor.send_signal(stop)
        assert supervisor.wait(timeout=60) == 0
        assert wait_for(lambda: not any(alive(pid) for pid in started), 10)
        assert [pid for pid in started if alive(pid)] == []
        assert not answers(port)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        for pid in started:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_process_that_ends_by_itself_stops_the_others(tmp_path):
    """Hardening 5.6: when one process dies, the demo stops the rest and reports failure."""
    sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
    quitter = [sys.executable, "-c", "import sys; sys.exit(3)"]
    before = descendants(os.getpid())
    assert cli.supervise([sleeper, quitter], env=dict(os.environ)) == 1
    assert descendants(os.getpid()) - before == set()


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_a_demo_killed_outright_leaves_no_process_behind(tmp_path):
    """Hardening 5.6: SIGKILL gives the demo no chance to stop anything; its processes,
    told by the system that their parent died, stop by themselves."""
    sleeper = "[sys.executable, '-c', 'import time; time.sleep(120)']"
    script = (
        "import os, sys\n"
        "from recommerce import cli\n"
        f"sys.exit(cli.supervise([{sleeper}, {sleeper}], env=dict(os.environ)))\n"
    )
    supervisor = subprocess.Popen([sys.executable, "-c", script])  # noqa: S603
    started: set[int] = set()
    try:

        def up() -> bool:
            started.update(descendants(supervisor.pid))
            return len(started) >= 2

        assert wait_for(up, 20), f"the processes did not start: {started}"
        supervisor.kill()
        supervisor.wait(timeout=10)
        assert wait_for(lambda: not any(alive(pid) for pid in started), 10)
    finally:
        for pid in started:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
