# geotrade — two set-up commands (see README):
#   make demo   create .venv, install geotrade, run `geotrade demo` offline
#   make test   create the environments the tests need (engine venv, system QGIS 3.22 via apt
#               when missing and root on Debian, a QGIS test venv) and run the whole suite
# Both are idempotent: stamps under .venv*/ skip work that is already done.

PYTHON      ?= python3
VENV        := .venv
QGIS_VENV   := .venv-qgis
ENGINE_OK   := $(VENV)/.geotrade-installed
QGIS_OK     := $(QGIS_VENV)/.geotrade-installed
SYSTEM_OK   := $(VENV)/.system-deps-ok
DEMO_OUT    ?= output/demo

.PHONY: demo test test-engine test-qgis lint bench plugin screenshot clean help

help:
	@echo "make demo   - install into .venv and run 'geotrade demo --out $(DEMO_OUT)'"
	@echo "make test   - install everything needed and run the whole test suite"
	@echo "make lint   - ruff check"
	@echo "make plugin - build the QGIS plugin zip into dist/ (install it in QGIS: Plugins > Install from ZIP)"
	@echo "make bench  - run benchmarks B1-B5b and write benchmarks/RESULTS.md (not part of make test)"

$(ENGINE_OK): pyproject.toml hatch_build.py geotrade/_fj_kernel.c
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "geotrade needs Python >= 3.10")'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	touch $@

demo: $(ENGINE_OK)
	$(VENV)/bin/geotrade demo --out $(DEMO_OUT)

$(SYSTEM_OK): scripts/ensure_system_deps.sh | $(ENGINE_OK)
	bash scripts/ensure_system_deps.sh
	touch $@

$(QGIS_OK): scripts/make_qgis_venv.sh $(SYSTEM_OK)
	bash scripts/make_qgis_venv.sh $(QGIS_VENV)
	touch $@

test: test-engine test-qgis

test-engine: $(ENGINE_OK) $(SYSTEM_OK)
	$(VENV)/bin/ruff check geotrade tests benchmarks scripts boundaries qgis_plugin
	$(VENV)/bin/python -m mypy
	$(VENV)/bin/python -m pytest --doctest-modules geotrade tests

test-qgis: $(QGIS_OK) $(ENGINE_OK)
	GEOTRADE_ENGINE_PYTHON=$(CURDIR)/$(VENV)/bin/python \
	  $(QGIS_VENV)/bin/python -m pytest -c tests/qgis/pytest.ini tests/qgis

lint: $(ENGINE_OK)
	$(VENV)/bin/ruff check geotrade tests benchmarks scripts boundaries qgis_plugin

bench: $(ENGINE_OK)
	nice -n 10 $(VENV)/bin/python benchmarks/run_all.py

plugin:
	$(PYTHON) scripts/build_plugin.py --out dist

screenshot: $(ENGINE_OK) $(SYSTEM_OK)
	GEOTRADE_ENGINE_PYTHON=$(CURDIR)/$(VENV)/bin/python /usr/bin/python3 scripts/qgis_screenshot.py

clean:
	rm -rf $(VENV) $(QGIS_VENV) output .pytest_cache .qgis-settings
