# dockersim: one command to start the daemon, one to run the tests.
#   make run    create .venv, install dockersim, start the daemon on its defaults
#   make test   create .venv, install dockersim[test], run every test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/dockersim daemon $(ARGS)

test: install
	$(BIN)/python -m pytest $(ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
