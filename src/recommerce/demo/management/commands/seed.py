"""``manage.py seed``: load the demo data set or a load-test data set into an empty database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recommerce.demo.people import demo_login_lines, demo_people_create, demo_people_exist
from recommerce.demo.seed import (
    DEFAULT_SEED,
    SIZES,
    SeedReport,
    catalog_model_count,
    dataset_seed,
    demo_history_create,
)


class Command(BaseCommand):
    help = (
        "Load the demo data set (--size demo) or a load-test data set (s, m, l) into a "
        "database whose catalog is empty."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size", choices=list(SIZES), default="demo",
            help="demo: about 450 models and 12,000 offers; s: 2,000 variants, 20,000 "
            "offers; m: 20,000 variants, 200,000 offers; l: 100,000 variants, 1,000,000 "
            "offers (default: demo).",
        )  # fmt: skip
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing, successfully, when the catalog already has device models.",
        )  # fmt: skip
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, dest="random_seed",
            help=f"Random seed; the same seed gives the same data (default: {DEFAULT_SEED}).",
        )  # fmt: skip
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive",
            help="Never prompt and show no progress bars (for scripts and CI logs).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        existing = catalog_model_count()
        if existing and options["if_empty"]:
            # Logins added since the demo data was made; never on another data set, where
            # the published passwords would open accounts on a real catalog.
            if demo_people_exist():
                demo_people_create()
                demo_history_create()  # the buyer's past orders, if a first run stopped early
            if verbosity:
                self.stdout.write(
                    f"The catalog already has {existing:,} device models; keeping the data."
                )
            return
        if existing:
            raise CommandError(
                f"The catalog already has {existing:,} device models. Seed an empty "
                "database (for example after `manage.py flush`), or pass --if-empty."
            )
        try:
            report = dataset_seed(
                size=options["size"],
                random_seed=options["random_seed"],
                progress=verbosity > 0 and options["interactive"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if verbosity:
            self._summary(report, logins=options["size"] == "demo")

    def _summary(self, report: SeedReport, *, logins: bool) -> None:
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Seeded size {report.size!r} (seed {report.random_seed}) in "
                f"{report.total_seconds:.1f} s."
            )
        )
        for name, value in report.counts.items():
            write(f"  {name:<22} {value:>10,}")
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.seconds.items())
        write(f"  steps: {steps}")
        if logins:
            write("Demo logins (email / password):")
            for line in demo_login_lines():
                write(f"  {line}")
