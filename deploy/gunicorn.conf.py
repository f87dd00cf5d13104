"""gunicorn settings for OCOP Tracker: `gunicorn -c /etc/ocop-tracker/gunicorn.conf.py` (no app argument needed).

Behind nginx, which buffers whole request bodies, so sync workers never wait on a slow phone's upload.
Tunable from the environment (the systemd unit reads /etc/ocop-tracker/ocop.env):
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_TIMEOUT, GUNICORN_FORWARDED_ALLOW_IPS.
"""
import multiprocessing
import os

wsgi_app = "ocop_tracker:create_app()"

# Loopback only: nginx (or the load balancer) is the one that talks to the world.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# The classic 2 × cores + 1 sync workers; each holds one request, so size the database pool accordingly.
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"

# A 20 MB upload is read from nginx's buffer in well under a second, but checking it (a PDF parsed, a picture
# decoded) and writing it to object storage can take a while: 120 s before a worker is killed as stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30  # a restart lets requests in flight finish
keepalive = 5  # nginx keeps upstream connections a little while

# Recycle workers now and then, so a slow leak never grows; the jitter keeps them from restarting together.
max_requests = 2000
max_requests_jitter = 200

# Trust X-Forwarded-Proto only from the proxy in front (nginx on this host by default). The app's ProxyFix
# (OCOP_PROXY_COUNT) takes the client address from X-Forwarded-For.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The app logs every request itself (with its request id, as JSON with OCOP_LOG_FORMAT=json): no access log.
accesslog = None
errorlog = "-"  # stderr → the journal
loglevel = "info"
capture_output = True  # print() and warnings from workers end up in the same log

# Each worker builds its own app after the fork: no database connection is shared between processes, and
# a `systemctl reload` (HUP) loads new code.
preload_app = False

proc_name = "ocop-tracker"
worker_tmp_dir = "/dev/shm"  # heartbeat files on tmpfs: a slow disk never makes workers look stuck
# gunicorn ≥ 25.1 opens a control socket in $XDG_RUNTIME_DIR or ~/.gunicorn: two servers on one host would share
# its path, and systemd (HUP, TERM) does the controlling here.
control_socket_disable = True
