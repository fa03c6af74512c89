# Two commands do everything: `make lab` and `make test`. Each creates .venv and installs first.
# Contributors: `make lint` (the rules alone), `make test-random`, `make exercises`; see README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test test-random lint venv exercises benchmark clean hub

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# After the install, one line in the venv's site-packages skips `rfc3987_syntax`: jsonschema imports it
# eagerly and it compiles ~35 Lark grammars (1-2 s of CPU) in every process that loads nbformat's
# validator (each nbgrader command, JupyterLab, `sysdesign check`), for an `iri` format no Jupyter
# schema uses (jsonschema#1428, opendatahub-io/notebooks#3532). jsonschema then leaves that format
# unchecked, as it does when the package is not installed.
SKIP_PTH := sysdesign-skip-rfc3987-syntax.pth
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	echo "import sys; sys.modules.setdefault('rfc3987_syntax', None)" \
		> "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/$(SKIP_PTH)"
	touch $(STAMP)

venv: $(STAMP)

lab: venv
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) notebooks/00_welcome.ipynb $(if $(filter 0,$(shell id -u)),--allow-root,)

# The rules the build enforces (also the first step of `make test`): lint, formatting, types, and the
# committed notebooks (outputs stripped, previous/next links current). Every check runs; the target
# fails if any failed.
CHECKED := lib tests scripts benchmarks deploy
lint: venv
	@status=0; \
	echo "== ruff check"; $(BIN)/ruff check $(CHECKED) || status=1; \
	echo "== ruff format --check"; $(BIN)/ruff format --check $(CHECKED) || status=1; \
	echo "== mypy lib"; $(BIN)/mypy lib || status=1; \
	echo "== notebooks"; $(BIN)/python scripts/check_notebooks.py || status=1; \
	exit $$status

# Lint first; then everything in three worker processes: the tests (the library's docstring examples
# among them, tests/lib/test_doctests.py) and every lesson top to bottom on a fresh kernel (nbval).
# The solution notebooks run top to bottom in the grading round trips (tests/grading/roundtrip.py:
# every cell, hidden tests included, full marks), so nbval does not run them a second time. Property
# tests are derandomized (the hypothesis profile in tests/conftest.py); each file is one unit of
# work, longest first (the order set in tests/conftest.py).
# Three workers on two cores: parts of the suite wait (kernels starting, a browser page settling, a
# Dask worker restarting, the hub spawning servers), and a third worker fills that time (5:28 with
# two, 5:04 with three). A fourth helps only while the machine is quick: one hour it measured 4:32
# against 5:04, a few hours later (the same commit, the machine slower) 6:19-7:19 against 5:52-6:15,
# as the fourth worker's share of the processor cost more than the waiting it filled.
# Python may write bytecode here (unset PYTHONDONTWRITEBYTECODE, which some images set): pytest then
# keeps its assert-rewritten test modules, and a worker's collection takes 3.7 s instead of 7 s.
PYTEST_RUN := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder
test: lint
	$(PYTEST_RUN) --nbval-lax tests notebooks

# New random examples for every property test (hypothesis, 100 per test unless a test sets fewer);
# run it now and then, and turn what it finds into an @example.
test-random: venv
	HYPOTHESIS_PROFILE=random $(PYTEST_RUN) -q tests/lib

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
