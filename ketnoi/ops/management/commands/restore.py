"""ketnoi restore FILE.tar [--yes]

Replaces the database and the uploaded files with a backup's (`ketnoi backup`). Stop ketnoi
first (every app server, the worker, the tick). The manifest and every checksum are checked
before anything is touched; a backup of the other engine is refused; the counts of the main
tables are compared with the manifest at the end (exit 1 when one differs).
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from tqdm import tqdm

from ketnoi.ops.backup import BackupError, backup_check, backup_restore


class Command(BaseCommand):
    help = ("Restore the database and the uploaded files from a backup made by `ketnoi backup` "
            "(stop ketnoi first). Checks every checksum before touching anything.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup, a .tar file made by `ketnoi backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, yes, no_progress, **options):
        interactive = sys.stdin.isatty()
        if not yes and not interactive:
            raise CommandError(_("A restore replaces every record and file of this ketnoi: add --yes to confirm "
                                 "when no one can type the confirmation."))
        try:
            manifest = backup_check(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        where = connection.settings_dict["NAME"]
        counts = manifest["counts"]
        self.stdout.write(_(
            "Backup of %(created)s (ketnoi %(version)s, %(engine)s): %(cases)s cases, %(members)s party members, "
            "%(events)s audit events, %(files)d files.") % {
            "created": manifest.get("created_at", "?"), "version": manifest.get("ketnoi_version", "?"),
            "engine": manifest["engine"], "cases": counts.get("cases.Case", "?"),
            "members": counts.get("party.Member", "?"), "events": counts.get("audit.AuditEvent", "?"),
            "files": sum(1 for name in manifest["parts"] if name.startswith("files/"))})
        if manifest["engine"] == "sqlite":
            self.stdout.write(_(
                "The database %(path)s will be replaced: the backup is unpacked into a temporary file beside it, "
                "checked, then renamed over it in one step. ketnoi must be stopped (every app server, the worker "
                "and the tick): a server still running would go on writing to the file it has open, and what it "
                "writes would be lost.") % {"path": where})
        else:
            self.stdout.write(_(
                "The database %(name)s will be replaced in one transaction (pg_restore --clean --single-transaction). "
                "Stop ketnoi first (every app server, the worker and the tick).") % {"name": where})
        if not yes:
            answer = input(_("Type 'yes' to replace the database and the files with the backup's: "))
            if answer.strip().lower() not in ("yes", "có", "co"):
                raise CommandError(_("Nothing was restored."))
        quiet = no_progress or options["verbosity"] == 0
        bar = None

        def progress(stage, done, total):
            nonlocal bar
            if quiet:
                return
            if bar is None:
                title = _("Checking").replace("{", "{{").replace("}", "}}")
                bar = tqdm(total=total, ncols=80, file=sys.stderr, bar_format=title + " {n_fmt}/{total_fmt} |{bar}|")
            bar.update(done - bar.n)

        try:
            restored = backup_restore(file, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            if bar is not None:
                bar.close()
        for label, (expected, found) in restored.counts.items():
            mark = "✓" if expected == found else "✗"
            line = f"{mark} {label}: {found} / {expected}"
            self.stdout.write(line if expected == found else self.style.ERROR(line))
        self.stdout.write(_("%(files)d files put back in the uploaded files' folder.") % {"files": restored.files})
        if restored.leftover_tables:
            self.stdout.write(self.style.WARNING(_(
                "These tables are not in the backup and were left as they were: %(tables)s. A later version made "
                "them; drop them before `ketnoi migrate` makes them again.") % {
                "tables": ", ".join(restored.leftover_tables)}))
        if restored.migrations_to_apply:
            self.stdout.write(self.style.WARNING(_(
                "The backup is older than this version of ketnoi: run `ketnoi migrate` before starting it "
                "(%(count)d migrations to apply).") % {"count": len(restored.migrations_to_apply)}))
        if restored.mismatched:
            raise CommandError(_("The database does not hold what the manifest counted: %(labels)s.")
                               % {"labels": ", ".join(restored.mismatched)}, returncode=1)
        self.stdout.write(self.style.SUCCESS(_("Restored: every count matches the backup's manifest.")))
