# The two set-up commands: `make run` and `make test`. Both create .venv and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint bench bench-scale clean browser

$(STAMP): setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/kampung demo
	KAMPUNG_INSECURE_COOKIES=1 $(BIN)/kampung serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/lint-imports

# The browser test drives Debian's Chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: lint browser
	$(BIN)/pytest

# The benchmark suite on SQLite and PostgreSQL (under 10 minutes on 2 cores; BENCH_QUICK=1 for a smoke run):
# prints the table and writes it to bench/results.md.
bench: install
	$(BIN)/python bench/suite.py

# The read models over a city year on PostgreSQL (1,000,000 events loaded by COPY; catch-up and the full
# rebuild against the bare read + decode; 6–10 minutes on 2 cores): writes its section of bench/results.md.
bench-scale: install
	$(BIN)/python bench/projections_scale.py

clean:
	rm -rf $(VENV) var .pytest_cache
