#!/usr/bin/env bash
# Deployment smoke test: docs/deploy.md step by step, in a fresh venv outside the checkout.
# Builds the wheel, installs it with constraints.txt, then — on a throwaway PostgreSQL database (SQLite when no
# server answers, saying so) and an S3 server (moto) — db upgrade, the first-run commands without demo data,
# gunicorn with deploy/gunicorn.conf.py and 2 workers, /healthz and /readyz, the administrator and a producer
# through the API, a document to S3 and back, send-mail, backup, restore into a fresh instance and database.
# Called by .ci/run after `make test`; run alone: deploy/smoke-test.sh (KEEP=1 keeps the work folder).
# OCOP_SMOKE_PARTIAL=1 skips, loudly, the steps whose command or endpoint this checkout lacks.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
PG_HOST=${OCOP_SMOKE_PG_HOST:-127.0.0.1}
PG_PORT=${OCOP_SMOKE_PG_PORT:-5432}
PG_USER=${OCOP_SMOKE_PG_USER:-postgres}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ocop-smoke.XXXXXX")
STARTED=$SECONDS
PIDS=()
DATABASES=()

step() { printf '\n== [%3ds] %s\n' "$((SECONDS - STARTED))" "$*"; }
skip() { echo "SKIPPED: $*"; }
die() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }

cleanup() {
    local code=$?
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    for db in "${DATABASES[@]}"; do
        psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
            >/dev/null 2>&1 || echo "could not drop the database $db" >&2
    done
    if [ "$code" != 0 ]; then
        for log in "$WORK"/*.log; do [ -f "$log" ] && { echo "--- $log (last lines)"; tail -n 40 "$log"; } >&2; done
    fi
    if [ -n "${KEEP:-}" ]; then echo "Kept $WORK"; else rm -rf "$WORK"; fi
    [ "$code" = 0 ] && echo "Smoke test passed in $((SECONDS - STARTED)) s." || echo "Smoke test failed (exit $code)." >&2
}
trap cleanup EXIT

free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A command or endpoint another branch brings: missing → fail, or skip with OCOP_SMOKE_PARTIAL=1.
have_command() {
    flask --help 2>/dev/null | grep -qE "^  $1( |$)" && return 0
    [ -n "${OCOP_SMOKE_PARTIAL:-}" ] || die "this build has no 'flask $1'"
    skip "flask $1 is not in this build (OCOP_SMOKE_PARTIAL)"; return 1
}

# A throwaway PostgreSQL database in NEW_DB_URL, or "" (SQLite) when no server answers. Not in $(…): the
# name must reach DATABASES, which the trap drops.
new_database() {
    NEW_DB_URL=""
    if command -v pg_isready >/dev/null && pg_isready -h "$PG_HOST" -p "$PG_PORT" -q; then
        local name="ocop_smoke_$$_$1"
        psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $name" >/dev/null \
            || die "cannot create the PostgreSQL database $name as $PG_USER"
        DATABASES+=("$name")
        NEW_DB_URL="postgresql+psycopg://$PG_USER@$PG_HOST:$PG_PORT/$name"
    fi
}

step "Build the wheel from the working tree (a clean copy: the checkout gets no build/ or .egg-info)"
mkdir "$WORK/src" "$WORK/dist"
(cd "$REPO" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$WORK/src"
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$WORK/src" >"$WORK/build.log" 2>&1 \
    || die "the wheel does not build (see $WORK/build.log)"
WHEEL=$(ls "$WORK"/dist/ocop_tracker-*.whl)
echo "$(basename "$WHEEL")"

step "Install it into a fresh venv with the constraints (docs/deploy.md: Install), plus moto[server] for S3"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet -c "$REPO/constraints.txt" "$WHEEL" "moto[server]" \
    >"$WORK/install.log" 2>&1 || die "pip install with constraints.txt failed (see $WORK/install.log)"
export PATH="$WORK/venv/bin:$PATH"
STEPS="$WORK/venv/bin/python $REPO/deploy/smoke_steps.py"
# Everything below runs in a folder that is not the checkout, as the systemd units do.
mkdir "$WORK/run" && cd "$WORK/run"
SITE=$(python -c 'import ocop_tracker, pathlib; print(pathlib.Path(ocop_tracker.__file__).parent)')
case "$SITE" in "$WORK"/venv/*) echo "package at $SITE";; *) die "ocop_tracker imported from $SITE";; esac

step "Object storage: moto's S3 server and a bucket (docs/deploy.md: Object storage)"
S3_PORT=$(free_port)
moto_server -H 127.0.0.1 -p "$S3_PORT" >"$WORK/moto.log" 2>&1 &
PIDS+=($!)
$STEPS wait "http://127.0.0.1:$S3_PORT/moto-api/" 30 >/dev/null
$STEPS bucket "http://127.0.0.1:$S3_PORT" ocop-smoke create

step "The environment file: deploy/ocop.env.example with this machine's values appended (docs/deploy.md: Settings)"
# write_env NAME INSTANCE DATABASE_URL: the example (so a line that breaks sh breaks here), then the overrides.
SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))')
WEB_PORT=$(free_port)
BASE="http://127.0.0.1:$WEB_PORT"
write_env() {
    mkdir -p "$WORK/$2"
    { cat "$REPO/deploy/ocop.env.example"; cat <<ENV
# --- the smoke test's values
OCOP_INSTANCE_PATH=$WORK/$2
OCOP_DATABASE_URL=$3
OCOP_SECRET_KEY=$SECRET_KEY
OCOP_BASE_URL=$BASE
GUNICORN_BIND=127.0.0.1:$WEB_PORT
GUNICORN_WORKERS=2
OCOP_PROXY_COUNT=0
OCOP_SESSION_COOKIE_SECURE=false
OCOP_LOG_FORMAT=json
OCOP_STORAGE_BACKEND=s3
OCOP_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
OCOP_S3_BUCKET=ocop-smoke
OCOP_S3_ACCESS_KEY_ID=smoke
OCOP_S3_SECRET_ACCESS_KEY=smoke
OCOP_SMTP_HOST=
OCOP_SMTP_USERNAME=
OCOP_SMTP_PASSWORD=
ENV
    } >"$WORK/$1"
}
new_database a
DB_URL=$NEW_DB_URL
if [ -n "$DB_URL" ]; then
    echo "PostgreSQL: the throwaway database ${DATABASES[0]}."
else
    echo "No PostgreSQL server at $PG_HOST:$PG_PORT: the PostgreSQL part is skipped, SQLite in the instance folder."
fi
write_env ocop.env instance-a "${DB_URL:-sqlite:///$WORK/instance-a/ocop_tracker.sqlite3}"
# Every flask command as an administrator runs it: deploy/ocop-flask reads the env file.
export OCOP_ENV_FILE="$WORK/ocop.env" OCOP_VENV="$WORK/venv"
flask() { "$REPO/deploy/ocop-flask" "$@"; }
instance() { (set -a; . "$OCOP_ENV_FILE"; echo "$OCOP_INSTANCE_PATH"); }

step "flask db upgrade"
flask db upgrade >"$WORK/upgrade.log" 2>&1 || die "db upgrade failed (see $WORK/upgrade.log)"

step "First run without demo data: unit levels, the Phú Thọ map, the administrator, reference data"
ADMIN=admin PRODUCER=htx.kiemthu PASSWORD="Smoke-$RANDOM-pass-$RANDOM"
MAP="$SITE/accounts/data/units-phu-tho.csv"
if have_command create-unit-levels && have_command import-units; then
    [ -f "$MAP" ] || die "the wheel does not ship $MAP"
    flask create-unit-levels
    flask import-units "$MAP"
    PROVINCE=$(python -c 'import csv, sys
rows = csv.DictReader(line for line in open(sys.argv[1], encoding="utf-8-sig") if line.strip() and line[0] != "#")
print(next(row["code"] for row in rows if row["level"] == "province"))' "$MAP")
    flask create-user "$ADMIN" --role admin --unit-code "$PROVINCE" --email admin@smoke.example \
        --password "$PASSWORD" --full-name "Quản trị"
fi
flask load-reference-data

step "gunicorn with deploy/gunicorn.conf.py and 2 workers (docs/deploy.md: gunicorn)"
# As systemd's EnvironmentFile= does: the env file, then gunicorn with the shipped config, from the instance folder.
(set -a; . "$OCOP_ENV_FILE"; cd "$OCOP_INSTANCE_PATH"; exec gunicorn -c "$REPO/deploy/gunicorn.conf.py") \
    >"$WORK/gunicorn.log" 2>&1 &
PIDS+=($!)
$STEPS wait "$BASE/login" 60 >/dev/null
for _ in $(seq 1 50); do [ "$(grep -c 'Booting worker' "$WORK/gunicorn.log")" -ge 2 ] && break; sleep 0.2; done
[ "$(grep -c 'Booting worker' "$WORK/gunicorn.log")" = 2 ] || die "gunicorn did not start 2 workers"
echo "2 workers up; /login answers 200"

step "Health: /healthz and /readyz (docs/deploy.md: Health checks)"
if curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz" | grep -q 200 || [ -z "${OCOP_SMOKE_PARTIAL:-}" ]; then
    $STEPS status "$BASE/healthz" 200
    $STEPS wait "$BASE/readyz" 30
else
    skip "/healthz and /readyz are not in this build (OCOP_SMOKE_PARTIAL)"
fi

step "The administrator (API), an organisation (web admin) and its producer (flask create-user)"
if [ -n "${PROVINCE:-}" ]; then
    ORG=$($STEPS organisation "$BASE" "$ADMIN" "$PASSWORD")
    flask create-user "$PRODUCER" --role producer --organisation-id "$ORG" --email producer@smoke.example \
        --password "$PASSWORD"
else
    skip "no first-run commands: the demo data stands in (seed-demo), to test the rest"
    flask seed-demo --quiet
    ADMIN=admin PRODUCER=coop.mytan PASSWORD=ocop-demo-2026
    $STEPS organisation "$BASE" "$ADMIN" "$PASSWORD" >/dev/null
fi

step "A document uploaded through the API to S3 and downloaded back, byte-identical"
$STEPS round-trip "$BASE" "$PRODUCER" "$PASSWORD" "$WORK/document.json"
OBJECTS=$($STEPS bucket "http://127.0.0.1:$S3_PORT" ocop-smoke count)
if [ "$OBJECTS" -ge 1 ]; then
    echo "$OBJECTS object(s) in the bucket"
elif [ -n "${OCOP_SMOKE_PARTIAL:-}" ]; then
    skip "the S3 backend is not in this build: the document went to $(instance)/uploads"
else
    die "the document is not in the S3 bucket"
fi

step "Logs: JSON lines (OCOP_LOG_FORMAT=json) holding the X-Request-ID of a request"
if grep -q '^{' "$WORK/gunicorn.log" || [ -z "${OCOP_SMOKE_PARTIAL:-}" ]; then
    $STEPS json-logs "$WORK/gunicorn.log" "$BASE"
else
    skip "no JSON logs in this build (OCOP_SMOKE_PARTIAL)"
fi

step "nginx in front: deploy/nginx/ with this machine's paths and a self-signed certificate (docs/deploy.md: nginx)"
if command -v nginx >/dev/null && command -v openssl >/dev/null; then
    N="$WORK/nginx" && mkdir -p "$N/snippets" "$N/temp" && chmod 0755 "$WORK" && chmod 0777 "$N/temp"
    cp "$REPO/deploy/nginx/ocop-proxy.conf" "$N/snippets/"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "$N/key.pem" -out "$N/cert.pem" 2>/dev/null
    TLS_PORT=$(free_port)
    sed -e "s#/etc/nginx/snippets/#$N/snippets/#" -e "s#/etc/letsencrypt/live/ocop.example.org/fullchain.pem#$N/cert.pem#" \
        -e "s#/etc/letsencrypt/live/ocop.example.org/privkey.pem#$N/key.pem#" -e "s#/var/log/nginx/#$N/#" \
        -e "s#/srv/ocop-tracker/venv/lib/python3.11/site-packages/ocop_tracker/static/#$SITE/static/#" \
        -e "s#127.0.0.1:8000#127.0.0.1:$WEB_PORT#" -e "s#listen 443 ssl http2;.*#listen 127.0.0.1:$TLS_PORT ssl http2;#" \
        -e "s#listen 80;#listen 127.0.0.1:$(free_port);#" -e "/listen \[::\]/d" \
        "$REPO/deploy/nginx/ocop-tracker.conf" >"$N/site.conf"
    grep -q "$SITE/static/" "$N/site.conf" || die "the nginx site no longer has the static path this test rewrites"
    cat >"$N/nginx.conf" <<CONF
pid $N/nginx.pid;
error_log $N/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $N/temp/body; proxy_temp_path $N/temp/proxy; fastcgi_temp_path $N/temp/fastcgi;
    uwsgi_temp_path $N/temp/uwsgi; scgi_temp_path $N/temp/scgi;
    include $N/site.conf;
}
CONF
    nginx -t -q -c "$N/nginx.conf" -e "$N/error.log" || die "nginx refuses the shipped site"
    nginx -c "$N/nginx.conf" -e "$N/error.log" -g 'daemon off;' >"$WORK/nginx.log" 2>&1 &
    PIDS+=($!)
    $STEPS wait "https://127.0.0.1:$TLS_PORT/healthz" 20 >/dev/null
    $STEPS behind-nginx "https://127.0.0.1:$TLS_PORT" "$PRODUCER" "$PASSWORD" "$N/ocop-tracker.access.log"
else
    skip "no nginx (or openssl) on this machine: the nginx site is not tried"
fi

step "flask send-mail: a password reset mail, written as .eml (no SMTP server here)"
$STEPS forgot "$BASE" "$ADMIN"
flask send-mail | tee "$WORK/send-mail.log"
grep -qE "[1-9][0-9]* sent" "$WORK/send-mail.log" || die "send-mail did not send the queued mail"
ls "$(instance)"/outbox/*.eml >/dev/null || die "no .eml in the outbox folder"

step "flask backup, then flask restore --force into a fresh instance and database"
if have_command backup && have_command restore; then
    (set -a; . "$OCOP_ENV_FILE"; $STEPS counts) >"$WORK/counts-a.json"
    flask backup --output "$WORK/backups"
    ARCHIVE=$(ls "$WORK"/backups/*.tar)
    new_database b
    write_env ocop-b.env instance-b "${NEW_DB_URL:-sqlite:///$WORK/instance-b/ocop_tracker.sqlite3}"
    export OCOP_ENV_FILE="$WORK/ocop-b.env"
    flask restore "$ARCHIVE" --force
    (set -a; . "$OCOP_ENV_FILE"; $STEPS counts) >"$WORK/counts-b.json"
    cmp -s "$WORK/counts-a.json" "$WORK/counts-b.json" \
        || die "row counts differ after restore: $(diff "$WORK/counts-a.json" "$WORK/counts-b.json")"
    echo "the same rows in every table ($(python -c 'import json, sys; print(sum(json.load(open(sys.argv[1])).values()))' "$WORK/counts-b.json") in all)"
    (set -a; . "$OCOP_ENV_FILE"; $STEPS local-download "$WORK/document.json" "$PRODUCER" "$PASSWORD")
fi

step "Done"
