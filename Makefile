# `make run` serves the app on http://127.0.0.1:5000 with demo data (`make run PORT=5001 HOST=0.0.0.0` to change
# where it listens); `make test` runs every test (CI runs it); `make test-quick` leaves out the tests marked slow
# (Schemathesis, the long stateful and fuzzing runs); `make lint` runs ruff and mypy (configured in pyproject.toml).
PYTHON ?= python3
PORT ?= 5000
HOST ?= 127.0.0.1
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app ocop_tracker

.PHONY: run test test-quick lint install install-dev translations constraints

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs take their versions from constraints.txt (the lock), so every machine gets the same releases.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# On loopback the demo's mail links and QR codes point at the address it serves; on another HOST set
# OCOP_BASE_URL to the address others open (the admin pages warn until then).
ifneq ($(filter 127.0.0.1 localhost,$(HOST)),)
run: export OCOP_BASE_URL ?= http://$(HOST):$(PORT)
endif
run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

# Both spread the tests over the machine's cores (pytest-xdist; each worker has its own databases): `make test
# PYTEST_WORKERS=0` runs them in one process.
PYTEST_WORKERS ?= auto
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-quick: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not slow" $(PYTEST_ARGS)

# Any finding fails: ruff's default rules plus import order, pyupgrade and bugbear; mypy over the package.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check ocop_tracker tests bench
	$(BIN)/mypy

# `make translations`: extract the Vietnamese msgids into messages.pot, merge them into the English catalogue
# (created when missing), compile the .mo. Commit the .pot, .po and .mo: an installed package needs no compile step.
# Stable diffs: sorted, no source locations, no wrapping, no POT date; strings removed from the code are dropped.
# No vi catalogue: Vietnamese is the source language, so an untranslated msgid already is the Vietnamese text.
translations: I18N := ocop_tracker/translations
translations: | $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg --sort-output --no-location --no-wrap --omit-header -o $(I18N)/messages.pot .
	$(BIN)/pybabel -q update -i $(I18N)/messages.pot -d $(I18N) -l en --init-missing --ignore-obsolete \
		--no-fuzzy-matching --no-wrap --ignore-pot-creation-date
	$(BIN)/pybabel compile -d $(I18N) -l en --statistics

# `make constraints`: pin every dependency (with the dev and sentry extras) for every platform, after editing
# pyproject.toml or to take newer releases. Commit constraints.txt; `make install`, CI and production use it.
constraints: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	{ echo '# The lock: exact releases of every dependency, extras dev and sentry included, for any platform.'; \
	  echo '# Use it as pip constraints: pip install -c constraints.txt ocop_tracker-*.whl (or -e ".[dev]").'; \
	  echo '# Regenerate with `make constraints` (uv pip compile) after editing pyproject.toml; do not edit by hand.'; \
	  $(BIN)/uv pip compile pyproject.toml --extra dev --extra sentry --universal --python-version 3.11 \
	      --no-header --quiet; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
