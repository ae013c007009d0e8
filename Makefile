# chipwatch: every target installs what it needs into .venv/ first (quick when the venv is current).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export CHIPWATCH_HOME ?= $(CURDIR)/warehouse
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: install run test test-fast lint format test-spark build-spark lock dev docs dashboard screenshots bench clean
MANIFEST := dbt_project/target/manifest.json
DBT_FILES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip check --quiet >/dev/null || $(BIN)/python -m pip check
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP) ## create or update .venv from the lock file

# The Spark engine (dbt-spark + PySpark) lives in its own venv: the DuckDB install stays small. Needs Java 17.
SPARK_VENV := .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed
$(SPARK_STAMP): requirements-spark.lock
	@test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-spark.lock
	$(SPARK_VENV)/bin/python -m pip check --quiet >/dev/null || $(SPARK_VENV)/bin/python -m pip check
	@command -v java >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; } || \
		{ echo "Spark needs Java 17 (java not found)"; exit 1; }
	@touch $(SPARK_STAMP)

# dagster-dbt reads the dbt manifest when the definitions are built: parse whenever a dbt file changes.
$(MANIFEST): $(STAMP) $(DBT_FILES)
	cd dbt_project && ../$(BIN)/dbt parse --profiles-dir . --quiet
	@touch $(MANIFEST)

run: $(MANIFEST) ## build and publish the warehouse (CHIPWATCH_SOURCE=sample by default: offline)
	$(BIN)/chipwatch refresh

test: $(MANIFEST) ## the whole test suite, offline (live-path tests: ../shared/replay/server.py, else tests/standin_server.py)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1; } || \
		echo "make test: Chromium is not installed and could not be (needs root and apt-get): the dashboard's browser test will be skipped"
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: $(MANIFEST) ## the unit tier only (pure code, no warehouse build): a quick inner loop
	$(BIN)/python -m pytest -n 2 -m unit

LINT_PATHS := pipelines tests bench scripts
lint: $(STAMP) ## ruff lint and format check (rules in pyproject.toml [tool.ruff])
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

screenshots: $(MANIFEST) ## every dashboard page and the HTML report, on the replay warehouse, as PNGs in screenshots/
	CHIPWATCH_SCREENSHOTS=$(CURDIR)/screenshots $(BIN)/python -m pytest -q tests/test_dashboard.py \
		tests/test_claims.py::test_the_report_is_one_offline_file_with_every_claim_and_chart
	@echo "screenshots: $(CURDIR)/screenshots"

test-spark: $(MANIFEST) $(SPARK_STAMP) ## build the sample (and replay) warehouse on DuckDB and Spark; every mart must match
	CHIPWATCH_TEST_SPARK=1 CHIPWATCH_SPARK_DBT=$(CURDIR)/$(SPARK_VENV)/bin/dbt $(BIN)/python -m pytest tests/spark

build-spark: $(MANIFEST) $(SPARK_STAMP) ## run the dbt models on Spark over $(CHIPWATCH_HOME)'s Parquet (CHIPWATCH_SPARK_MASTER for a cluster)
	$(BIN)/python -m pipelines.lib.spark --dbt $(CURDIR)/$(SPARK_VENV)/bin/dbt

dev: $(MANIFEST) ## Dagster UI and daemon on 127.0.0.1
	@mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python scripts/dev.py

docs: $(MANIFEST) ## the static dbt docs site (every mart and column described) -> $(CHIPWATCH_HOME)/docs/static_index.html
	cd dbt_project && CHIPWATCH_BUILD_DB=$(CHIPWATCH_HOME)/build/chipwatch.duckdb ../$(BIN)/dbt docs generate --static \
		--profiles-dir . --quiet --target-path $(CHIPWATCH_HOME)/docs --vars '{"parquet_dir": "$(CHIPWATCH_HOME)/parquet/sample"}'
	@echo "docs: $(CHIPWATCH_HOME)/docs/static_index.html"

dashboard: $(MANIFEST) ## the dashboard on http://127.0.0.1:8501 (read-only, on the published warehouse)
	$(BIN)/streamlit run pipelines/dashboard/app.py --server.address 127.0.0.1 --server.port $${CHIPWATCH_DASHBOARD_PORT:-8501} \
		--server.headless true --browser.gatherUsageStats false

bench: $(MANIFEST) ## benchmarks at the small, medium and large scales -> bench_results/ (never part of make test)
	$(BIN)/python -m bench.suite --scales $${BENCH_SCALES:-small,medium,large} --repeat $${BENCH_REPEAT:-3}

lock: ## regenerate requirements.lock from pyproject.toml (needs network to PyPI)
	$(PYTHON) -m pip install --quiet uv==0.13.8
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock
	$(PYTHON) -m uv pip compile requirements-spark.in --python-version 3.11 --generate-hashes -o requirements-spark.lock

clean: ## remove runtime data (keeps .venv)
	rm -rf warehouse/raw warehouse/parquet warehouse/build warehouse/exports warehouse/docs warehouse/status warehouse/chipwatch.duckdb .dagster_home dbt_project/target dbt_project/logs
