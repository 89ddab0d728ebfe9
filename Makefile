# Portal Kompetensi ASN — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PIP    := $(BIN)/pip install --disable-pip-version-check --progress-bar off
STEP   := @printf '\n==> %s\n' 

.PHONY: run test install install-test migrate demo clean bench check-migrations messages

# translations: each portal/locale/<lang>/LC_MESSAGES/messages.po compiled to its .mo (not committed)
MO_FILES := $(patsubst %.po,%.mo,$(wildcard portal/locale/*/LC_MESSAGES/messages.po))

$(BIN)/python:
	$(STEP) "Membuat virtualenv $(VENV)"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(STEP) "Memasang paket Python (1-3 menit pada mesin baru; setiap paket ditampilkan)"
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(STEP) "Memasang paket Python dan alat uji (1-3 menit pada mesin baru; setiap paket ditampilkan)"
	$(PIP) -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed $(MO_FILES)
install-test: $(VENV)/.installed-test $(MO_FILES)

%.mo: %.po | $(BIN)/python
	$(STEP) "Mengompilasi terjemahan $<"
	$(BIN)/pybabel compile --statistics -i $< -o $@

## make messages: extract every marked string and update the catalogues (docs/dev/i18n.md)
messages: install
	@mkdir -p var
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k lazy_gettext --no-wrap --no-location --sort-output \
		--project="Portal Kompetensi ASN" -o var/messages.pot .
	$(BIN)/pybabel update -i var/messages.pot -d portal/locale --no-wrap --no-fuzzy-matching --ignore-obsolete

migrate: install
	$(STEP) "Menerapkan migrasi basis data"
	@mkdir -p var
	$(BIN)/portal db upgrade

demo: migrate
	$(BIN)/portal demo

## make run: set everything up and serve on http://$(HOST):$(PORT) (SQLite at var/portal.db)
run: migrate
	$(STEP) "Data demo (hanya pada basis data kosong)"
	$(BIN)/portal demo --if-empty
	$(STEP) "Portal berjalan di http://$(HOST):$(PORT) (hentikan dengan Ctrl+C)"
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
