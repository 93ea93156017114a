"""ketnoi backup [--output FOLDER|FILE.tar] [--keep N] [--no-progress]

The database (SQLite's online backup, consistent while the site writes; `pg_dump` on
PostgreSQL) and the uploaded files in one .tar with a manifest (ketnoi/ops/backup.py says what
is in it and why). Prints the backup's path on stdout, the rest on stderr.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from tqdm import tqdm

from ketnoi.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Back up the database and the uploaded files into one .tar file named after the date and time, "
            "with a manifest (engine, migrations, counts, checksums).")

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the folder to write to (default: KETNOI_VAR_DIR/backups), "
                                             "or the path of the .tar file")
        parser.add_argument("--keep", type=int, metavar="N",
                            help="then remove all but the newest N backups of that folder")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, output, keep, no_progress, **options):
        started = time.monotonic()
        quiet = no_progress or options["verbosity"] == 0
        bars: dict[str, tqdm] = {}
        titles = {"database": _("Database"), "files": _("Files")}

        def progress(stage, done, total):
            if quiet:
                return
            if stage not in bars:
                for bar in bars.values():
                    bar.close()
                title = titles.get(stage, stage).replace("{", "{{").replace("}", "}}")
                bars[stage] = tqdm(total=total, ncols=80, file=sys.stderr,
                                   bar_format=title + " {n_fmt}/{total_fmt} |{bar}| {percentage:3.0f}%")
            bar = bars[stage]
            bar.total = total
            bar.update(done - bar.n)

        try:
            path, manifest = backup_create(output=output, keep=keep, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:  # the disk is full, or the folder not writable: nothing half-written is left
            raise CommandError(_("The backup could not be written: %(error)s") % {"error": error}) from None
        finally:
            for bar in bars.values():
                bar.close()
        files = [name for name in manifest["parts"] if name.startswith("files/")]
        counts = manifest["counts"]
        self.stderr.write(_(
            "%(engine)s database, %(cases)s cases, %(events)s audit events, %(files)d files; %(size)s in %(seconds).1f s")
            % {"engine": manifest["engine"], "cases": counts.get("cases.Case", 0),
               "events": counts.get("audit.AuditEvent", 0), "files": len(files),
               "size": filesizeformat(path.stat().st_size), "seconds": time.monotonic() - started})
        self.stdout.write(str(path.resolve()))
