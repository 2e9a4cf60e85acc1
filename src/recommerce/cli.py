"""The ``recommerce`` command: ``demo``, ``serve``, ``worker``, ``seed`` and all of manage.py.

- ``recommerce demo``: migrate, load the demo data once, then run the web server and the
  background worker together until interrupted.
- ``recommerce serve``: the production web server (gunicorn) on ``$PORT`` (8000).
- ``recommerce worker``: the Huey consumer that runs background and periodic tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


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
    command = _serve_command(host, port, workers)
    # Become gunicorn, so signals from a process manager reach it directly.
    os.execv(command[0], command)  # noqa: S606


def demo() -> int:
    """Prepare the demo database once, then run web and worker until Ctrl+C."""
    os.environ.setdefault("DEBUG", "1")
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    # Links in emails and the payment provider's return address point at this server.
    os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
    import django

    django.setup()
    _manage(["migrate", "--no-input", "-v", "0"])
    _manage(["seed", "--size", "demo", "--if-empty"])
    env = {**os.environ, "DEBUG": "1"}
    web = subprocess.Popen(_serve_command(host, port, "2"), env=env)  # noqa: S603
    worker = subprocess.Popen([sys.executable, "-m", "recommerce.cli", "worker"], env=env)
    from recommerce.demo.people import DEMO_LOGINS

    print(f"\nRecommerce is running at http://{host}:{port}/\n")
    print("Demo logins (email / password):")
    for role, email, password in DEMO_LOGINS:
        print(f"  {role:<10} {email} / {password}")
    print("\nPress Ctrl+C to stop.\n", flush=True)
    try:
        while web.poll() is None and worker.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            process.wait(timeout=15)
    return 0


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
