# mixpot developer entry points. Everything runs in .venv, created on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-all lint format bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mixpot demo

test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow" --doctest-glob="*.md" src tests docs

test-all: $(STAMP)
	$(BIN)/python -m pytest -q --doctest-glob="*.md" src tests docs

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples

format: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks examples
	$(BIN)/ruff format src tests benchmarks examples

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

docs: $(STAMP)
	$(BIN)/python -m pytest -q --doctest-glob="*.md" docs

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache mixpot-output
