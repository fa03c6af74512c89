# Two commands do everything: `make lab` and `make test`. Each creates .venv and installs first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test venv exercises benchmark clean hub

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

lab: venv
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) notebooks/00_welcome.ipynb $(if $(filter 0,$(shell id -u)),--allow-root,)

# Doctests of the library first (a separate run: --doctest-modules would import every conftest.py
# of tests/ as a module named `conftest` and collide), then everything else on two workers.
test: venv
	$(BIN)/python -m pytest -q --doctest-modules lib deploy/capacity.py
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval-lax tests notebooks solutions

# Regenerate exercises/ from solutions/ (instructors, after editing a solution).
exercises: venv
	$(BIN)/python scripts/release.py

# A local JupyterHub with an instructor and two students (needs root: sudo make hub); see deploy/README.md
hub:
	python3 deploy/hub.py

benchmark: venv
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache gradebook.db submitted autograded feedback .exchange
