# Two commands do all set-up on a fresh machine (Python >= 3.11, no conda needed):
#   make report   the main job: every report on the bundled data -> reports/index.html
#   make test     the test suite
# Both create .venv and install the package first when needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?= 2

.PHONY: install report test benchmark data coverage browser clean sync

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# the kernelspec the notebooks name (ipykernel's default, as conda-forge installs it): a name that
	# differs is rewritten by JupyterLab on open, which marks the notebook modified
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	# the server extension that lets notebooks open unmodified (a wheel install puts this file there itself)
	mkdir -p $(VENV)/etc/jupyter/jupyter_server_config.d
	cp jupyter-config/cchc_analysis.json $(VENV)/etc/jupyter/jupyter_server_config.d/
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/cchc main -j $(JOBS)

test: $(STAMP) browser
	$(BIN)/python -m pytest

coverage: $(STAMP)
	$(BIN)/cchc data coverage

# Keep each notebook and its py:percent twin in notebooks/py/ in step (pairing: pyproject.toml).
sync: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.ipynb

# Rebuild data/ from ../shared/reference-data (the reproducible path to the bundled tables).
data: $(STAMP)
	$(BIN)/python scripts/build_data.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py

# Headless Chromium for the browser tests and PDF reports, pdftoppm (poppler-utils) for the PDF test:
# installed when we are root (CI), else skipped.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium and poppler-utils for the browser and PDF tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null; \
	else echo "chromium or pdftoppm not found and not root: browser and PDF tests will be skipped"; fi

clean:
	rm -rf reports .pytest_cache
