# Two commands for users:  `make run` (set up and start the assistant) and `make test` (set up and
# run every check). Everything else is a step those two call, or a maintainer convenience.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
# what people run: the same CLI with third-party deprecation warnings silenced (tests keep $(RASA))
RASA_QUIET := $(VENV)/bin/python scripts/rasa_quiet.py
SPACY_PIPELINE := build/spacy-en-lookup

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0
export PYTHONDONTWRITEBYTECODE := 1
# Slack is off unless configured (credentials.yml reads these); a random secret signs nothing.
export SLACK_BOT_TOKEN ?= xoxb-not-configured
# a secret exported empty counts as missing (`?=` would keep the empty value)
ifeq ($(strip $(SLACK_SIGNING_SECRET)),)
SLACK_SIGNING_SECRET := $(shell od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
endif
export SLACK_SIGNING_SECRET
export SLACK_API_URL ?= https://slack.com/api/
# Signs the widget's short-lived socket.io tokens; a fresh random one per run unless you set it.
ifeq ($(strip $(SOCKETIO_JWT_SECRET)),)
SOCKETIO_JWT_SECRET := $(shell od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
endif
export SOCKETIO_JWT_SECRET

.PHONY: help setup model run deploy-local shell interactive test validate unit-tests nlu-tests story-tests integration-tests evaluate bench bench-cpu purge system-packages clean

help:
	@echo "make run       set everything up and start the assistant (REST on http://127.0.0.1:5005)"
	@echo "make test      set everything up and run all checks (what CI runs)"
	@echo "make shell     talk to the assistant in the terminal (rasa shell + action server)"
	@echo "make evaluate  NLU intent/entity F1 on the held-out test split, and crisis screen figures"
	@echo "make deploy-local  two Rasa replicas on PostgreSQL + Redis behind HAProxy, on loopback"
	@echo "make bench     REST latency (p50/p95), requests/s for 1 and 20 users, memory: stock starter bot vs SQLite vs replicas vs workers"
	@echo "make bench-cpu CPU per message in the Rasa server, with and without rasa_speedups"
	@echo "make purge     delete conversations older than retention_days (endpoints.yml; DAYS=n overrides)"

# --- setup -------------------------------------------------------------------------------
$(VENV)/.installed: requirements/requirements.txt requirements/dev.txt requirements/constraints.txt requirements/encoder.txt
	@PY310=$$(scripts/find_python310.sh) && echo "Using $$PY310" && \
	  ( [ -x $(PY) ] || $$PY310 -m venv $(VENV) )
	$(PY) -m pip install --quiet --disable-pip-version-check \
	  -r requirements/requirements.txt -r requirements/dev.txt -c requirements/constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/encoder.txt
	touch $@

$(SPACY_PIPELINE)/meta.json: scripts/build_spacy_pipeline.py $(VENV)/.installed
	$(PY) scripts/build_spacy_pipeline.py $(SPACY_PIPELINE)

# The widget bundle, built from web/ with the committed lockfile (Node and npm come from the machine).
web/public/widget.js: web/src/widget.js web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent

setup: $(VENV)/.installed $(SPACY_PIPELINE)/meta.json web/public/widget.js

model: setup
	@scripts/train_if_needed.sh >/dev/null

# --- the two commands ----------------------------------------------------------------------
run: model
	scripts/serve.sh "$$(scripts/train_if_needed.sh)"

test: model validate unit-tests nlu-tests story-tests integration-tests
	@cat results/skipped.unit.txt results/skipped.integration.txt 2>/dev/null || true
	@echo "All checks passed."

# --- maintainers ---------------------------------------------------------------------------
# Production-like, on loopback: PostgreSQL, Redis, action server, two Rasa replicas, HAProxy
# (Debian packages, installed when missing). State, logs and generated secrets in .deploy/.
deploy-local: model system-packages
	$(PY) scripts/local_deployment.py --dir .deploy

shell: model
	@mkdir -p logs
	SANIC_HOST=127.0.0.1 $(PY) -m rasa_sdk --actions actions --port 5055 >logs/actions.log 2>&1 & \
	  trap "kill $$!" EXIT; \
	  $(RASA_QUIET) shell --model "$$(scripts/train_if_needed.sh)" --endpoints endpoints.yml \
	    -i 127.0.0.1 --port 5006

interactive: setup
	@mkdir -p logs
	SANIC_HOST=127.0.0.1 $(PY) -m rasa_sdk --actions actions --port 5055 >logs/actions.log 2>&1 & \
	  trap "kill $$!" EXIT; \
	  $(RASA_QUIET) interactive --endpoints endpoints.yml  # Rasa defaults: domain.yml, config.yml, data/

# --- checks --------------------------------------------------------------------------------
validate: setup
	$(RASA) data validate --fail-on-warnings  # bare: domain.yml, config.yml and data/ are Rasa's defaults

unit-tests: setup
	@rm -f results/skipped.unit.txt
	$(PY) -m pytest -q tests/unit

# Intent accuracy on the held-out split (tests/nlu/test_split.yml) must stay at 0.95 or more.
nlu-tests: model
	$(PY) scripts/evaluate.py --gate

# The dialogue end to end (tests/e2e/): each user text goes through the trained NLU, whose intent and
# entities must match the markup, and every action and slot must follow
story-tests: model
	$(RASA) test core --model "$$(scripts/train_if_needed.sh)" --stories tests/e2e --e2e \
	  --endpoints endpoints.yml --fail-on-prediction-errors --out results/e2e

# Debian packages for the reverse-proxy test (nginx), the browser test (chromium, driven by
# Playwright from PyPI: never `playwright install`) and the deployment (PostgreSQL, Redis, HAProxy);
# installed when missing and we are root.
system-packages:
	@for pkg in nginx-light:nginx chromium:chromium postgresql:pg_ctlcluster redis-server:redis-server haproxy:haproxy; do \
	  name=$${pkg%%:*}; cmd=$${pkg##*:}; command -v $$cmd >/dev/null && continue; \
	  { [ "$$(id -u)" = 0 ] && { apt-get install -y -q $$name >/dev/null 2>&1 \
	    || { apt-get update -q >/dev/null && apt-get install -y -q $$name >/dev/null; }; }; } \
	  || echo "$$name not available: its tests will be skipped"; \
	done

integration-tests: model system-packages
	@rm -f results/skipped.integration.txt
	MODEL="$$(scripts/train_if_needed.sh)" $(PY) -m pytest -q tests/integration

evaluate: setup
	$(PY) scripts/evaluate.py

bench: model system-packages
	$(PY) scripts/bench.py

# CPU per message in the Rasa server, with rasa_speedups and with Rasa's own code paths, interleaved
bench-cpu: model
	$(PY) scripts/bench_cpu.py

purge: setup
	$(PY) scripts/purge_conversations.py $(if $(DAYS),--days $(DAYS))

clean:
	rm -rf results logs build models .pytest_cache
