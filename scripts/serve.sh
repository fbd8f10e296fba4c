#!/bin/sh
# `make run`: the web server and, beside it, the background worker that makes
# the référentiel's PDFs (django-tasks, database backend). Ctrl-C stops both.
set -eu
BIN="$1"
ADDRESS="$2"
"$BIN/python" manage.py db_worker --interval 1 --no-startup-delay &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
"$BIN/python" manage.py runserver "$ADDRESS"
