# newsetl: the two set-up commands are `make demo` (install + load the examples) and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
SHARED ?= ../shared
DB ?= warehouse.duckdb
TEST_WORKERS ?= auto

.PHONY: demo test bootstrap install lint bench score clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

bootstrap:  ## install uv with pip when it is missing
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
	  python3 -m pip install --quiet uv || python3 -m pip install --quiet --user uv

install: bootstrap  ## the locked environment in .venv (uv.lock, hashes pinned)
	$(UV) sync --frozen --extra dashboard

demo: install  ## load the bundled examples into $(DB) and print the summary
	$(UV) run --frozen newsetl run examples/ --db $(DB)

test: bootstrap  ## the whole test suite (unit + end-to-end), one pytest worker per core (TEST_WORKERS=0: none)
	$(UV) sync --frozen --group dev --extra dashboard
	@$(UV) run --frozen pytest -q -n $(TEST_WORKERS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is broken" >&2; exit 1; fi; \
	  exit $$status

lint:  ## ruff
	$(UV) run --frozen ruff check .

score: install  ## run on ../shared/corpus/seeds and score against ../shared/gold (needs ../shared)
	@test -d $(SHARED)/corpus/seeds || { echo "needs $(SHARED)/corpus/seeds"; exit 2; }
	rm -f /tmp/newsetl-seeds.duckdb
	$(UV) run --frozen newsetl run $(SHARED)/corpus/seeds --db /tmp/newsetl-seeds.duckdb
	$(UV) run --frozen python $(SHARED)/eval/score.py --db /tmp/newsetl-seeds.duckdb --gold $(SHARED)/gold/seeds.json

# BENCH_LIMIT=N: the first N files; BENCH_PROCESSES=N: spaCy processes (default: the pipeline's);
# BENCH_DEV=0: skip the dev-set scorers; BENCH_ARGS: more options of benchmarks/bench.py (--compare-full-parse)
BENCH_DEV_ON = $(and $(filter-out 0,$(or $(BENCH_DEV),1)),$(wildcard $(SHARED)/eval))
bench: install  ## pipeline vs bare nlp.pipe on ../shared/corpus/bbc, and the dev sets with selective parsing on/off
	@test -d $(SHARED)/corpus/bbc || { echo "needs $(SHARED)/corpus/bbc"; exit 2; }
	@test -d $(SHARED)/eval || echo "no $(SHARED)/eval: the dev-set figures are skipped"
	$(UV) run --frozen python -m benchmarks.bench --corpus $(SHARED)/corpus/bbc --shared $(SHARED) \
	  $(if $(BENCH_LIMIT),--limit $(BENCH_LIMIT),) $(if $(BENCH_PROCESSES),--processes $(BENCH_PROCESSES),) \
	  $(if $(BENCH_DEV_ON),--dev,) $(BENCH_ARGS)

.PHONY: bench-scale
bench-scale: install  ## issue 8 at scale: SCALE_ARTICLES (20000) made from ../shared/corpus/bbc; peak RSS, rerun, throughput
	@test -d $(SHARED)/corpus/bbc || { echo "needs $(SHARED)/corpus/bbc"; exit 2; }
	$(UV) run --frozen python -m benchmarks.bench_scale --corpus $(SHARED)/corpus/bbc \
	  --articles $(or $(SCALE_ARTICLES),20000) --small $(or $(SCALE_SMALL),2000) \
	  $(if $(SCALE_WORKDIR),--workdir $(SCALE_WORKDIR),) $(if $(SCALE_PROCESSES),--n-process $(SCALE_PROCESSES),) \
	  $(if $(SCALE_FILES),--files $(SCALE_FILES),)

clean:  ## remove local state and warehouses made by demo
	rm -rf .newsetl $(DB) $(DB).wal $(DB).newsetl $(DB).newsetl.lock
