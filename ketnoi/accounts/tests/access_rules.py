"""Who gets what from the accounts pages and API (the access matrix: ketnoi/access_matrix/)."""

from ketnoi.access_matrix.rules import PUBLIC, SIGNED_IN, TO_LOGIN, only

PAGES = {
    "accounts:login": PUBLIC,
    # The second step of a staff sign-in: without a sign-in under way (force_login, as the
    # matrix signs in, is a finished one), everyone is sent back to the login page.
    "accounts:login_code": TO_LOGIN,
    "accounts:two_factor_enrol": TO_LOGIN,
    "accounts:password_change": SIGNED_IN,
    "accounts:logout": PUBLIC.posts(),
    "accounts:register": PUBLIC,
    # The link of the confirmation e-mail: it confirms the address and sends on to the login page.
    "accounts:confirm": TO_LOGIN.at(token="confirm_token"),
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC.at(uidb64="reset_uid", token="reset_token"),
    "accounts:password_reset_complete": PUBLIC,
    "accounts:account": SIGNED_IN,
    "accounts:token_create": SIGNED_IN.posts(),
    # Anyone may press "revoke" on a token number; only its owner's is revoked (others: 404).
    "accounts:token_revoke": only("business").posts().at(token_id="api_token"),
    # An enterprise's page: its own users only (others: 404).
    "accounts:enterprise": only("business").at(enterprise_id="enterprise"),
}

API = {
    "POST /api/v1/auth/token": PUBLIC,
    "GET /api/v1/me": SIGNED_IN,
}
