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
        "replay-erasures, ledger-init."
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
        commands.add_parser(
            "ledger-init",
            help="Start the erasure ledger from the erasures this database holds (once).",
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
            self._replay()
        elif action == "ledger-init":
            self._ledger_init()
        else:  # pragma: no cover - argparse refuses other actions
            raise CommandError(f"Unknown action {action!r}.")

    def _ledger_init(self) -> None:
        from recommerce.privacy.ledger import LedgerUnavailable, ledger_store
        from recommerce.privacy.services.replay import ledger_fill

        store = ledger_store()
        try:
            if store.exists() and store.erasures():
                raise CommandError(
                    f"The erasure ledger {store.describe()} already holds erasures: it is "
                    "started. After a restore, run replay-erasures."
                )
            store.create()
            recorded = ledger_fill(store)
        except LedgerUnavailable as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Ledger {store.describe()} started with {len(recorded)} erasure(s) from this database."
        )

    def _replay(self) -> None:
        from recommerce.privacy.ledger import LedgerUnavailable
        from recommerce.privacy.services.replay import LedgerMismatch, erasures_replay

        try:
            report = erasures_replay()
        except (LedgerUnavailable, LedgerMismatch) as error:
            raise CommandError(f"Replay refused: {error}") from error

        def accounts(count: int) -> str:
            return f"{count} account{'s' if count != 1 else ''}"

        self.stdout.write(f"Ledger: {report.ledger}, {report.entries} erasure(s) recorded.")
        self.stdout.write(f"Erased again: {accounts(len(report.erased_again))}.")
        self.stdout.write(f"Already erased: {accounts(report.already_erased)}.")
        self.stdout.write(f"No longer in the database: {accounts(report.gone)}.")
        if report.recorded_now:
            self.stdout.write(
                f"Erasures this database held and the ledger lacked, now recorded: "
                f"{accounts(len(report.recorded_now))}."
            )
        if report.requests_missing:
            self.stdout.write(
                f"Requests the ledger proves and this database lost ({len(report.requests_missing)}"
                f"): {', '.join(report.requests_missing)}. Their steps: the ledger's "
                "request_steps table; contact the people through their reference."
            )
        problems = []
        if report.reused:
            numbers = ", ".join(map(str, report.reused))
            problems.append(
                f"account number(s) {numbers} now belong to someone who joined after the "
                "erasure under another email address: left alone, check them by hand"
            )
        if report.failed:
            numbers = ", ".join(map(str, report.failed))
            problems.append(f"account(s) {numbers} could not be erased again: run the replay again")
        if problems:
            raise CommandError("Replay incomplete: " + "; ".join(problems) + ".")

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
