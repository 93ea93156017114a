from django.contrib.auth.hashers import PBKDF2PasswordHasher

from ketnoi.accounts.models import User

from .helpers import PASSWORD, make_user

def pbkdf2(password: str) -> str:
    """A hash as older accounts have (PBKDF2-SHA256), with few iterations to keep the test fast:
    any hash not made by the first hasher is upgraded the same way."""
    return PBKDF2PasswordHasher().encode(password, "saltsaltsalt2019", iterations=1000)


REAL_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]


def test_the_settings_put_argon2_first():
    from ketnoi import settings

    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in settings.PASSWORD_HASHERS


def test_a_new_password_is_hashed_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = REAL_HASHERS  # the root conftest uses MD5 for speed
    user = make_user("lan")
    assert user.password.startswith("argon2$argon2id$")


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
