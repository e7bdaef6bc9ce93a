# KEK Geo: two commands do all set-up.
#   make run   – create/update .venv and start the dashboard on the shipped data
#   make test  – create/update .venv with test tools and run lint, types and all tests
#   make kiosk – the public kiosk (touch screen, read-only) on the same data
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
HOST   ?= 127.0.0.1

.PHONY: run kiosk test lint types pytest data bench bench-indicators lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	@touch $@

run: $(VENV)/.installed-run
	$(BIN)/kek-geo serve --server.address $(HOST) --server.port $(PORT)

kiosk: $(VENV)/.installed-run
	$(BIN)/kek-geo serve --kiosk --server.address $(HOST) --server.port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

data: $(VENV)/.installed-run
	$(BIN)/kek-geo build-data

bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench_foundation.py

bench-indicators: $(VENV)/.installed-test
	$(BIN)/python bench/bench_indicators.py

# Re-pin every installed package (run after changing dependencies in pyproject.toml).
lock: $(VENV)/.installed-test
	$(BIN)/pip freeze --exclude-editable | grep -v '^kek-geo' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
