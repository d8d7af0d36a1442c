# Vigie: `make demo` and `make test` each set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := demo-out

.PHONY: install services demo test bench lock clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q pip==25.3 setuptools==80.9.0
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

services:
	./scripts/ensure-services.sh

demo: install
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(BIN)/vigie synth leak --shape lab-semicolon --patients 5000 --seed 7 --out $(DEMO)/leak
	$(BIN)/vigie inspect $(DEMO)/leak/export_labo.txt
	$(BIN)/vigie assess $(DEMO)/leak/export_labo.txt --out $(DEMO)/report --format json,html,md
	@echo "Open $(DEMO)/report/assessment.html for the one-page report."

test: install services
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -q

bench: install services
	$(BIN)/python -m bench.run

# Re-pin every dependency after changing pyproject.toml (run by a developer, not by CI).
lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^vigie' > requirements.lock

clean:
	rm -rf $(VENV) $(DEMO) bench-out
