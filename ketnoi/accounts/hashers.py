from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with the OWASP Password Storage Cheat Sheet's first configuration (19 MiB of
    memory, 2 iterations, 1 lane) instead of Django's default (100 MiB, 8 lanes).

    A sign-in is the one request anyone may send without an account: with Django's default, one
    check cost 0.4–1.6 s of CPU and 100 MiB in a worker here (bench/RESULTS.md, "Load"), so four
    sign-ins at once held every worker of a 2-core app server. This one costs ~50 ms and 19 MiB.
    Hashes made with other parameters still verify and are rewritten at the next sign-in
    (`must_update` compares the parameters)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
