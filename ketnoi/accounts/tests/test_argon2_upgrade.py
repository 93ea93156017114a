from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher

from ketnoi import settings as project_settings
from ketnoi.accounts.models import User

from .helpers import PASSWORD, make_user

def pbkdf2(password: str) -> str:
    """A hash as older accounts have (PBKDF2-SHA256), with few iterations to keep the test fast:
    any hash not made by the first hasher is upgraded the same way."""
    return PBKDF2PasswordHasher().encode(password, "saltsaltsalt2019", iterations=1000)


REAL_HASHERS = list(project_settings.PASSWORD_HASHERS)  # the module's list, not the tests' MD5


def test_the_settings_put_argon2_first():
    assert REAL_HASHERS[0] == "ketnoi.accounts.hashers.Argon2idHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in REAL_HASHERS


def test_a_new_password_is_hashed_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = REAL_HASHERS  # the root conftest uses MD5 for speed
    user = make_user("lan")
    # OWASP's first Argon2id configuration: 19 MiB, 2 iterations, 1 lane.
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_with_djangos_heavier_default_is_rewritten_at_login(client, settings, db):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    user = make_user("lan")
    heavy = Argon2PasswordHasher().encode(PASSWORD, "saltsaltsalt2024")
    assert "m=102400" in heavy
    User.objects.filter(pk=user.pk).update(password=heavy)
    r = client.post("/accounts/login/", {"username": "lan", "password": PASSWORD})
    assert r.status_code == 302
    assert "m=19456,t=2,p=1$" in User.objects.get(pk=user.pk).password


def test_an_old_pbkdf2_hash_works_and_is_upgraded_at_login(client, settings, db):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    user = make_user("lan")
    User.objects.filter(pk=user.pk).update(password=pbkdf2(PASSWORD))
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")
    r = client.post("/accounts/login/", {"username": "lan", "password": PASSWORD})
    assert r.status_code == 302
    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$")
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_a_wrong_password_leaves_the_old_hash(client, settings, db):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    user = make_user("lan")
    old = pbkdf2(PASSWORD)
    User.objects.filter(pk=user.pk).update(password=old)
    client.post("/accounts/login/", {"username": "lan", "password": "Sai-" + PASSWORD})
    assert User.objects.get(pk=user.pk).password == old
