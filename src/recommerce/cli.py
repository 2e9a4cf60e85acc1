"""The ``recommerce`` command: ``demo``, ``serve``, ``worker``, ``seed`` and all of manage.py.

- ``recommerce demo``: migrate, collect the static files, load the demo data once, then run
  the web server and the background worker together until stopped (Ctrl+C or SIGTERM).
- ``recommerce serve``: the production web server (gunicorn) on ``$PORT`` (8000), after the
  deployment checks (``check --deploy``) pass.
- ``recommerce worker``: the Huey consumer that runs background and periodic tasks.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# The demo serves as production does (no debug pages, hashed and compressed static files),
# but on plain HTTP on this machine: no redirect to HTTPS, no secure-only cookies, no HSTS.
DEMO_ENVIRONMENT = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_MANIFEST": "1",
}
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# Seconds the servers get to finish their requests and tasks before they are killed.
STOP_GRACE_SECONDS = 15


def _manage(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["recommerce", *argv])


def _serve_command(host: str, port: str, workers: str) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "recommerce.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", workers,
        "--worker-class", "gthread", "--threads", os.environ.get("WEB_THREADS", "4"),
        "--access-logfile", "-" if os.environ.get("ACCESS_LOG") else "/dev/null",
        "--graceful-timeout", "10",
    ]  # fmt: skip


def serve() -> int:
    host = os.environ.get("HOST", "0.0.0.0")  # noqa: S104  (a server binds where it is told)
    port = os.environ.get("PORT", "8000")
    workers = os.environ.get("WEB_CONCURRENCY", str(max(2, (os.cpu_count() or 1) * 2)))
    # Refuse to start a production server on demo accounts, sandbox payments or keys made
    # on this machine (docs/deploy.md); check prints what is wrong and exits non-zero.
    _manage(["check", "--deploy", "--fail-level", "ERROR"])
    command = _serve_command(host, port, workers)
    # Become gunicorn, so signals from a process manager reach it directly.
    os.execv(command[0], command)  # noqa: S606


def demo_commands(host: str, port: str) -> list[list[str]]:
    """Return the demo's processes: the web server (two workers) and the task worker."""
    worker = [sys.executable, "-m", "recommerce.cli", "worker", "--quiet"]
    return [_serve_command(host, port, "2"), worker]


def supervise(
    commands: Sequence[Sequence[str]],
    *,
    env: Mapping[str, str],
    on_start: Callable[[], None] | None = None,
) -> int:
    """Run ``commands`` together until one ends or a stop signal arrives, then stop them all.

    Each process leads its own process group, so the whole group (gunicorn's workers too) is
    stopped as Ctrl+C stops it, with SIGINT (gunicorn quits at once, Huey finishes the
    running tasks), and killed if it has not stopped within the grace period.
    Return 0 after a stop signal, 1 when a process ended by itself.
    """
    stopping = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stopping.set()

    previous = {number: signal.signal(number, request_stop) for number in STOP_SIGNALS}
    processes: list[subprocess.Popen[bytes]] = []
    orphan_guard = _stop_when_orphaned(os.getpid()) if sys.platform == "linux" else None
    try:
        for command in commands:
            # A new session: Ctrl+C reaches this supervisor alone, which stops the others
            # in order instead of every process at once.
            processes.append(
                subprocess.Popen(  # noqa: S603
                    list(command), env=dict(env), start_new_session=True, preexec_fn=orphan_guard
                )
            )
        if on_start is not None:
            on_start()
        while not stopping.is_set() and all(p.poll() is None for p in processes):
            stopping.wait(0.5)
    finally:
        _stop_groups(processes)
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0 if stopping.is_set() else 1


PR_SET_PDEATHSIG = 1


def _stop_when_orphaned(supervisor: int) -> Callable[[], None]:
    """Return what a child runs before its program: ask Linux for SIGINT when the supervisor
    dies, so a supervisor killed outright (SIGKILL, no chance to stop anything) leaves no
    server or worker behind. A supervisor already gone by then stops the child at once."""

    def guard() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGINT)
        if os.getppid() != supervisor:
            os.kill(os.getpid(), signal.SIGINT)

    return guard


def _signal_group(process: subprocess.Popen[bytes], number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group has gone
        os.killpg(process.pid, number)


def _stop_groups(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        _signal_group(process, signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # Workers of a group whose leader has exited (none should remain) go too.
        _signal_group(process, signal.SIGKILL)


def _static_sources_digest() -> str:
    """Return a digest of every static source file's path, size and modification time."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _collect_static() -> None:
    """Collect, hash and compress the static files, unless they have not changed since."""
    from django.conf import settings

    marker = Path(settings.STATIC_ROOT) / ".sources-digest"
    digest = _static_sources_digest()
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists() and marker.exists() and marker.read_text() == digest:
        return
    _manage(["collectstatic", "--no-input", "--clear", "-v", "0"])
    marker.write_text(digest)


def demo_environment(host: str, port: str, base: Mapping[str, str]) -> dict[str, str]:
    """Return ``base`` completed with the demo's settings; values ``base`` has win."""
    hosts = dict.fromkeys(["localhost", "127.0.0.1", "[::1]", host])
    defaults = {
        **DEMO_ENVIRONMENT,
        "ALLOWED_HOSTS": ",".join(hosts),
        # Links in emails and the payment provider's return address point at this server.
        "SITE_URL": f"http://{host}:{port}",
    }
    return {**defaults, **base}


def demo() -> int:
    """Prepare the demo database and static files once, then run web and worker until stopped."""
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    os.environ.update(demo_environment(host, port, os.environ))
    import django

    django.setup()
    _manage(["migrate", "--no-input", "-v", "0"])
    _collect_static()
    _manage(["seed", "--size", "demo", "--if-empty"])
    from recommerce.demo.people import demo_login_lines

    def announce() -> None:
        print(f"\nRecommerce is running at http://{host}:{port}/\n")
        print("Demo logins (email / password):")
        for line in demo_login_lines():
            print(f"  {line}")
        print("\nPress Ctrl+C to stop.\n", flush=True)

    return supervise(demo_commands(host, port), env=dict(os.environ), on_start=announce)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recommerce.settings")
    argv = sys.argv[1:]
    command = argv[0] if argv else "help"
    if command == "demo":
        sys.exit(demo())
    if command == "serve":
        sys.exit(serve())
    if command == "worker":
        _manage(["run_huey", *argv[1:]])
        return
    _manage(argv)


if __name__ == "__main__":
    main()
