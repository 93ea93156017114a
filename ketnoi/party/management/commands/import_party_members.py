"""Import party members from the register's workbook, every row checked by member_create.

    ketnoi import-party-members dang-vien-2020.xlsx --dry-run
    ketnoi import-party-members dang-vien-2020.xlsx --as vanphongdanguy

The workbook is the template's (ketnoi.party.xlsx): a header row with Họ và tên, Giới tính, Ngày
sinh, Ngày vào Đảng (quyết định), Ngày vào Đảng (thẻ), Ngày chính thức, Số thẻ đảng, Tổ chức
đảng, Chức vụ. The file is one transaction: when any row is rejected nothing is written and every
problem is listed with its row. --dry-run checks the whole file and writes nothing.
"""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from ketnoi.accounts.models import Role, User
from ketnoi.party import services


class Command(BaseCommand):
    help = "Import party members from an XLSX register; nothing is written if any row is rejected."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx register (the template's columns)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--as", dest="username", metavar="USERNAME",
                            help="the party-office user the audit trail names (default: the system)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, dry_run, username, no_progress, **options):
        started = time.monotonic()
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        by = None
        if username:
            by = User.objects.filter(username=username, is_active=True, role_assignments__role=Role.PARTY_OFFICE).first()
            if by is None:
                raise CommandError(_("%(username)s is not an active party-office user.") % {"username": username})
        quiet = no_progress or options["verbosity"] == 0
        bar = None

        def progress(done, total):
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, disable=quiet, ncols=80, unit=" rows", desc="Nhập / importing")
            bar.update(1)

        try:
            with path.open("rb") as upload:
                created = services.members_import(file=upload, by=by, dry_run=dry_run, progress=progress)
        except ValidationError as error:
            if bar is not None:
                bar.close()
            problems = error.message_dict.get("file", error.messages)
            self.stderr.write(_("Rejected:"))
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(_("%(n)d problems: nothing was imported.") % {"n": len(problems)}) from None
        if bar is not None:
            bar.close()
        message = _("Checked %(n)d members: the file is valid, nothing was written (dry run).") if dry_run else \
            _("Imported %(n)d members.")
        self.stdout.write(message % {"n": len(created)} + f" — {time.monotonic() - started:.1f} s")
