import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

# How long the background worker may take to finish the job it is running once asked to stop.
WORKER_STOP_SECONDS = 60


class Command(BaseCommand):
    help = ("Serve ketnoi with gunicorn on KETNOI_HOST:KETNOI_PORT (default 127.0.0.1:8000), with one "
            "background worker beside it (`ketnoi worker`) that stops with it.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("KETNOI_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("KETNOI_PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("KETNOI_WORKERS", "2")))
        parser.add_argument("--no-worker", action="store_false", dest="worker",
                            help="Do not start a background worker (when `ketnoi worker` runs as its own service).")

    def handle(self, *args, host, port, workers, worker, **options):
        self.stdout.write(f"ketnoi: http://{host}:{port}/  (Ctrl+C để dừng / to stop)")
        gunicorn = [sys.executable, "-m", "gunicorn", "ketnoi.wsgi:application",
                    "--bind", f"{host}:{port}", "--workers", str(workers),
                    "--access-logfile", "-", "--timeout", "60"]
        sys.stdout.flush()
        if not worker:
            os.execv(sys.executable, gunicorn)
        background = [sys.executable, "-m", "ketnoi", "worker", "--no-reload", "--interval", "1", "-v", "1"]
        # Each child in its own process group: Ctrl+C reaches this process only, which then asks
        # each child once to stop (a second signal would make the worker abandon its job).
        children = {"web": subprocess.Popen(gunicorn, process_group=0),
                    "worker": subprocess.Popen(background, process_group=0)}

        # A SIGTERM to this process (systemd, a container stop) stops both, like Ctrl+C does.
        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        status = 0
        try:
            while True:
                if children["web"].poll() is not None:
                    status = children["web"].returncode
                    break
                if children["worker"].poll() is not None:
                    # A worker that died (a lost database connection it could not survive) is
                    # started again, so that renders asked for from the pages still complete.
                    self.stderr.write(f"ketnoi: the background worker stopped ({children['worker'].returncode}); starting it again")
                    time.sleep(1)
                    children["worker"] = subprocess.Popen(background, process_group=0)
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            self._stop(children["web"], 30)
            # The worker lets the job it is running finish (django-tasks-db's graceful stop).
            self._stop(children["worker"], WORKER_STOP_SECONDS)
        if status:
            sys.exit(status)

    @staticmethod
    def _stop(process, seconds):
        if process.poll() is None:
            try:
                process.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                return
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
