#!/usr/bin/env bash
# Start the web server, a Celery worker and beat on the embedded defaults, and stop them together
# on Ctrl-C (or SIGTERM) within 10 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# Exported so the settings derive SITE_URL (the links in emails) from where the server listens.
export HOST=${HOST:-127.0.0.1}
export PORT=${PORT:-8000}
# Seconds running tasks get to finish on Ctrl-C before the worker stops them at once (Celery's
# cold shutdown). Sending stays at most once: a send stopped mid-way is never repeated.
GRACE=${STOP_GRACE_SECONDS:-6}

# Beat runs as its own process, not inside the worker (-B): an embedded beat is stopped by the
# worker only after its pool, and sleeps through the worker's shutdown for seconds.
$BIN/celery -A crm worker -Q default,send,inbox,dns,ai,import --concurrency 2 \
  --loglevel=warning &
worker=$!
$BIN/celery -A crm beat --loglevel=warning &
beat=$!
$BIN/gunicorn crm.wsgi --bind "$HOST:$PORT" --threads 4 --graceful-timeout 5 \
  --access-logfile - &
web=$!

stop() {
  trap - INT TERM EXIT
  exec 2>/dev/null # no "Quit …" job notices from bash; the three keep their own stderr
  # TERM, not INT: background jobs of a script ignore SIGINT unless they install a handler.
  kill -TERM "$worker" "$beat" "$web" || true
  wait_for_exit $((GRACE * 10))
  kill -QUIT "$worker" || true # celery's cold shutdown: running tasks stop now
  wait_for_exit 25
  pkill -KILL -P "$worker" || true # the worker's pool processes
  kill -KILL "$worker" "$beat" "$web" || true
  wait || true
}

wait_for_exit() { # up to $1 tenths of a second, until the three have exited
  for _ in $(seq "$1"); do
    kill -0 "$worker" "$beat" "$web" 2>/dev/null || return 0
    sleep 0.1
  done
}
trap stop INT TERM EXIT

cat <<TXT

  Kindling is running at http://$HOST:$PORT/
  Demo login: demo@kindling.local / kindling-demo
  API docs:   http://$HOST:$PORT/api/docs
  Press Ctrl-C to stop.

TXT
wait -n
