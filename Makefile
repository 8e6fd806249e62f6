# One-line targets. Every target installs what it needs first, so a fresh clone works.
PYTHON ?= python3
OSM    ?=
OUT    ?=
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
ASSETS  = static/vendor/.installed
# The installer itself is pinned too; uv.lock pins everything else (README, "Dependencies").
UV_VERSION = 0.13.10
UV      = UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv

.PHONY: install assets run test soak lint data bench lock clean

# Exactly the versions in uv.lock (--locked: refuse a lock that no longer matches
# pyproject.toml). --inexact keeps uv itself, which the lock does not list.
$(STAMP): pyproject.toml uv.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV) sync --quiet --locked --inexact --extra dev
	touch $(STAMP)

# Refresh the lock to the newest versions pyproject.toml allows; then `make test` and commit it.
lock:
	[ -x $(VENV)/bin/uv ] || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION); }
	$(UV) lock --upgrade

# Map page browser files: npm packages (package-lock.json) + XStatic wheels -> static/vendor/.
$(ASSETS): package-lock.json putuo_geo/assets.py putuo_geo/js/map-taps.js $(STAMP)
	npm ci --ignore-scripts --no-audit --no-fund && $(PY) -m putuo_geo.assets && touch $(ASSETS)

assets: $(ASSETS)

install: $(STAMP) $(ASSETS)

run: install
	$(PY) -m streamlit run app.py

# The whole suite, with the 30-second soak (25 browser sessions, about 2.5 minutes in all).
test: install
	$(PY) -m pytest

# The long soak alone: 25 concurrent browser sessions for 2 minutes; figures in
# test-artifacts/soak.json.
soak: install
	PUTUO_SOAK_S=120 $(PY) -m pytest -m soak -s

lint: install
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(PY) -m mypy

# `make data` rebuilds geo/ from geo/inputs/; `make data OSM=extract.osm.pbf [OUT=dir]` runs
# the OpenStreetMap importer into a new folder (default geo-osm/) and prints the change report.
data: install
	$(if $(OSM),$(PY) -m putuo_geo.cli import-osm $(OSM) --out $(or $(OUT),geo-osm),$(PY) scripts/build_data.py)

# Benchmarks (issue 6): prints a table, writes bench/results/latest.md (+ .json).
bench: install
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache node_modules static/vendor test-artifacts
