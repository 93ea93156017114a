"""The `ketnoi` command: Django's management commands with the project's settings.

    ketnoi migrate | ketnoi demo | ketnoi serve | ketnoi tick | ketnoi check --deploy | ...
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ketnoi", *sys.argv[1:]])


if __name__ == "__main__":
    main()
