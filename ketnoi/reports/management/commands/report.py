"""Reports from the command line.

    ketnoi report year-end --year 2020 --format pdf [--output PATH] [--signer NAME]
    ketnoi report weekly [--dry-run]

`year-end` writes the party committee's year-end review (reports.yearend) as DOCX or PDF, with
a progress bar on stderr, and prints the file's path; a bad year or format exits with code 2
and says why. `weekly` sends the last week's summary e-mails now (reports.weekly) to those who
have not had them this week; `--dry-run` lists who would get what and sends nothing.
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from ketnoi.reports import weekly, yearend

USAGE_ERROR = 2  # as argparse exits on a bad argument


class Command(BaseCommand):
    help = "The year-end review as DOCX or PDF (year-end), the weekly summary e-mails (weekly)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="{year-end,weekly}", required=True)
        year_end = actions.add_parser("year-end", help="write the year-end review of a year")
        year_end.add_argument("--year", required=True, help="the year reviewed, e.g. 2020")
        year_end.add_argument("--format", dest="fmt", required=True, help="docx or pdf")
        year_end.add_argument("--output", help="the file to write (default: bao-cao-tong-ket-nam-YEAR.FORMAT here)")
        year_end.add_argument("--signer", default="", help="the name printed under the signature")
        year_end.add_argument("--no-progress", action="store_true")
        summary = actions.add_parser("weekly", help="send the last week's summary e-mails now")
        summary.add_argument("--dry-run", action="store_true", help="list who would get what, send nothing")

    def handle(self, *args, action, **options):
        if action == "year-end":
            return self.year_end(**options)
        return self.weekly(**options)

    def year_end(self, *, year, fmt, output, signer, no_progress, **options):
        started = time.monotonic()
        # Both arguments are checked before anything is read or written.
        try:
            year, fmt = yearend.check_year(year), yearend.check_format(fmt)
        except yearend.YearEndError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        path = Path(output) if output else Path.cwd() / yearend.year_end_filename(year=year, fmt=fmt)
        if path.is_dir():
            path = path / yearend.year_end_filename(year=year, fmt=fmt)
        if not path.parent.is_dir():
            raise CommandError(_("No such folder: %(folder)s") % {"folder": path.parent}, returncode=USAGE_ERROR)
        quiet = no_progress or options["verbosity"] == 0
        bar = None

        def progress(done, total, label):
            nonlocal bar
            if bar is None:
                title = _("Year-end review").replace("{", "{{").replace("}", "}}")
                bar = tqdm(total=total, disable=quiet, ncols=80, file=sys.stderr,
                           bar_format=title + " {n_fmt}/{total_fmt} |{bar}| {desc}")
            bar.set_description_str(label, refresh=False)
            bar.update(done - bar.n)

        try:
            data = yearend.year_end_render(year=year, fmt=fmt, progress=progress, signer_name=signer)
        finally:
            if bar is not None:
                bar.close()
        path.write_bytes(data)
        self.stderr.write(f"{len(data):,} B — {time.monotonic() - started:.1f} s")
        self.stdout.write(str(path.resolve()))

    def weekly(self, *, dry_run, **options):
        if dry_run:
            found = weekly.summaries()
            for summary in found:
                parts = [_("the department")] if summary.department else []
                parts += [section.unit.short_name for section in summary.units]
                self.stdout.write(f"{summary.user.get_username()} <{summary.user.email or '-'}> "
                                  f"[{summary.user.language}]: {', '.join(parts)}")
            self.stdout.write(_("%(n)d summaries of the week from %(start)s would be sent (dry run).") % {
                "n": len(found), "start": f"{weekly.last_week(timezone.localdate())[0]:%d/%m/%Y}"})
            return
        sent = weekly.send_weekly()
        self.stdout.write(_("%(n)d summaries of the week from %(start)s sent.") % {
            "n": sent, "start": f"{weekly.last_week(timezone.localdate())[0]:%d/%m/%Y}"})
