# The course's commands. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PY := $(VENV)/bin/python
SHARED_DATA := $(abspath ../shared/data/keras/datasets/fashion-mnist)
# Offline machines read Fashion-MNIST from ../shared/data through a writable KERAS_HOME;
# elsewhere keras.datasets.fashion_mnist.load_data() downloads it into ~/.keras as usual.
ifneq ($(wildcard $(SHARED_DATA)),)
export KERAS_HOME := $(CURDIR)/build/keras_home
endif

.PHONY: demo test test-exhaustive setup course otter prove keras-home browser postgres node-deps hub-deps clean

demo: setup keras-home  ## set up, regenerate the course, run a full grading cycle
	$(PY) -m autograder generate
	$(PY) -m autograder demo $(DEMO_ARGS)

test: setup keras-home browser postgres hub-deps  ## the test suite (what CI runs)
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-exhaustive: setup keras-home hub-deps  ## what is too slow for `test`: `otter run` on the other assignments and every wrong variant, the 30-student hub load check (run it before a release)
	$(PY) -m pytest -n 2 --dist loadgroup -m "exhaustive or hub_load" $(PYTEST_ARGS)

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

keras-home:
ifneq ($(wildcard $(SHARED_DATA)),)
	mkdir -p $(KERAS_HOME)/datasets
	ln -sfn $(SHARED_DATA) $(KERAS_HOME)/datasets/fashion-mnist
endif

# Browser tests drive Debian's Chromium, with a CJK font (the prompts have Chinese titles).
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi wenquanyi; then \
		echo "installing Debian's chromium and fonts-wqy-zenhei (browser tests)"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	fi

course: setup keras-home  ## regenerate release/, references, solutions/ and the otter export from source/
	$(PY) -m autograder generate
	$(PY) -m autograder otter

otter: setup keras-home  ## the otter-grader (Gradescope) export: otter/<a>/ and build/otter/<a>/autograder/*.zip
	$(PY) -m autograder otter

prove: setup keras-home  ## grade solution, blank and wrong variants of every assignment
	$(PY) -m autograder prove

# The concurrent-writer tests run the gradebook on PostgreSQL too: Debian's server binaries (each
# test starts its own throwaway cluster on a unix socket; tests/postgres_server.py).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
		echo "installing Debian's postgresql (gradebook tests on PostgreSQL)"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

# Node packages, pinned by hub/package-lock.json, installed into build/node/: JupyterHub's proxy
# for the course hub (docs/hub.md) and Dolos's library for the similarity report
# (docs/similarity.md), whose tree-sitter parsers compile at install time (g++, make).
NODE_DEPS := build/node/.installed
node-deps: $(NODE_DEPS)
hub-deps: node-deps

$(NODE_DEPS): hub/package.json hub/package-lock.json
	@if ! command -v npm >/dev/null || ! command -v g++ >/dev/null || ! command -v make >/dev/null; then \
		echo "installing Debian's nodejs, npm, g++ and make (the hub's proxy, Dolos's parsers)"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm g++ make >/dev/null; \
	fi
	mkdir -p build/node
	cp hub/package.json hub/package-lock.json build/node/
	cd build/node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

hub: setup keras-home hub-deps  ## JupyterHub with the course on http://127.0.0.1:8000 (logins printed; docs/hub.md)
	$(PY) hub/course_hub.py serve $(HUB_ARGS)

clean:
	rm -rf build gradebook.db submitted autograded feedback
