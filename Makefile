# Two entry points: `make demo` and `make test`. Both create .venv with everything installed.
PYTHON ?= python3
EXTRAS ?= dev
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	echo '$(EXTRAS)' > $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/metanorm examples/input.jsonl

test: $(STAMP)
	$(BIN)/ruff check normalize tests bench examples scripts
	$(BIN)/ruff format --check normalize tests bench examples scripts
	$(BIN)/mypy
	$(BIN)/metanorm rules test
	$(BIN)/metanorm rules lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check normalize tests bench examples scripts

format: $(STAMP)
	$(BIN)/ruff format normalize tests bench examples scripts
	$(BIN)/ruff check --fix normalize tests bench examples scripts

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
