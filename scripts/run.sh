#!/usr/bin/env bash
# Start the web server and a Celery worker (with embedded beat) on the embedded defaults,
# and stop both together on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

$BIN/celery -A crm worker -B -Q default,send,inbox,dns,ai,import --concurrency 2 \
  --loglevel=warning &
worker=$!
$BIN/gunicorn crm.wsgi --bind "$HOST:$PORT" --threads 4 --access-logfile - &
web=$!
trap 'kill $worker $web 2>/dev/null; wait' INT TERM EXIT

cat <<TXT

  Kindling is running at http://$HOST:$PORT/
  Demo login: demo@kindling.local / kindling-demo
  API docs:   http://$HOST:$PORT/api/docs
  Press Ctrl-C to stop.

TXT
wait -n
