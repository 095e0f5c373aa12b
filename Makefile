# tagbench: `make repro` rebuilds everything from the raw data, `make test` runs the tests.
VENV       := .venv
BIN        := $(abspath $(VENV))/bin
DVC        := $(BIN)/dvc
# Where the raw data's DVC remote lives; point it at your own storage with DVC_REMOTE=...
DVC_REMOTE ?= $(abspath ../shared/dvc-store)

# Stage commands call `python`: make it the venv's. Nothing in the pipeline uses the network.
export PATH := $(BIN):$(PATH)
export DVC_NO_ANALYTICS := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install remote pull repro test test-fast test-integration lint bench ci reproduce-lesson \
	plots compare tune noise drift compare-versions goemotions

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

# `dvc plots show` renders offline: Vega, Vega-Lite and Vega-Embed from the npm registry
# (versions pinned in package-lock.json), inlined into the template .dvc/config names.
plots/template.html: package-lock.json $(VENV)/.installed
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	$(BIN)/tagbench plots-template --out $@

install: $(VENV)/.installed plots/template.html

# The absolute remote URL goes in the git-ignored config.local: DVC 3.67 resolves a relative
# one wrongly when it reads the config of another git revision.
remote: install
	$(DVC) remote modify --local store url "$(DVC_REMOTE)"

# The raw data only: everything else is built by `dvc repro`. A file already pulled (newer
# than its .dvc pointer) is not asked for again: no DVC call at all when nothing is missing.
RAW := $(patsubst %.dvc,%,$(wildcard data/raw/*/*.dvc))
pull: install
	@missing=$$(for f in $(RAW); do [ "$$f" -nt "$$f.dvc" ] || echo "$$f.dvc"; done); \
	if [ -n "$$missing" ]; then \
	  $(DVC) remote modify --local store url "$(DVC_REMOTE)" && $(DVC) pull $$missing && \
	  touch $(RAW); \
	fi

repro: pull
	$(DVC) repro

# Every test but the integration ones, the smoke DAG included (about 3 minutes on 2 cores).
# CI runs them all in one session (one smoke DAG): make test TESTS="integration or not integration".
TESTS ?= not integration
test: pull
	$(BIN)/python -m pytest -m "$(TESTS)" --durations=15

# The inner loop: unit tests on small real data, no DVC runs, no full-data training (~11 s).
test-fast: pull
	$(BIN)/python -m pytest -m "not slow"

# DVC integration, GoEmotions through the whole DAG, the lesson's table on its full data.
test-integration: pull
	$(BIN)/python -m pytest -m integration --durations=10

# ruff; the GitHub Actions workflows through actionlint (with shellcheck on every `run:`
# script) and zizmor (offline audits, the auditor persona).
lint: install
	$(BIN)/ruff check .
	$(BIN)/actionlint -shellcheck=$(BIN)/shellcheck .github/workflows/*.yml
	$(BIN)/zizmor --offline --persona=auditor --no-progress .github/workflows

bench: pull
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/predict.py
	$(BIN)/python benchmarks/training.py
	$(BIN)/python benchmarks/serve.py

# Every plot (training curves, precision-recall, the tradeoff figures) as one offline page.
plots: install
	$(DVC) plots show -o dvc_plots
	@echo "open dvc_plots/index.html"

# Review a change: every baseline's test macro F1 against REV (default: the previous commit)
# with a 95% paired-bootstrap interval of the difference and a verdict against its noise,
# then the experiments of this commit with only the columns that differ. SEEDS=5: each
# changed baseline that a seed moves is replicated over 5 model seeds a side (DVC experiments,
# reused when they ran before; docs/comparing.md).
REV ?= HEAD~1
SEEDS ?=
compare: install
	$(BIN)/tagbench compare $(REV) workspace $(if $(SEEDS),--seeds $(SEEDS))
	$(DVC) exp show --md --only-changed --drop 'Created|State|Executor'

# The seed floor: every baseline (or BASELINES=[a,b], whose rows alone are replaced) retrained
# under 5 model seeds (MODEL_SEEDS=[1,...,10] for more) and 3 split seeds, one noise@ stage
# per baseline, as one DVC experiment in a temporary copy; kept in git as
# reports/noise_floor.json and .md, which `tagbench compare` reads. A hybrid's floor is its
# learned member's.
BASELINES ?= [$(shell $(BIN)/python -c "from tagbench.core.params import read_yaml; \
	print(','.join(read_yaml('params.yaml')['baselines']))")]
MODEL_SEEDS ?= [1,2,3,4,5]
noise: pull
	name=noise-$$(date +%Y%m%d-%H%M%S) && \
	$(DVC) exp run --temp -n $$name -S 'noise.seeds=$(MODEL_SEEDS)' -S 'noise.split_seeds=[1,2,3]' \
		-S 'noise.baselines=$(BASELINES)' noise && \
	$(BIN)/tagbench noise-floor $$name

# The float-path floor: every baseline rebuilt under other CPU float paths (tagbench/runs/float_drift.py),
# one DVC experiment of HEAD each, and compared with HEAD's committed run; kept in git as
# reports/float_drift.json and .md, which `tagbench compare` reads. Commit first.
drift: pull
	$(BIN)/tagbench float-drift

# The whole pipeline on another data version (default v2) as a DVC experiment in a temporary
# copy (5 minutes on 2 cores), kept as the git branch data-<version>-<date>, then
# reports/dataset_versions.md from it and the committed run.
VERSION ?= v2
compare-versions: pull
	name=data-$(VERSION)-$$(date +%Y%m%d-%H%M%S) && \
	$(DVC) exp run --temp -n $$name -S dataset.dir=data/raw/$(VERSION) && \
	$(DVC) exp branch $$name $$name && \
	$(BIN)/tagbench dataset-versions HEAD $$name

# The whole pipeline on GoEmotions (params.goemotions.yaml, its own split) as a DVC experiment
# in a temporary copy, kept as the git branch goemotions-<date>, then reports/goemotions.md:
# it against the published results (benchmarks/published/goemotions.yaml).
goemotions: pull
	name=goemotions-$$(date +%Y%m%d-%H%M%S) && \
	$(DVC) exp run --temp -n $$name $$($(BIN)/tagbench preset params.goemotions.yaml) && \
	$(DVC) exp branch $$name $$name && \
	$(BIN)/tagbench published-report $$name benchmarks/published/goemotions.yaml \
		--out reports/goemotions.md

# A small default grid (sweeps.yaml) for one baseline through DVC's experiment queue, ranked
# by val macro F1: make tune BASELINE=tfidf_svm [JOBS=2]. With JOBS workers at once, each
# experiment's training takes its share of the cores (params.yaml's threads: 0).
JOBS ?= 1
tune: install
	$(BIN)/tagbench tune $(BASELINE) --jobs $(JOBS)

# What CI runs: lint, tests, the dvc.lock check and the metrics diff.
ci:
	bash .ci/run

# The lesson's table on its own data (v0), as one DVC experiment; then the workspace goes back
# to the committed params, lock and metrics.
reproduce-lesson: pull
	git diff --quiet -- params.yaml dvc.lock metrics dvclive reports || \
		{ echo "error: commit or stash your changes to params.yaml, dvc.lock, metrics/, dvclive/, reports/ first"; exit 2; }
	$(DVC) exp run -n lesson-v0-$$(date +%Y%m%d-%H%M%S) $$($(BIN)/tagbench preset params.lesson.yaml)
	$(BIN)/tagbench lesson-report
	git checkout -- params.yaml dvc.lock metrics dvclive reports/tradeoffs.md reports/*.png
	$(DVC) checkout --allow-missing
