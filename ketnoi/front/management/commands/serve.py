import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve ketnoi with gunicorn on KETNOI_HOST:KETNOI_PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("KETNOI_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("KETNOI_PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("KETNOI_WORKERS", "2")))

    def handle(self, *args, host, port, workers, **options):
        self.stdout.write(f"ketnoi: http://{host}:{port}/  (Ctrl+C để dừng / to stop)")
        gunicorn = [sys.executable, "-m", "gunicorn", "ketnoi.wsgi:application",
                    "--bind", f"{host}:{port}", "--workers", str(workers),
                    "--access-logfile", "-", "--timeout", "60"]
        sys.stdout.flush()
        os.execv(sys.executable, gunicorn)
