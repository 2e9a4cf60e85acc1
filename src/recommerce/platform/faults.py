"""Named steps where a fault test stops a real process: ``checkpoint("outbox.sent")``.

Inert unless ``RECOMMERCE_FAULT_PAUSE`` names the step (``step`` or ``step:n`` for its n-th
pass in the process): the process then writes ``<step>.<pid>`` in ``RECOMMERCE_FAULT_DIR``
and sleeps, so the test can kill it (SIGKILL) at a known point and check what survives.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from pathlib import Path

PAUSE_SECONDS = 600

_passes: Counter[str] = Counter()
_guard = threading.Lock()


def checkpoint(step: str) -> None:
    """Pause here, for a test to kill the process, when the environment names ``step``."""
    wanted = os.environ.get("RECOMMERCE_FAULT_PAUSE")
    if not wanted:
        return
    name, _, count = wanted.rpartition(":")
    if not count.isdigit():  # a step's name may hold colons ("lock:<name>")
        name, count = wanted, "1"
    if name != step:
        return
    with _guard:
        _passes[step] += 1
        reached = _passes[step]
    if reached != int(count):
        return
    folder = Path(os.environ.get("RECOMMERCE_FAULT_DIR", "."))
    (folder / f"{step}.{os.getpid()}").write_text(str(reached))
    time.sleep(PAUSE_SECONDS)
