from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ketnoi.ops.doctor import run_checks


class Command(BaseCommand):
    help = ("Check this deployment: database, migrations, settings, mail, background worker, tick, disk, static "
            "files, read replica, audit chain. One line per check; exits 1 when one fails.")

    def handle(self, *args, **options):
        results = run_checks()
        for result in results:
            mark = "✓" if result.ok else "✗"
            line = f"{mark} {result.name}: {result.found}"
            if result.ok:
                self.stdout.write(line)
            else:
                self.stdout.write(self.style.ERROR(line))
                self.stdout.write(f"    → {result.todo}")
        failed = [result.name for result in results if not result.ok]
        if failed:
            raise CommandError(_("%(count)d check(s) failed: %(names)s") % {"count": len(failed),
                                                                            "names": ", ".join(failed)}, returncode=1)
        self.stdout.write(self.style.SUCCESS(_("All %(count)d checks passed.") % {"count": len(results)}))
