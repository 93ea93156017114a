import time

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from ketnoi.accounts.models import Enterprise, User
from ketnoi.cases.models import Case
from ketnoi.dialogue.models import Programme
from ketnoi.demo.cases import CaseBuilder
from ketnoi.demo.generate import DemoBuilder, demo_password, demo_totp_secret, logins_missing
from ketnoi.directives.models import Directive
from ketnoi.front.maintenance import refresh_query_statistics
from ketnoi.knowledge.models import Article, TopicModel
from ketnoi.knowledge.suggest import topic_model_train
from ketnoi.org.models import Unit
from ketnoi.party.models import Organisation
from ketnoi.prices.models import Facility


class Command(BaseCommand):
    help = ("Build the demo department (Ho Chi Minh City Customs, 2020): units, officers, "
            "enterprises, one login per role, a year of businesses' difficulties (cases), the public Q&A and "
            "the directives of the epidemic (February–April 2020), and the prices of some thirty warehouse, yard "
            "and port operators (2019 lists, 2020 commitments and their breaches), and the dialogue programmes of three branches "
            "(the High-Tech Park's twelve morning coffees of 2020, registrations, questions, minutes, follow-ups, "
            "surveys, and its next session), and the party committee (24 grassroots organisations, 970 members, "
            "ratings 2016–2020, commendations, the ceremony of 19/1/2021). "
            "Running it again adds nothing twice.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--officers", type=int, default=1000)
        parser.add_argument("--enterprises", type=int, default=3000)
        parser.add_argument("--cases", type=int, default=20000,
                            help="cases filed in 2020 (plus a few open ones around today); 0 for none "
                                 "(and no public Q&A, directives, prices or dialogue programmes)")
        parser.add_argument("--if-empty", action="store_true",
                            help="when the database already has units, only add the demo cases if it has no case "
                                 "at all, and print the logins")
        parser.add_argument("--reset-passwords", action="store_true",
                            help="give the demo logins a new random password (or KETNOI_DEMO_PASSWORD)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, seed, officers, enterprises, cases, if_empty, reset_passwords, no_progress, **options):
        started = time.monotonic()
        quiet = no_progress or options["verbosity"] == 0

        def progress(iterable, **kw):
            return tqdm(iterable, disable=quiet, ncols=80, **kw)

        builder = DemoBuilder(seed=seed, officers=officers, enterprises=enterprises, progress=progress)
        loaded = if_empty and Unit.objects.exists()
        # A database loaded before the demo had cases gets them; one with any case is left alone.
        want_cases = cases > 0 and not (loaded and Case.objects.exists())
        # The public Q&A and the directives come with the cases (--cases 0 builds the organisation alone).
        want_articles = cases > 0 and not (loaded and Article.objects.exists())
        want_directives = cases > 0 and not (loaded and Directive.objects.exists())
        want_prices = cases > 0 and not (loaded and Facility.objects.exists())
        want_dialogue = cases > 0 and not (loaded and Programme.objects.exists())
        want_party = cases > 0 and not (loaded and Organisation.objects.exists())
        if loaded:
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: không nạp lại bản demo. / The database has data: demo not reloaded.")
            any_new = False
            if logins_missing():
                builder.build_units()
                any_new = True
        else:
            with transaction.atomic():
                units = builder.build_units()
            self.stdout.write(f"Đơn vị / units: {len(units)}")
            with transaction.atomic():
                made = builder.build_officers()
            self.stdout.write(f"Cán bộ mới / new officers: {made}")
            with transaction.atomic():
                made = builder.build_enterprises()
            self.stdout.write(f"Doanh nghiệp mới / new enterprises: {made}")
            any_new = logins_missing()
        password = demo_password(reset=reset_passwords, any_new=any_new)
        with transaction.atomic():
            logins = builder.build_logins(password=password)
        if want_cases:
            # After the logins: the demo logins' unit and enterprise get cases of their own.
            step = time.monotonic()
            made = CaseBuilder(count=cases, seed=seed, progress=progress).build()
            self.stdout.write(f"Vướng mắc mới / new cases: {made} ({time.monotonic() - step:.1f} s)")
        if want_articles:
            step = time.monotonic()
            qa = builder.build_knowledge()
            self.stdout.write(f"Hỏi đáp mới / new Q&A articles: {qa.articles}, văn bản mới / new legal documents: "
                              f"{qa.documents} ({time.monotonic() - step:.1f} s)")
            for reason in qa.skipped:
                self.stderr.write(f"  bỏ qua / skipped: {reason}")
        if want_directives:
            step = time.monotonic()
            made = builder.build_directives()
            self.stdout.write(f"Chỉ đạo mới / new directives: {made.directives}, xác nhận / acknowledgements: "
                              f"{made.acknowledgements}, báo cáo / reports: {made.reports} "
                              f"({time.monotonic() - step:.1f} s)")
            for reason in made.skipped:
                self.stderr.write(f"  bỏ qua / skipped: {reason}")
        if want_prices:
            step = time.monotonic()
            made = builder.build_prices()
            self.stdout.write(f"Giá dịch vụ / prices: {made.operators} doanh nghiệp kho bãi mới / new operators, "
                              f"{made.facilities} cơ sở / facilities, {made.price_lists} bảng giá / price lists, "
                              f"{made.commitments} cam kết / commitments, {made.breaches} vi phạm / breaches "
                              f"({time.monotonic() - step:.1f} s)")
            for reason in made.skipped:
                self.stderr.write(f"  bỏ qua / skipped: {reason}")
        if want_dialogue:
            step = time.monotonic()
            made = builder.build_dialogue()
            self.stdout.write(f"Đối thoại doanh nghiệp / dialogue: {made.programmes} chương trình / programmes, "
                              f"{made.sessions} phiên đã họp / sessions held, {made.registrations} đăng ký / "
                              f"registrations, {made.questions} câu hỏi / questions ({made.follow_ups} theo dõi / "
                              f"followed up), {made.minutes} biên bản / minutes, {made.surveys} phiếu khảo sát / "
                              f"survey answers, {made.upcoming} đăng ký phiên tới / upcoming registrations "
                              f"({time.monotonic() - step:.1f} s)")
            for reason in made.skipped:
                self.stderr.write(f"  bỏ qua / skipped: {reason}")
        if want_party:
            step = time.monotonic()
            made = builder.build_party()
            self.stdout.write(f"Đảng bộ / party: {made.organisations} tổ chức đảng / organisations, {made.members} đảng "
                              f"viên / members, {made.ratings} xếp loại / ratings, {made.badges} huy hiệu / badges, "
                              f"{made.commendations} khen thưởng / commendations, {made.initiatives} mô hình / "
                              f"creative models ({time.monotonic() - step:.1f} s)")
            for warning in made.warnings:
                self.stdout.write(f"  cảnh báo / warning: {warning}")
            for reason in made.skipped:
                self.stderr.write(f"  bỏ qua / skipped: {reason}")
        if want_cases and not TopicModel.objects.exists():
            # Topic suggestion on the case form learns from the demo's resolved cases.
            step = time.monotonic()
            try:
                model = topic_model_train(holdout=0)
            except ValueError as refusal:
                self.stderr.write(f"  gợi ý chủ đề / topic suggestion: {refusal}")
            else:
                self.stdout.write(f"Gợi ý chủ đề / topic suggestion: học từ / trained on {model.cases_used} "
                                  f"vướng mắc ({time.monotonic() - step:.1f} s)")
        refresh_query_statistics()
        self.stdout.write(
            f"\nTổng / totals: {Unit.objects.count()} đơn vị, {User.objects.count()} người dùng, "
            f"{Enterprise.objects.count()} doanh nghiệp, {Case.objects.count()} vướng mắc "
            f"— {time.monotonic() - started:.1f} s\n"
        )
        self.stdout.write("Đăng nhập demo / demo logins:")
        for login in logins:
            shown = password if password else "(đã in khi tạo / printed when created; --reset-passwords)"
            self.stdout.write(f"  {login.username:<12} {shown:<20} {login.description}")
        secret = demo_totp_secret()
        self.stdout.write(
            "Đăng nhập cán bộ cần mã 6 số từ ứng dụng xác thực (Google Authenticator, FreeOTP…) / staff logins "
            "(admin, coordinator, leader, officer, party, secretary) also ask for the 6-digit code of an "
            f"authenticator app; its key / khóa: {' '.join(secret[i:i + 4] for i in range(0, len(secret), 4))}\n"
            f"  (mã hiện tại / current code: .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('{secret}').now())\")")
