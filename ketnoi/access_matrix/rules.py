"""What each role may get from a view, in words a rule table can use.

A rule says, for every role of the matrix, one of three outcomes:

    OK      allowed: 2xx, or a redirect that is the page's normal behaviour (not to a login page)
    LOGIN   login required: a redirect to the login page (the site's or the admin's), 401 in the API
    NO      refused: 403 or 404 (the project hides a case, a registration or a member of someone
            else behind a 404 where its existence is itself confidential, and answers 403 where
            the page's existence is public knowledge; both are refusals here)

Most rules are one word: `PUBLIC`, `SIGNED_IN`, `STAFF`, `UNIT`, `LEADER`, `COORDINATOR`,
`PARTY`, `ADMIN`, `OWNER` (the enterprise that owns the object and the unit that handles it),
built with `only(...)`. `.at(...)` fills the URL's arguments from the world (world.py):

    "cases:detail": OWNER.at(reference="case.reference"),
    "dialogue:session": PUBLIC.at(pk="session"),           # a model: its pk
    "party:ratings": PARTY.at(year="year"),

The rest, where a view needs it:

    .but(admin=OK)       changes a few cells of a group
    .posts()             the view answers only POST: GET is a 405 for everyone; the roles it
                         refuses are checked with a POST
    .post_by(*roles)     fewer may POST than may read the page: the other readers' POST is refused
    .form(...)           what a refused role's POST sends when an empty one would stop at the
                         form's validation (400) before the access check
    .query(...)          the query string an allowed GET needs
    .body(...)           the JSON an API POST sends as a refused role (a valid body, so that the
                         refusal is the access check's and not the input validation's)
    .showing(secret)     the page may show one of the world's secrets (world.secrets, which the
                         matrix looks for in every text answer) to those it lets in

A 5xx is always a failure. The table the last run produced is var/access-matrix.md.
"""

from dataclasses import dataclass, field, replace

# The columns of the matrix: who calls. "business" and "officer"/"leader" are the people of the
# enterprise and the unit the world's objects belong to; "other_business" and "other_officer"
# belong to another enterprise and another unit; "secretary" is another unit's officer who is
# the secretary of another party cell than the world's (party.access: they read their own
# cell's register, nothing of the others').
ROLES = ("anonymous", "business", "other_business", "operator", "officer", "leader", "other_officer",
         "secretary", "coordinator", "party", "admin")

OK, LOGIN, NO = "ok", "login", "refused"


@dataclass(frozen=True)
class Rule:
    expect: dict
    args: dict = field(default_factory=dict)
    query_params: dict = field(default_factory=dict)
    json_body: object = None
    form_data: object = None
    post_only: bool = False
    # Its LOGIN cells are the page's normal behaviour (a redirect to the login page), not a
    # refusal: nobody's POST is checked as refused.
    sends_to_login: bool = False
    # Who may POST, when fewer than may GET (None: the same roles).
    post_expect: dict | None = None
    # What of world.secrets the page may show to those it lets in (by the secret's name).
    may_show: tuple = ()

    def at(self, **args) -> "Rule":
        """URL (or API path) arguments: a string names an attribute of the world (dotted; a model
        gives its pk), anything else is taken as it is."""
        return replace(self, args={**self.args, **args})

    def but(self, **cells) -> "Rule":
        unknown = set(cells) - set(ROLES)
        assert not unknown, f"unknown roles {unknown}: the roles are {ROLES}"
        return replace(self, expect={**self.expect, **cells})

    def query(self, _from_world=None, **params) -> "Rule":
        """The query string of the GET; or a function of the world that returns it."""
        return replace(self, query_params=_from_world if _from_world is not None else params)

    def form(self, _from_world=None, **data) -> "Rule":
        """What the refused roles' POST sends instead of an empty body: for a view that checks
        its form before asking the service (which refuses), so that the refusal is tested."""
        return replace(self, form_data=_from_world if _from_world is not None else data)

    def body(self, _from_world=None, **json) -> "Rule":
        """The JSON body; or a function of the world that returns it (for ids and usernames)."""
        return replace(self, json_body=_from_world if _from_world is not None else json)

    def showing(self, *secrets: str) -> "Rule":
        """The page may show these secrets (world.secrets) to whoever it lets in: a page whose
        address is itself the key (a signed link sent by e-mail), or the admin site."""
        return replace(self, may_show=self.may_show + secrets)

    def post_by(self, *roles: str) -> "Rule":
        """Only `roles` may POST (the others that may read the page are refused a POST too)."""
        return replace(self, post_expect=only(*roles).expect)

    def posts(self) -> "Rule":
        return replace(self, post_only=True)


def only(*roles: str) -> Rule:
    """Allowed for `roles`; login required for the anonymous visitor; refused for everyone else."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}: the roles are {ROLES}"
    return Rule({role: OK if role in roles else LOGIN if role == "anonymous" else NO for role in ROLES})


PUBLIC = Rule({role: OK for role in ROLES})
SIGNED_IN = only(*ROLES[1:])
BUSINESS = only("business", "other_business")
STAFF = only("officer", "leader", "other_officer", "secretary", "coordinator")   # any customs staff
UNIT = only("officer", "leader", "coordinator")                      # staff of the unit concerned
LEADER = only("leader", "coordinator")                               # its leaders and the department
COORDINATOR = only("coordinator")
OWNER = only("business", "officer", "leader", "coordinator")         # the enterprise and its unit
PARTY = only("party")                                                # sensitive data: not even admins
ADMIN = only("admin")

# The Django admin site: only the administrator role; everyone else is sent to the login page.
# It shows the administrator every enterprise's records and the audit trail (cases included);
# the party register is not in it.
ADMIN_SITE = Rule({role: OK if role == "admin" else LOGIN for role in ROLES}).showing("enterprise A's case")
# A step of signing in that everyone, signed in or not, is sent on from to the login page when
# it has nothing to do (no sign-in under way, a confirmation link used).
TO_LOGIN = Rule({role: LOGIN for role in ROLES}, sends_to_login=True)
# Read-only in the admin (audit events, deliveries, jobs …): the administrator too is refused.
ADMIN_SITE_READ_ONLY = ADMIN_SITE.but(admin=NO)


# An address that leads nowhere: a 404 for everyone.
NOWHERE = Rule({role: NO for role in ROLES})


# --- the project's own patterns (not of an app) ---------------------------------------------

PAGES = {
    "healthz": PUBLIC,
    "favicon.ico": PUBLIC,                  # unnamed: keyed by its route
    "api-v1:openapi-json": PUBLIC,
    "api-v1:openapi-view": PUBLIC,
    # The API's root and any path it does not know: a JSON 404 for everyone (ketnoi/api.py).
    "api-v1:api-root": NOWHERE,
    "api/v1/": NOWHERE,                     # unnamed: the catch-all
    # Django admin: every pattern of the admin namespace is ADMIN_SITE (the test fills in an
    # object of each model); these few differ.
    # The admin's login page sends everyone to the site's own (with its throttling and 2FA).
    "admin:login": TO_LOGIN,
    "admin:logout": PUBLIC.posts(),
    "admin:view_on_site": ADMIN_SITE.at(content_type_id="article_content_type", object_id="article"),
    # Without its parameters (which field of which model) the autocomplete refuses everyone.
    "admin:autocomplete": ADMIN_SITE_READ_ONLY,
    # What the model admins do not allow (ModelAdmin.has_add/delete_permission): the audit
    # trail, the task results, the e-mail deliveries and the jobs are written by ketnoi only;
    # tokens are created by their owners; the catalogue's services and the facilities are not
    # deleted (price lists refer to them).
    "admin:django_tasks_database_dbtaskresult_add": ADMIN_SITE_READ_ONLY,
    "admin:django_tasks_database_dbtaskresult_delete": ADMIN_SITE_READ_ONLY,
    "admin:audit_auditevent_add": ADMIN_SITE_READ_ONLY,
    "admin:audit_auditevent_delete": ADMIN_SITE_READ_ONLY,
    "admin:accounts_apitoken_add": ADMIN_SITE_READ_ONLY,
    "admin:notifications_emaildelivery_add": ADMIN_SITE_READ_ONLY,
    "admin:notifications_emaildelivery_delete": ADMIN_SITE_READ_ONLY,
    "admin:prices_service_delete": ADMIN_SITE_READ_ONLY,
    "admin:prices_facility_delete": ADMIN_SITE_READ_ONLY,
    "admin:background_job_add": ADMIN_SITE_READ_ONLY,
    "admin:background_job_delete": ADMIN_SITE_READ_ONLY,
    "admin:app_list": ADMIN_SITE.at(app_label="org_label"),
    "admin:auth_user_password_change": ADMIN_SITE.at(id="business_user"),
    # The admin's catch-all: an address it does not know is a 404 for the administrator.
    "admin/(?P<url>.*)$": ADMIN_SITE_READ_ONLY.at(url="unknown_admin_path"),
}

API = {}
