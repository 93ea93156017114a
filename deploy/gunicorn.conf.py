"""gunicorn's settings for one ketnoi app server. One file for every way ketnoi is served behind
nginx: the systemd unit (deploy/systemd/ketnoi-web@.service), the containers
(deploy/docker-compose.yml) and the end-to-end check (scripts/deploy_check.py), so that the
check runs what production runs. Where it listens: the socket systemd passes it
(deploy/systemd/ketnoi-web@.socket, which the check imitates), or --bind:

    gunicorn --config deploy/gunicorn.conf.py --bind 127.0.0.1:8001 ketnoi.wsgi:application
"""

import os

# Sync workers, as measured in bench/RESULTS.md: each serves one request at a time and nginx
# buffers slow clients and uploads in front of them. About two per core of the machine.
workers = int(os.environ.get("KETNOI_WORKERS", "2"))
worker_class = "sync"

# A request still running after this many seconds is killed (the same limit as `ketnoi serve`);
# anything slower belongs in the background worker (report renders, imports). nginx waits a few
# seconds longer (proxy_read_timeout in deploy/nginx/ketnoi-app.conf) so the app server decides.
timeout = 60
# On SIGTERM (systemctl stop/restart) the workers finish the requests they are serving within
# this time; systemd's TimeoutStopSec is longer.
graceful_timeout = 30

# A worker is replaced after this many requests (spread so that they are not all replaced at
# once), which bounds the memory a slow leak in a library can take.
max_requests = 5000
max_requests_jitter = 500

# nginx logs every request with the app server that served it and its time; the app's own
# request lines come from ketnoi's logging (KETNOI_LOG_FORMAT). gunicorn logs its errors only.
accesslog = None
errorlog = "-"
loglevel = "info"

# Behind nginx on the same machine or network: nginx's address may set the scheme header.
# Set FORWARDED_ALLOW_IPS in ketnoi.env when nginx runs on another machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "ketnoi-web"
