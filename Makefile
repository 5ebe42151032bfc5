# The two commands a newcomer needs: `make demo` and `make test`. Both set up everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MO := src/veille/locale/fr/LC_MESSAGES/django.mo
PO := src/veille/locale/fr/LC_MESSAGES/django.po
DEMO_DATA ?= $(CURDIR)/.demo-data

.PHONY: demo test bench lint format serve install clean

MODEL := src/veille/enrich/models/sentiment.joblib

install: $(STAMP) $(MO) $(MODEL)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

$(MO): $(PO) $(STAMP)
	$(BIN)/python scripts/compile_messages.py

# The sentiment models are trained by the project's own code (seeded), never downloaded.
$(MODEL): $(STAMP) src/veille/enrich/train.py src/veille/enrich/text.py src/veille/enrich/features.py src/veille/enrich/data/labelled-comments.jsonl
	VEILLE_DATA_DIR=$$(mktemp -d) $(BIN)/veille train --out $(MODEL)

demo: install
	VEILLE_DATA_DIR=$(DEMO_DATA) $(BIN)/veille demo

test: install
	scripts/test.sh

bench: install
	@for script in benchmarks/*_bench.py benchmarks/*_eval.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

format: install
	$(BIN)/ruff check --fix src tests benchmarks scripts
	$(BIN)/ruff format src tests benchmarks scripts

serve: install
	$(BIN)/veille serve

clean:
	rm -rf $(VENV) $(DEMO_DATA) .pytest_cache .ruff_cache $(MO) $(MODEL)
