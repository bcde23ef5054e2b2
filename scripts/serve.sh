#!/usr/bin/env bash
# Start the action server and the Rasa server (REST channel, SQLite tracker store) on loopback,
# wait until both answer, print how to talk to the assistant, and stop both on Ctrl-C.
# Usage: scripts/serve.sh MODEL_PATH
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:?usage: scripts/serve.sh MODEL_PATH}
HOST=${HOST:-127.0.0.1}
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
mkdir -p logs

# Slack stays switched off unless configured: without a real signing secret a random one is used,
# so no request can be signed for it (see README, "Slack").
export SLACK_BOT_TOKEN=${SLACK_BOT_TOKEN:-xoxb-not-configured}
export SLACK_SIGNING_SECRET=${SLACK_SIGNING_SECRET:-$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')}
export SLACK_API_URL=${SLACK_API_URL:-https://slack.com/api/}
export SOCKETIO_JWT_SECRET=${SOCKETIO_JWT_SECRET:-$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')}

# The HTTP API (/conversations/*: every conversation) always needs a token. On loopback one is
# generated when none is set; any other host must be given one on purpose.
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  case "$HOST" in
    127.0.0.1|localhost|::1) RASA_AUTH_TOKEN=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n') ;;
    *) echo "ERROR: HOST=$HOST would publish the HTTP API, which can read every conversation." >&2
       echo "       Set RASA_AUTH_TOKEN to a long random secret (and put the proxy in deploy/nginx/ in front)." >&2
       exit 2 ;;
  esac
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

SANIC_HOST=$HOST .venv/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" \
  >logs/actions.log 2>&1 &
pids+=($!)

# endpoints.yml names the action server on its default port (so `rasa shell` works as is); on any
# other port the Rasa server gets a copy that names that one
ENDPOINTS=endpoints.yml
if [ "$ACTIONS_PORT" != 5055 ]; then
  ENDPOINTS=logs/endpoints.actions-$ACTIONS_PORT.yml
  sed "s#http://127.0.0.1:5055/webhook#http://127.0.0.1:$ACTIONS_PORT/webhook#" endpoints.yml >"$ENDPOINTS"
fi

export RASA_AUTH_TOKEN  # scripts/rasa_quiet.py hands it to Rasa inside the process: never in `ps`
api_args=(--enable-api)
.venv/bin/python scripts/rasa_quiet.py run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials credentials.yml \
  --interface "$HOST" --port "$RASA_PORT" "${api_args[@]}" >logs/rasa.log 2>&1 &
pids+=($!)

wait_for() {  # url name seconds
  for _ in $(seq 1 "$3"); do
    if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "ERROR: $2 did not start within $3 s; see logs/" >&2; exit 1
}
WIDGET_PORT=${WIDGET_PORT:-8080}
# the widget's Rasa server comes from here, never from the page's address (RASA_PUBLIC_URL behind a proxy)
.venv/bin/python scripts/widget_server.py --host "$HOST" --port "$WIDGET_PORT" \
  --rasa-url "${RASA_PUBLIC_URL:-http://127.0.0.1:$RASA_PORT}" >logs/widget.log 2>&1 &
pids+=($!)

wait_for "http://$HOST:$ACTIONS_PORT/health" "action server" 60
wait_for "http://$HOST:$RASA_PORT/" "Rasa server" 180

cat <<INFO

  The assistant is running (model $MODEL).
    Rasa server:    http://$HOST:$RASA_PORT   (REST channel, SQLite tracker store: tracker.db)
    Readiness:      http://$HOST:$RASA_PORT/webhooks/health/ready
    Action server:  http://$HOST:$ACTIONS_PORT
    HTTP API token: $RASA_AUTH_TOKEN   (e.g. /conversations/me/tracker?token=...)
    Widget demo:    http://$HOST:$WIDGET_PORT/   (open it in a browser)
  Talk to it:
    curl -s -XPOST http://$HOST:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
         -d '{"sender": "me", "message": "hi"}'
    or, in another terminal:  make shell
  Logs: logs/rasa.log, logs/actions.log.   Press Ctrl-C to stop.
INFO
wait -n
