# Build and test plumbing. `make test` is what CI runs (.ci/run); on success it prints nothing
# but pytest's progress dots and closing "N passed" line.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

VENV ?= .venv
PYTHON := $(VENV)/bin/python
# Written after a successful install; pyproject.toml newer than it means: install again.
INSTALLED := $(VENV)/.installed

# Runs a command and shows its output only when it fails.
QUIETLY := bash -c 'out=$$("$$@" 2>&1) || { status=$$?; echo "$$out"; exit $$status; }' quietly
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -q

.PHONY: venv system-deps demo-deps test lint demo bench eval eval-anonymisation

venv: $(INSTALLED)
	@:

# Debian's python3 needs python3-venv (ensurepip) before it can create a virtualenv.
$(INSTALLED): pyproject.toml
	@if [ ! -x $(PYTHON) ]; then \
		if ! python3 -c 'import ensurepip' 2>/dev/null; then \
			echo "Installing Debian packages: python3-venv"; \
			$(QUIETLY) sh -c 'apt-get update -q && $(APT_INSTALL) python3-venv'; \
		fi; \
		python3 -m venv $(VENV); \
	fi
	@$(QUIETLY) $(PYTHON) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

# Debian packages the tests need: a PostgreSQL server (binaries in /usr/lib/postgresql/*/bin),
# Chromium for the browser tests, a font with Vietnamese glyphs, and the RTSP camera simulator
# (src/camwarden/simulator/rtsp_camera.py): ffmpeg to encode test video and read streams,
# gst-rtsp-server with its Python bindings (in Debian's /usr/bin/python3) and the GStreamer plugins it uses (appsrc from
# base, rtph264pay from good). Fast when all are present: only `ls`, `command -v` and one
# `dpkg -s`, no apt. Needs root when something is missing.
RTSP_CAMERA_PACKAGES := ffmpeg python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp \
	gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly

# The demo needs the camera simulator and the font its printed records use; the tests need
# everything.
DEMO_PACKAGES := $(RTSP_CAMERA_PACKAGES) fonts-dejavu-core

demo-deps:
	@if ! dpkg -s $(DEMO_PACKAGES) >/dev/null 2>&1; then \
		echo "Installing the Debian packages of the simulated cameras and the records' font"; \
		$(QUIETLY) sh -c "apt-get update -q && $(APT_INSTALL) $(DEMO_PACKAGES)"; \
	fi

system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null \
		|| missing="$$missing postgresql"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing="$$missing fonts-dejavu-core"; \
	if ! dpkg -s $(RTSP_CAMERA_PACKAGES) >/dev/null 2>&1; then \
		for package in $(RTSP_CAMERA_PACKAGES); do \
			dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
		done; \
	fi; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(QUIETLY) sh -c "apt-get update -q && $(APT_INSTALL) $$missing"; \
	fi

lint: venv
	@$(VENV)/bin/ruff check -q src tests eval bench
	@$(VENV)/bin/ruff format --check -q src tests eval bench
	@$(QUIETLY) $(VENV)/bin/mypy

test: venv system-deps lint
	@$(VENV)/bin/pytest

# The real corridor footage beside the project (../shared/samples) plays on one camera.
SAMPLE := $(wildcard ../shared/samples/corridor-people.mp4)

demo: venv demo-deps
	$(VENV)/bin/camwarden demo $(if $(SAMPLE),--sample $(SAMPLE))

bench: venv
	@if [ -f bench/run.py ]; then \
		$(PYTHON) bench/run.py; \
	else \
		echo "No benchmarks yet: bench/run.py does not exist."; \
	fi

# Tamper detection measured on labelled scenarios (eval/, docs/analysis-evaluation.md): real and
# generated scenes rendered by Debian's ffmpeg (cached in eval/.cache), run through the live
# analysis path, scored per kind. SEED=N draws other scenarios (docs/analysis-evaluation.md
# says which seeds were looked at, and which is the next fresh one). Prints MISSED when a goal
# is not met and still exits 0: the figures are the result.
SEED ?= 1

eval: venv
	@$(PYTHON) -m eval --seed $(SEED)

# Anonymised copies measured on the real corridor footage (docs/anonymisation.md): a face
# detector's finds on people in the original and in the copy, and how much stays clear; then
# real faces (a portrait in scikit-image's wheel) composed walking in that corridor.
eval-anonymisation: venv
	@$(PYTHON) eval/anonymisation.py
