"""Builds the demo department: units, ~1,000 officers, ~3,000 enterprises, one login per role.

Every write goes through the services, like any other write. Records are found by their
natural keys (unit code or name, username, tax code), so running it again adds nothing twice.
"""

import os
import random
import secrets
from dataclasses import dataclass

import pyotp
from django.utils import timezone

from ketnoi.accounts import selectors as account_selectors
from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import ENTERPRISE_ROLES, Enterprise, Role, TotpDevice, User
from ketnoi.lib import taxcode
from ketnoi.lib.vntext import fold
from ketnoi.org import services as org
from ketnoi.org.models import Unit

from . import data

HIGH_TECH_PARK = "02F3"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    full_name: str
    scope: str
    description: str


# The logins other tools script against (issue #2): keep the usernames stable.
LOGINS = [
    DemoLogin("admin", Role.ADMIN, "Trần Minh Khoa", "", "quản trị hệ thống / system administrator"),
    DemoLogin("coordinator", Role.COORDINATOR, "Nguyễn Thị Thu Hà", "", "điều phối cấp Cục / department coordinator"),
    DemoLogin("leader", Role.LEADER, "Lê Quốc Thịnh", HIGH_TECH_PARK, "lãnh đạo Chi cục HQ Khu công nghệ cao / unit leader"),
    DemoLogin("officer", Role.OFFICER, "Phạm Ngọc Trâm", HIGH_TECH_PARK, "công chức Chi cục HQ Khu công nghệ cao / officer"),
    DemoLogin("business", Role.BUSINESS, "Võ Thanh Tùng", "business", "doanh nghiệp / business user"),
    DemoLogin("business2", Role.BUSINESS, "Đặng Mỹ Duyên", "business2", "doanh nghiệp khác / another business"),
    DemoLogin("operator", Role.OPERATOR, "Huỳnh Tấn Lộc", "operator", "doanh nghiệp kho bãi / warehouse operator"),
    DemoLogin("party", Role.PARTY_OFFICE, "Bùi Thị Hồng Nhung", "", "văn phòng Đảng ủy / party office"),
]
# The secretary of one grassroots party organisation, the High-Tech Park branch's cell
# (ketnoi.demo.party makes her so): she reads that cell's members only.
PARTY_SECRETARY = DemoLogin("secretary", Role.OFFICER, "Trịnh Thị Mỹ Hạnh", HIGH_TECH_PARK,
                            "bí thư Chi bộ Chi cục HQ Khu công nghệ cao / party cell secretary")

# The enterprises of the demo business and operator logins (made up; valid tax codes).
NAMED_ENTERPRISES = {
    "business": dict(first9="031578204", name="Công ty TNHH Điện tử Sao Khải Việt", short_name="Sao Khải Việt",
                     address="Lô I-3b, Đường N2, Khu Công nghệ cao, TP. Thủ Đức, TP. Hồ Chí Minh",
                     home=HIGH_TECH_PARK, is_priority=True),
    "business2": dict(first9="031204577", name="Công ty Cổ phần Thực phẩm Xuân Cát", short_name="Xuân Cát Foods",
                      address="Lô 27, KCX Tân Thuận, Quận 7, TP. Hồ Chí Minh", home="02XE", is_priority=False),
    "operator": dict(first9="030916342", name="Công ty Cổ phần Kho vận Tân Cát Long", short_name="Tân Cát Long Logistics",
                     address="Số 18 Trường Sơn, Phường 2, Quận Tân Bình, TP. Hồ Chí Minh", home="02AB", is_priority=False),
}


def _slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]


def person_name(rng: random.Random) -> tuple[str, str]:
    """A made-up Vietnamese full name and its gender."""
    surname = rng.choices(data.SURNAMES, weights=data.SURNAME_WEIGHTS)[0]
    if rng.random() < 0.5:
        return f"{surname} {rng.choice(data.MIDDLE_MALE)} {rng.choice(data.GIVEN_MALE)}", "male"
    return f"{surname} {rng.choice(data.MIDDLE_FEMALE)} {rng.choice(data.GIVEN_FEMALE)}", "female"


def enterprise_name(rng: random.Random) -> str:
    form = _weighted(rng, data.LEGAL_FORMS)
    if rng.random() < 0.08:
        return f"{form} {rng.choice(data.FOREIGN_BRANDS)} {rng.choice(['', 'Một', 'Hai'])}".strip()
    brand = " ".join(rng.sample(data.BRAND_SYLLABLES, k=rng.choice([2, 2, 3])))
    return f"{form} {rng.choice(data.TRADES)} {brand}"


def tax_code(rng: random.Random) -> str:
    """A valid tax code of an enterprise registered in Ho Chi Minh City (they start with 03)."""
    while True:
        first9 = "03" + f"{rng.randrange(10**7):07d}"
        if first9[2:] != "0000000" and taxcode.check_digit(first9) is not None:
            return taxcode.make(first9)


class DemoBuilder:
    def __init__(self, *, seed: int = 2020, officers: int = 1000, enterprises: int = 3000,
                 progress=None):
        self.seed = seed
        self.rng = random.Random(seed)
        self.officers = officers
        self.enterprises = enterprises
        self.progress = progress or (lambda iterable, **kw: iterable)
        self.by = None  # the demo is written by "system"
        self.units: dict[str, Unit] = {}

    # --- units ------------------------------------------------------------------------------
    def build_units(self) -> list[Unit]:
        d = data.DEPARTMENT
        dept = self._unit(code=d["code"], name_vi=d["name_vi"], name_en=d["name_en"], kind=d["kind"],
                          parent=None, short_name_vi=d["short_vi"], short_name_en=d["short_en"],
                          address=d["address"])
        self.units["dept"] = dept
        for code, name_vi, name_en, kind, _size in data.BRANCHES:
            unit = self._unit(code=code, name_vi=name_vi, name_en=name_en, kind=kind, parent=dept)
            self.units[code] = unit
            if kind == Unit.Kind.BRANCH:
                for team_vi, team_en in data.BRANCH_TEAMS:
                    key = f"{code}/{team_vi}"
                    self.units[key] = self._unit(code="", name_vi=team_vi, name_en=team_en,
                                                 kind=Unit.Kind.TEAM, parent=unit)
        for name_vi, name_en, _size in data.DIVISIONS:
            self.units[name_vi] = self._unit(code="", name_vi=name_vi, name_en=name_en,
                                             kind=Unit.Kind.DIVISION, parent=dept)
        return list(self.units.values())

    def _unit(self, *, code: str, name_vi: str, parent: Unit | None, **fields) -> Unit:
        existing = Unit.objects.filter(code=code).first() if code else \
            Unit.objects.filter(code="", name_vi=name_vi, parent=parent).first()
        if existing:
            return existing
        return org.unit_create(code=code, name_vi=name_vi, parent=parent, by=self.by, **fields)

    # --- officers ---------------------------------------------------------------------------
    def build_officers(self) -> int:
        """Officers for every unit in proportion to its size; their passwords are unusable
        (they would set one through the password-reset e-mail)."""
        sizes = [(self.units[code], size) for code, *_rest, size in data.BRANCHES]
        sizes += [(self.units[name], size) for name, _en, size in data.DIVISIONS]
        total = sum(size for _unit, size in sizes)
        created, number = 0, 0
        plan = []
        for unit, size in sizes:
            count = max(3, round(size * self.officers / total))
            for i in range(count):
                number += 1
                plan.append((unit, number, i))
        existing = set(User.objects.filter(username__startswith="cb").values_list("username", flat=True))
        for unit, number, i in self.progress(plan, desc="Cán bộ / officers", unit=""):
            username = f"cb{number:04d}"
            # Draw everything before skipping an existing officer: the same draws every run.
            name, _gender = person_name(self.rng)
            role = Role.LEADER if i < 2 else Role.OFFICER
            position = data.POSITIONS_LEADER[min(i, 1)] if role == Role.LEADER else self.rng.choice(data.POSITIONS_OFFICER)
            if username in existing:
                continue
            accounts.user_create(username=username, full_name=name, position=position,
                                 email=f"{_slug(name)}.{number:04d}@haiquan.example",
                                 role=role, unit=unit, by=self.by)
            created += 1
        return created

    # --- enterprises ------------------------------------------------------------------------
    def build_enterprises(self) -> int:
        branches = [self.units[code] for code, *_rest, kind, _s in data.BRANCHES if kind == "branch"]
        zones = {code: self.units[code] for _zone, code in data.ZONES}
        seen_codes = set(Enterprise.objects.values_list("tax_code", flat=True))
        drawn_names: set[str] = set()
        created = 0
        for _ in self.progress(range(self.enterprises), desc="Doanh nghiệp / enterprises", unit=""):
            code, name = tax_code(self.rng), enterprise_name(self.rng)
            # The same draws every run, whatever the database holds: a second run finds the same
            # tax codes and skips them.
            while name in drawn_names:
                name = enterprise_name(self.rng)
            drawn_names.add(name)
            if self.rng.random() < 0.45:
                zone, unit_code = self.rng.choice(data.ZONES)
                address = f"Lô {self.rng.randint(1, 60)}{self.rng.choice(['', 'A', 'B'])}, {zone}, TP. Hồ Chí Minh"
                home = zones[unit_code]
            else:
                address = (f"{self.rng.randint(1, 999)} {self.rng.choice(data.STREETS)}, "
                           f"{self.rng.choice(data.AREAS)}, TP. Hồ Chí Minh")
                home = self.rng.choice(branches)
            is_priority = self.rng.random() < 0.03
            phone = f"028 {self.rng.randint(3500, 3999)} {self.rng.randint(1000, 9999)}"
            if code in seen_codes:
                continue
            seen_codes.add(code)
            accounts.enterprise_create(
                tax_code=code, name=name, by=self.by, address=address,
                email=f"xnk@{_slug(name.split(' ', 3)[-1])[:24]}.example.vn",
                phone=phone, is_priority=is_priority, home_unit=home,
            )
            created += 1
        return created

    # --- the demo logins --------------------------------------------------------------------
    def build_logins(self, *, password: str | None) -> list[DemoLogin]:
        """Create the named logins. `password` is set on every one of them when given;
        otherwise existing logins keep theirs and new ones get none (the caller decides)."""
        for login in [*LOGINS, PARTY_SECRETARY]:
            user = User.objects.filter(username=login.username).first()
            if user is None and login.role in ENTERPRISE_ROLES:
                user = self._enterprise_user(login)
            elif user is None:
                user = accounts.user_create(
                    username=login.username, full_name=login.full_name, email=f"{login.username}@ketnoi.example",
                    role=login.role, unit=self.units.get(login.scope), by=self.by,
                )
            if password:
                user.set_password(password)
                user.save(update_fields=["password"])
            if account_selectors.is_staff_for_sign_in(user=user):
                self._authenticator(user)
        return [*LOGINS, PARTY_SECRETARY]

    def _authenticator(self, user: User) -> None:
        """The staff logins sign in with a second factor, as staff do in production: each gets a
        confirmed authenticator whose key `ketnoi demo` prints (the same key for all of them, so
        one entry in an authenticator app serves every demo staff login)."""
        if TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
            return
        secret = demo_totp_secret()
        accounts.totp_enrol_start(user=user, secret=secret)
        # The code of the service's own clock (a test may have moved it).
        accounts.totp_enrol_confirm(user=user, code=pyotp.TOTP(secret).at(timezone.now()))

    def _enterprise_user(self, login: DemoLogin) -> User:
        spec = NAMED_ENTERPRISES[login.scope]
        code = taxcode.make(spec["first9"])
        enterprise = Enterprise.objects.filter(tax_code=code).first() or accounts.enterprise_create(
            tax_code=code, name=spec["name"], short_name=spec["short_name"], address=spec["address"],
            email=f"{login.username}@ketnoi.example", phone="028 3512 4477", is_priority=spec["is_priority"],
            home_unit=self.units[spec["home"]], by=self.by,
        )
        return accounts.user_create(username=login.username, full_name=login.full_name,
                                    email=f"{login.username}@ketnoi.example", position="Nhân viên xuất nhập khẩu",
                                    role=login.role, enterprise=enterprise, by=self.by)

    # --- the public Q&A -----------------------------------------------------------------------
    def build_knowledge(self):
        """The legal documents and the hand-written Q&A (ketnoi.demo.knowledge), published by the
        coordinator login: after build_logins."""
        from .knowledge import KnowledgeBuilder

        return KnowledgeBuilder(seed=self.seed, progress=self.progress).build()

    # --- the directives of the epidemic -------------------------------------------------------
    def build_directives(self):
        """February–April 2020's directives (ketnoi.demo.directives), issued by the coordinator
        login and acknowledged by the units' leaders: after build_officers and build_logins."""
        from .directives import DirectiveBuilder

        return DirectiveBuilder(seed=self.seed, progress=self.progress).build()

    # --- the prices of warehouses, yards and ports --------------------------------------------
    def build_prices(self):
        """About thirty operators, their 2019 lists, 2020 commitments, lists and breaches
        (ketnoi.demo.prices), recorded by the coordinator login: after build_units and build_logins."""
        from .prices import PriceBuilder

        return PriceBuilder(seed=self.seed, progress=self.progress).build()

    # --- the dialogue programmes ("Cà phê sáng cùng doanh nghiệp") ------------------------------
    def build_dialogue(self):
        """The High-Tech Park branch's twelve morning coffees of 2020 and two other branches'
        programmes, with registrations, questions (as cases), minutes, follow-ups and survey
        answers, and the next session today (ketnoi.demo.dialogue): after build_officers and
        build_logins, and after the cases (their references of 2020 come after the year's)."""
        from .dialogue import DialogueBuilder

        return DialogueBuilder(seed=self.seed, progress=self.progress).build()

    # --- the party committee ------------------------------------------------------------------
    def build_party(self):
        """The department's party committee: 24 grassroots organisations, 970 members, ratings of
        2016–2020, the commendations of 2020, the ceremony of 19/1/2021 and the creative models
        (ketnoi.demo.party), written by the party office login: after build_logins, and after the
        prices and the dialogue programmes that its creative models link to."""
        from .party import PartyBuilder

        return PartyBuilder(seed=self.seed, progress=self.progress).build()


def demo_password(*, reset: bool, any_new: bool) -> str | None:
    """KETNOI_DEMO_PASSWORD when set; otherwise a new random one when a login is new or a reset
    was asked for; otherwise None (the logins keep the password printed when they were made)."""
    if os.environ.get("KETNOI_DEMO_PASSWORD"):
        return os.environ["KETNOI_DEMO_PASSWORD"]
    if reset or any_new:
        return secrets.token_urlsafe(12)
    return None


def demo_totp_secret() -> str:
    """The authenticator key of the demo's staff logins: the one they already have, else a new
    random one."""
    usernames = [login.username for login in [*LOGINS, PARTY_SECRETARY]]
    device = TotpDevice.objects.filter(user__username__in=usernames, confirmed_at__isnull=False).first()
    return device.secret if device else pyotp.random_base32()


def logins_missing() -> bool:
    logins = [*LOGINS, PARTY_SECRETARY]
    return User.objects.filter(username__in=[login.username for login in logins]).count() < len(logins)

