# Two commands do all the set-up: `make serve` and `make test`. Both create .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Python writes its bytecode caches (__pycache__/, gitignored) even where the environment says not
# to: without them every process of the suite compiles the project's modules again and pytest
# rewrites every test file again (a test collection: 6.4 -> 3.8 core-seconds).
unexport PYTHONDONTWRITEBYTECODE
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k sigmoid -x"`.
PYTEST_ARGS ?=
# The site's one build command: `mkdocs build --strict` in the build's environment
# (src/backprop_site/build.py); the tests build through it too.
BUILD := $(BIN)/python -m backprop_site.build

.PHONY: serve test test-page site bench bench-browser lock clean

# The ipython_kernel_config.py line: kernels started from this venv (the notebooks run by the
# build) log errors only; ipykernel's warning that its localhost TCP sockets are unencrypted
# would otherwise print on every build.
$(STAMP): requirements.in constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.in -c constraints.txt -e .
	mkdir -p $(VENV)/etc/ipython
	echo 'c.IPKernelApp.log_level = "ERROR"' > $(VENV)/etc/ipython/ipython_kernel_config.py
	touch $(STAMP)

serve: $(STAMP)
	$(BUILD) serve --dirty --dev-addr 127.0.0.1:8000

site: $(STAMP)
	$(BUILD)

# The site is built first (a broken link, anchor or notebook fails here); the tests that inspect
# the built site read it from BACKPROP_SITE_DIR instead of building it again. pytest-xdist runs
# one process per core; a test file's tests (a page's blocks, in order) stay in one process.
# The package's tests, in CPython and in Pyodide, need no site and the build keeps one core
# busy, so they run beside the build; their report is printed at the end.
PACKAGE_TESTS := tests/package
test: $(STAMP)
	@log=$$(mktemp); \
	$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS) $(PACKAGE_TESTS) > $$log 2>&1 & package=$$!; \
	$(BUILD) && BACKPROP_SITE_DIR=site $(BIN)/python -m pytest --numprocesses auto --dist loadfile --no-loadscope-reorder \
	  --ignore=$(PACKAGE_TESTS) $(PYTEST_ARGS); status=$$?; \
	wait $$package; package=$$?; \
	echo "--- $(PACKAGE_TESTS), run beside the build:"; cat $$log; rm -f $$log; \
	[ $$status -eq 0 ] && { [ $$package -eq 0 ] || [ $$package -eq 5 ]; }

# One page: its blocks, its numbered equations, its own tests/pages/test_pages_*.py and its browser
# checks, e.g. `make test-page PAGE=docs/answer/one-weight.md`. The build reuses notebook output
# when neither the notebook nor the package changed; `make test` runs everything fresh.
PAGE ?= docs/index.md
PAGE_ID := $(patsubst docs/%.md,%,$(PAGE))
PAGE_TESTS := $(wildcard tests/pages/test_pages_$(subst -,_,$(basename $(notdir $(PAGE)))).py)
test-page: $(STAMP)
	@test -f $(PAGE) || { echo "PAGE=$(PAGE) is not a page under docs/"; exit 2; }
	BACKPROP_NOTEBOOK_CACHE=1 $(BUILD) --quiet
	BACKPROP_SITE_DIR=site $(BIN)/python -m pytest $(PYTEST_ARGS) $(PAGE) tests/pages/test_equations.py \
	  tests/browser $(PAGE_TESTS) -k "$(PAGE_ID) or $(notdir $(PAGE)) or test_pages_"

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Click-to-output of the Run button in Chromium (Pyodide), cold and warm: writes
# docs/assets/performance/pyodide.json for the Performance page.
bench-browser: site
	$(BIN)/python benchmarks/pyodide_run.py

# Re-resolve every dependency to its newest compatible version and record it in constraints.txt.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -r requirements.in
	{ echo '# Exact versions for a reproducible install. Regenerate with `make lock` (see README).'; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable; } > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis
