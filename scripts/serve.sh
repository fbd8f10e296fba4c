#!/bin/sh
# `make run`: the web server and, beside it, the background worker that makes
# the référentiel's PDFs (django-tasks, database backend). Ctrl-C stops both:
# the terminal sends it to both; the worker finishes at once when idle, and is
# given three seconds before it is stopped when a PDF is being made (that PDF
# is then marked as interrupted, to be made again).
set -u
BIN="$1"
ADDRESS="$2"
"$BIN/python" manage.py worker --interval 1 --no-startup-delay &
WORKER=$!
trap ':' INT
"$BIN/python" manage.py runserver "$ADDRESS"
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
  kill -0 "$WORKER" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$WORKER" 2>/dev/null || true
wait "$WORKER" 2>/dev/null || true
