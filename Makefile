# Two commands do all set-up on a fresh machine: `make serve` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCAL_LLM_STAMP := $(VENV)/.installed-local-llm
LLAMA_FLAGS_FILE := $(VENV)/.llama-build-flags
# llama.cpp compiled for this machine's CPU (-march=native: on a CPU with AVX-512 it reads
# a prompt ~30% faster than the AVX2-only portable build, and reading the prompt is most
# of the time to a generated answer's first token), without the multimodal parts. The
# build is for the machine that runs `make`; a venv copied to an older CPU needs
# LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF".
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=ON -DLLAVA_BUILD=OFF
# GCC 12 (Debian 12's compiler) drops the stores that fill in an AMX tile configuration
# before `_tile_loadconfig` reads it (dead-store elimination does not see the
# intrinsic read them), so llama.cpp's AMX path loaded a configuration with no rows and
# stopped on its first tile instruction (SIGILL at `tilezero`). With dead-store
# elimination off the configuration is written and the AMX path runs: on a 2-core Xeon
# with AMX the 1.5B model reads a judge's prompt in 1.99 s against 2.94 s without it
# (medians of 12 reads, the two builds alternating).
LLAMA_CFLAGS := -fno-dse -fno-tree-dse
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
.PHONY: install install-local-llm serve test lint ingest eval eval-readers baseline bench clean FORCE

install: $(STAMP)
install-local-llm: $(LOCAL_LLM_STAMP)

# torch first and alone, pinned, from PyTorch's CPU-only index (as its own install
# instructions do): from PyPI, torch==2.13.0 is the CUDA build, and as a dependency of
# sentence-transformers an unpinned torch pulls gigabytes of CUDA packages. Where that
# index cannot be reached, pip's find-links (a local wheel folder) serve the CPU wheel;
# the short timeout keeps an unreachable index from stalling the install.
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
# A venv made without pip (Debian's python3 without python3-venv) is made again.
$(STAMP): pyproject.toml requirements.lock
	test -x $(VENV)/bin/pip || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --timeout 15 --retries 2 --index-url $(TORCH_INDEX) torch==2.13.0
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# The local answerer: llama-cpp-python compiles from source (about 4 minutes on 2 cores)
# and the model arrives as 22 part packages (1.1 GB). Only for QA_LLM=local and the tests.
# llama-cpp-python is built alone first, every time this step runs, and never taken from
# pip's cache: a wheel cached by an earlier build (other flags, another CPU), or the one
# already installed, would be kept whatever CMAKE_ARGS say.
$(LOCAL_LLM_STAMP): $(STAMP) $(LLAMA_FLAGS_FILE)
	CFLAGS="$(LLAMA_CFLAGS)" CXXFLAGS="$(LLAMA_CFLAGS)" CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" \
		$(PY) -m pip install --quiet --no-cache-dir \
		--force-reinstall --no-deps -c requirements.lock llama-cpp-python
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev,local-llm]'
	touch $(LOCAL_LLM_STAMP)

# The flags llama.cpp was built with, rewritten only when they change (git's GIT-CFLAGS
# way): a venv built with other flags, by an older Makefile or by hand, is rebuilt with
# these, and a change elsewhere in this file rebuilds nothing.
$(LLAMA_FLAGS_FILE): FORCE
	@mkdir -p $(VENV)
	@flags='CFLAGS=$(LLAMA_CFLAGS) CMAKE_ARGS=$(LLAMA_CMAKE_ARGS)'; \
	if [ "$$flags" != "$$(cat $@ 2>/dev/null)" ]; then echo "$$flags" > $@; fi

# The browser test drives Debian's Chromium (Playwright never downloads a browser here).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# `QA_LLM=local make serve` installs the local answerer first.
# Where it listens: QA_HOST and QA_PORT, from the environment, make's command line
# (`make serve QA_PORT=9000`) or .env; 127.0.0.1:8000 if none sets them.
serve: $(STAMP) $(if $(filter local,$(QA_LLM)),$(LOCAL_LLM_STAMP))
	$(VENV)/bin/qa ingest --if-empty
	$(VENV)/bin/qa serve

# The tests run in one process per core (pytest-xdist), each test file in one process, so
# a module's fixtures (a loaded local model, a server) are made once. Most of the suite's
# time is single-threaded: `qa` commands started as processes, servers, a browser.
# `make test PYTEST_WORKERS=0` runs them in this process.
PYTEST_WORKERS ?= auto
# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
test: $(LOCAL_LLM_STAMP) $(CHROMIUM)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

# The layer contracts in .importlinter are checked with the code style and the types.
lint: $(STAMP)
	$(VENV)/bin/ruff check qa api tests eval
	$(VENV)/bin/ruff format --check qa api tests eval
	$(VENV)/bin/mypy qa api eval
	$(VENV)/bin/lint-imports

ingest: $(STAMP)
	$(VENV)/bin/qa ingest

eval: $(STAMP) $(if $(filter local,$(QA_LLM)),$(LOCAL_LLM_STAMP))
	$(VENV)/bin/qa eval ../shared/eval/dev.jsonl

# The held-out half of the readers' questions (tests/data/readers.jsonl), per kind.
eval-readers: $(STAMP) $(if $(filter local,$(QA_LLM)),$(LOCAL_LLM_STAMP))
	$(VENV)/bin/qa eval tests/data/readers.jsonl --split heldout

# The same questions through llama-index's CitationQueryEngine and the same local model.
baseline: $(LOCAL_LLM_STAMP)
	$(VENV)/bin/python eval/citation_query_engine.py tests/data/readers.jsonl --split heldout $(BASELINE_ARGS)

# The speed and scale figures (README): `make bench`, or `make bench BENCH_ARGS=--quick`.
# The first full run builds a 100,000-chunk index into bench/cache (kept for later runs)
# and times generated answers with both packaged local models; a quick run times no
# model, so it needs no local model installed.
bench: $(if $(findstring --quick,$(BENCH_ARGS)),$(STAMP),$(LOCAL_LLM_STAMP))
	$(VENV)/bin/qa bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) vectorstore/*
