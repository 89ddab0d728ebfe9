# Portal Kompetensi ASN — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PIP    := $(BIN)/pip install --disable-pip-version-check -q

.PHONY: run test install install-test migrate demo clean bench check-migrations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	mkdir -p var
	$(BIN)/portal db upgrade

demo: migrate
	$(BIN)/portal demo

## make run: set everything up and serve on http://$(HOST):$(PORT) (SQLite at var/portal.db)
run: migrate
	$(BIN)/portal demo --if-empty
	$(BIN)/portal serve --host $(HOST) --port $(PORT)

## make test: set up and run the whole suite (SQLite, PostgreSQL and Chromium)
test: install-test
	.ci/system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check-migrations: install
	PORTAL_DATABASE_URL=sqlite:///var/check.db $(BIN)/alembic upgrade head && \
	PORTAL_DATABASE_URL=sqlite:///var/check.db $(BIN)/alembic check; rm -f var/check.db*

clean:
	rm -rf $(VENV) var/*.db var/*.db-wal var/*.db-shm .pytest_cache
