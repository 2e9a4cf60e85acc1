"""``manage.py encryption_rotate``: re-encrypt stored sensitive data under the newest key:
every encrypted column, then every sealed file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from recommerce.privacy.encryption import column_rotate, encrypted_columns
from recommerce.privacy.encryption.files import files_rotate
from recommerce.privacy.encryption.keys import keyring
from recommerce.privacy.encryption.rotation import DEFAULT_BATCH_SIZE


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column and every sealed file under the newest key of "
        "ENCRYPTION_KEYS. Put the new key first, run this, and only then remove the old key. "
        "Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
            help=f"Rows read and written per transaction (default: {DEFAULT_BATCH_SIZE}).",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Count what would be re-encrypted, and write nothing.",
        )  # fmt: skip
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS,
            help=f"The database to work on (default: {DEFAULT_DB_ALIAS!r}).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        dry_run: bool = options["dry_run"]
        quiet = not options["verbosity"]

        def write(message: str) -> None:
            if not quiet:
                self.stdout.write(message)

        columns = encrypted_columns()
        if keyring().count == 1:
            write("Only one encryption key is configured; checking every value can be read.")
        totals = {"rotated": 0, "current": 0, "unreadable": 0, "changed": 0}
        lost: list[str] = []
        for model, field in columns:
            result = column_rotate(
                model, field, batch_size=batch_size, dry_run=dry_run, using=options["database"]
            )
            for name in totals:
                totals[name] += getattr(result, name)
            line = (
                f"{result.column}: {result.rotated:,} {'to rotate' if dry_run else 'rotated'}, "
                f"{result.current:,} already current, {result.unreadable:,} unreadable"
            )
            if result.changed:
                line += f", {result.changed:,} changed meanwhile, left as saved"
            write(line)
            if result.unreadable:
                pks = ", ".join(str(pk) for pk in result.unreadable_pks)
                lost.append(f"{result.column} (primary keys include {pks})")
        files = files_rotate(dry_run=dry_run)
        line = (
            f"sealed files: {files.rotated:,} {'to rotate' if dry_run else 'rotated'}, "
            f"{files.current:,} already current, {files.unreadable:,} unreadable"
        )
        if files.changed:
            line += f", {files.changed:,} deleted or replaced meanwhile, left as they are"
        write(line)
        if files.unreadable:
            lost.append(f"sealed files (names include {', '.join(files.unreadable_names)})")
        current = totals["current"] + files.current
        verb = "Would re-encrypt" if dry_run else "Re-encrypted"
        write(
            self.style.SUCCESS(
                f"{verb} {_count(totals['rotated'], 'value')} in "
                f"{_count(len(columns), 'column')} and {_count(files.rotated, 'file')}; "
                f"{current:,} {'was' if current == 1 else 'were'} already under the newest key."
            )
        )
        if lost:
            unreadable = _count(totals["unreadable"], "value")
            if files.unreadable:
                unreadable += f" and {_count(files.unreadable, 'file')}"
            raise CommandError(
                f"{unreadable} cannot be decrypted by any configured key: {'; '.join(lost)}"
                + ". Add back the key that made them before removing any other key."
            )
