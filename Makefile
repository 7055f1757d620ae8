# voltage_to_wiring: two commands from a fresh clone (needs only Python >= 3.11).
#   make run    create .venv with the pinned dependencies, then run the whole pipeline
#   make test   the same environment, then the linters (ruff) and the whole test suite
#   make test-fast  the tests that start no Snakemake, no cluster and take no long run (< 1 min)
#   make thesis the thesis's N-to-1 table on its own AdEx neuron (workflow/configs/thesis.yaml)
#   make compare  every inference method on held-out seeds (workflow/configs/compare.yaml), ~1 h
#   make shadows  unconnected trains correlated with inputs, joint against pairwise (~8 min)
#   make rates  every method at output rates of 1-20 Hz, on two neuron models (~30 min)
#   make recurrent  every method in a recurrent network, neighbours sharing input apart (~2 min)
#   make headline  the README's headline: every method, random protocol, held-out seeds (~5 min)
#   make report the HTML report (results/report.html): figures, tables, provenance
#   make docs   the documentation site (docs/ -> site/, mkdocs build --strict)
#   make bench  the engine against Brian2 (own environment .venv-bench), about 35 minutes
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORES ?= $(shell nproc 2>/dev/null || echo 2)
STAMP := $(VENV)/.installed
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: run test test-fast lint venv lock clean report help bench thesis compare imaging shadows rates recurrent headline docs

help:
	@sed -n 's/^#  //p' Makefile

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is needed (Snakemake 9)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)

# $(call sweeps,CONFIG,SWEEPS[,MORE]): the tables and summary figures of SWEEPS (and the
# targets MORE) by workflow/configs/CONFIG.yaml, then each table printed.
sweeps = $(BIN)/snakemake $(2:%=results/sweeps/%.csv) $(2:%=results/figures/sweeps/%/summary.png) \
	$(3) --configfile workflow/configs/$(1).yaml --cores $(CORES) && \
	for sweep in $(2); do $(BIN)/python -m voltage_to_wiring show_sweep results/sweeps/$$sweep.csv; done

# The thesis's table (Fiers 2024): 5 simulations x 4 noise levels.
thesis: $(STAMP)
	$(call sweeps,thesis,thesis_snr)

# Every inference method on held-out seeds: protocols x noise, every input tested, 60 s, the
# thesis's recurrent network (docs/inference.md's comparison).
compare: $(STAMP)
	$(call sweeps,compare,cmp_protocol cmp_all cmp_duration cmp_ei cmp_thesis_all,\
		results/evaluation/thesis_recurrent.json)

# The inference through a simulated microscope (docs/inference.md's "Through a microscope"):
# frame rate, kinetics, bleaching, SNR and recording length on held-out seeds.
imaging: $(STAMP)
	$(call sweeps,imaging,img_rate img_kinetics img_bleaching img_snr img_duration)

# Correlated neighbours (docs/inference.md's "Correlated neighbours"): shadows of true inputs
# tested beside them, on held-out seeds.
shadows: $(STAMP)
	$(call sweeps,shadows,shadows)

# Firing regimes (docs/inference.md's "Output rate"): the recorded neuron driven to 1-20 Hz,
# Izhikevich and AdEx, on held-out seeds.
rates: $(STAMP)
	$(call sweeps,rates,rate_izhikevich rate_adex)

# A recurrent network (docs/inference.md's "Recurrent network"): config.yaml's ei_network on
# held-out seeds, false positives among neurons sharing input apart.
recurrent: $(STAMP)
	$(call sweeps,recurrent,recurrent)

# The README's headline (docs/inference.md's "The headline"): the random protocol at no noise
# and SNR 10, every method, held-out seeds.
headline: $(STAMP)
	$(call sweeps,headline,headline)

# The documentation site (docs/, mkdocs.yml) into site/; --strict: any warning fails. The
# config reference of docs/config.md is written from the schema first.
docs: $(STAMP)
	$(BIN)/python workflow/scripts/config_reference.py --write
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The HTML report: every figure of the default run (small copies), the statistics, evaluation
# and sweep tables and the provenance. `make run` first; the report's own material (results/report/) only here.
report: run
	$(BIN)/snakemake report_contents --cores $(CORES)
	$(BIN)/snakemake report_contents --report results/report.html

# The linters first (a few seconds): CI runs `make test`, so style is checked there too.
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks workflow/scripts
	$(BIN)/ruff format --check src tests benchmarks workflow/scripts
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not workflow and not slow and not cluster"

# Brian2 needs numpy < 2.4, so it gets an environment of its own; the harness runs in .venv
# and starts Brian2 in subprocesses (benchmarks/brian2_run.py).
$(BENCH_STAMP): benchmarks/requirements-bench.lock
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r benchmarks/requirements-bench.lock
	touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench.py --brian2-python $(BENCH_VENV)/bin/python

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks workflow/scripts
	$(BIN)/ruff format --check src tests benchmarks workflow/scripts
	$(BIN)/snakemake --lint || echo "snakemake --lint: only the per-rule conda warning is expected (see docs/tests.md)"

lock: $(STAMP)
	( sed -n '1,2p' requirements.lock; $(BIN)/pip freeze --exclude-editable | grep -vi '^voltage' ) > requirements.lock.new
	mv requirements.lock.new requirements.lock

# Everything the pipeline made (results/README.md stays), and numba's on-disk caches of the
# kernels (src/voltage_to_wiring/__pycache__/numba-HASH/, one folder per version of the source).
clean:
	rm -rf results/params results/sims results/figures results/stats results/sweeps \
	       results/inference results/evaluation results/nwb results/provenance \
	       results/provenance.json \
	       results/provenance.md results/report results/report.html logs .snakemake site
	find src benchmarks -depth -type d -name 'numba-*' -exec rm -rf {} + \
	     -o -name '*.nbi' -delete -o -name '*.nbc' -delete
