"""``recommerce privacy …``: the data map, the record of processing activities, the notice,
the retention job, key rotation, erasure replay."""

from __future__ import annotations

import json
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Privacy operations: datamap, ropa, notice-publish, retention, rotate-keys, "
        "replay-erasures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        datamap = commands.add_parser("datamap", help="Print the data map from the registry.")
        datamap.add_argument("--format", choices=["markdown", "json"], default="markdown")
        ropa = commands.add_parser(
            "ropa", help="Print the record of processing activities, one row per purpose."
        )
        ropa.add_argument("--format", choices=["csv", "json"], default="csv")
        publish = commands.add_parser(
            "notice-publish", help="Publish the privacy notice as generated now, and announce it."
        )
        publish.add_argument("--summary", required=True, help="What changed, for the email.")
        retention = commands.add_parser("retention", help="Apply every retention period now.")
        retention.add_argument(
            "--dry-run", action="store_true", help="Count what would go; change nothing."
        )
        rotate = commands.add_parser("rotate-keys", help="Re-encrypt under the newest key.")
        rotate.add_argument("--dry-run", action="store_true")
        commands.add_parser(
            "replay-erasures", help="Erase again the accounts a backup restore brought back."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "datamap":
            from recommerce.privacy.datamap import datamap_json, datamap_markdown

            if options["format"] == "json":
                self.stdout.write(json.dumps(datamap_json(), indent=2, ensure_ascii=False))
            else:
                self.stdout.write(datamap_markdown(), ending="")
        elif action == "ropa":
            from recommerce.privacy.notice.ropa import ropa_csv, ropa_json

            if options["format"] == "json":
                self.stdout.write(json.dumps(ropa_json(), indent=2, ensure_ascii=False))
            else:
                self.stdout.write(ropa_csv(), ending="")
        elif action == "notice-publish":
            self._notice_publish(summary=options["summary"])
        elif action == "retention":
            self._retention(dry_run=options["dry_run"])
        elif action == "rotate-keys":
            call_command("encryption_rotate", dry_run=options["dry_run"], stdout=self.stdout)
        elif action == "replay-erasures":
            from recommerce.privacy.services.erasure import erasures_replay

            count = erasures_replay()
            self.stdout.write(f"Erased again: {count} account{'s' if count != 1 else ''}.")
        else:  # pragma: no cover - argparse refuses other actions
            raise CommandError(f"Unknown action {action!r}.")

    def _retention(self, *, dry_run: bool) -> None:
        from recommerce.privacy.services.retention import retention_run

        run = retention_run(dry_run=dry_run)
        verb = "would change" if dry_run else "changed"
        for row in run.report:
            period = row["rule"].split(":")[0]
            self.stdout.write(
                f"{row['model']:<28} {period:<58} {row['action']:<24} {verb} {row['rows']}"
            )
        if run.error:
            raise CommandError(f"The retention run stopped: {run.error}")
        total = sum(r["rows"] for r in run.report)
        self.stdout.write(f"{'Dry run: ' if dry_run else ''}{total} row(s) {verb}.")

    def _notice_publish(self, *, summary: str) -> None:
        from recommerce.privacy.services.notice import NoticeError, notice_publish

        try:
            version = notice_publish(actor=None, summary=summary)
        except NoticeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Published the privacy notice, version {version.version}.")
