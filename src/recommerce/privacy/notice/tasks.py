"""The announcement of a new notice version, one batch of accounts per task.

Imported by ``privacy.tasks`` so the worker knows the task.
"""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def notice_announce_task(version_id: int, user_ids: list[int], attempt: int = 1) -> None:
    from recommerce.privacy.services.notice import notice_mail_batch

    notice_mail_batch(version_id=version_id, user_ids=user_ids, attempt=attempt)
