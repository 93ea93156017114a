"""The `ketnoi` command: Django's management commands with the project's settings.

    ketnoi migrate | ketnoi demo | ketnoi serve | ketnoi tick | ketnoi check --deploy | ...
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    # Django command names are module names (train_topics); let people type train-topics too.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["ketnoi", *args])


if __name__ == "__main__":
    main()
