# Kundendialog: `make run` starts everything, `make test` runs every test.
# Both create the two environments when missing (.venv-rasa: Python 3.10 for Rasa,
# the NLU components and the action server; .venv-hub: current CPython for the hub),
# each from its own hashed lock, and train the model when data or config changed.
SHELL := /bin/bash
RASA := .venv-rasa/bin
HUB := .venv-hub/bin
SPACY := var/spacy/de_kundendialog/meta.json
export TF_CPP_MIN_LOG_LEVEL := 3
# Air-gapped by design: Rasa must not try to phone home.
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

.PHONY: help envs dev-envs run chat train test test-unit lint format docs bench-nlu bench-hub bench-saturation bench-long bench-hub-share bench-scale bench-login bench-attachments bench-reports bench-search bench-knowledge bench-conversations knowledge seed agent lock clean system-deps

envs: .venv-rasa/.installed-run .venv-hub/.installed-run  ## create both environments from their hashed locks
dev-envs: .venv-rasa/.installed-dev .venv-hub/.installed-dev

.venv-rasa/.installed-run: locks/rasa.lock pyproject.toml scripts/setup_env.sh
	@scripts/setup_env.sh rasa run
.venv-rasa/.installed-dev: locks/rasa-dev.lock pyproject.toml scripts/setup_env.sh
	@scripts/setup_env.sh rasa dev
.venv-hub/.installed-run: locks/hub.lock pyproject.toml scripts/setup_env.sh
	@scripts/setup_env.sh hub run
.venv-hub/.installed-dev: locks/hub-dev.lock pyproject.toml scripts/setup_env.sh
	@scripts/setup_env.sh hub dev

$(SPACY): .venv-rasa/.installed-run bot/rasa_plugins/build_spacy.py
	@$(RASA)/python -m bot.rasa_plugins.build_spacy

train: envs $(SPACY)  ## train the Rasa model if data or config changed
	@$(HUB)/python -m bot train

seed: envs  ## reset the demo shop data
	@$(HUB)/python -m bot seed

run: train  ## start Rasa, the action server and the hub (Ctrl-C stops all)
	@$(HUB)/python -m bot run

chat: envs  ## chat with the running hub in this terminal (after `make run` in another one)
	@$(HUB)/python -m bot chat

agent: envs  ## create an agent: make agent EMAIL=a@b.de NAME="Eva" ROLE=admin
	@$(HUB)/python -m bot create-agent --email "$(EMAIL)" --name "$(NAME)" --role "$(or $(ROLE),agent)"

system-deps:  ## Debian packages the tests need (chromium, PostgreSQL, Redis)
	@scripts/system_deps.sh

test: system-deps dev-envs train  ## everything CI runs
	@scripts/test.sh

test-unit: dev-envs $(SPACY)  ## unit tests only (both environments, JS)
	@scripts/test.sh unit

lint: dev-envs  ## ruff format --check, ruff check, mypy, the hub-imports-no-Rasa check, the strict docs build
	@scripts/test.sh lint

bench-nlu: dev-envs $(SPACY)  ## NLU benchmark on the xSID German data
	@$(RASA)/python -m bench.nlu

bench-hub: dev-envs train  ## hub and Rasa load benchmark
	@$(HUB)/python -m bench.hub

bench-saturation: dev-envs train  ## one Rasa worker under FAQ load vs a bare `rasa init` bot, same run, with a py-spy profile
	@$(HUB)/python -m bench.saturation --profile bench/out/profile-saturation

bench-long: dev-envs train  ## one 120-turn FAQ conversation, hub and direct, Rasa's tracker store vs the cached one
	@$(HUB)/python -m bench.long_conversation --profile bench/out/profile

bench-hub-share: dev-envs  ## the hub's own CPU and time per turn against a fake Rasa that answers at once
	@$(HUB)/python -m bench.hub_share

bench-scale: dev-envs train  ## turn latency over 10,000 conversations / 1,000,000 messages (SQLite, PostgreSQL), memory per conversation, a Rasa worker and a hub killed under load
	@$(HUB)/python -m bench.scale

bench-login: dev-envs  ## 30 wrong logins/s against the hub: customer latency before and during
	@$(HUB)/python -m bench.login_load

bench-attachments: dev-envs  ## worst-case image uploads: GET /api/v1/states latency alone and during, re-encoding time
	@$(HUB)/python -m bench.attachments

bench-reports: dev-envs  ## report queries over 100,000 generated conversations / 1,000,000 messages (SQLite)
	@$(HUB)/python -m bench.reports

bench-search: dev-envs  ## search p50/p95 over 100,000 generated conversations / 1,000,000 messages (SQLite and PostgreSQL)
	@$(HUB)/python -m bench.search

knowledge: envs  ## rebuild the knowledge-base index from knowledge/pages (the running bot also does it by itself)
	@$(RASA)/python -m bot.knowledge build

bench-knowledge: dev-envs  ## knowledge-base retrieval: recall, abstention, latency at 1k/10k passages, build time
	@$(RASA)/python -m bench.knowledge

bench-conversations: dev-envs train  ## the conversation corpus (issue 22) on a fresh stack: pass shares, audit, failing turns
	@$(HUB)/python -m bench.conversations

lock:  ## re-resolve locks/*.in into hashed locks (needs network to PyPI; uses uv from a throw-away venv)
	@scripts/lock.sh

docs: dev-envs  ## build the docs site in strict mode
	@$(HUB)/mkdocs build --strict -d var/site

format: dev-envs  ## apply ruff format and the safe ruff fixes
	@$(HUB)/ruff format bot actions tests bench && $(HUB)/ruff check --fix bot actions tests bench

clean:  ## remove trained models and local state under var/
	rm -rf var models results .pytest_cache
