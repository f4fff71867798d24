# The two commands of the README:
#   make run    install, then run the console and the three services on the embedded default with demo data
#   make test   install (Chromium too, for the browser tests), then run every test and the architecture rules
# Tests use TEST_DATABASE_URL / TEST_BROKER_URL, defaulting to this machine's own PostgreSQL
# and RabbitMQ; set both empty to start them with testcontainers on a machine with Docker.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVICES := services/parts services/warranty services/complaints services/console
# The console's message catalogs, compiled by the install step (the .po files are the source).
CATALOGS := $(patsubst %.po,%.mo,$(wildcard services/console/console/translations/*/LC_MESSAGES/messages.po))

export TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
export TEST_BROKER_URL ?= amqp://guest:guest@127.0.0.1:5672//
PYTEST_ARGS ?=
# Tests run side by side in this many processes (pytest-xdist; 0 runs them all in one), handed
# out in the order shared/testing.py sets, the screen tests of one kind to one process. The suite
# is bound by CPU (its stacks and browsers are processes of their own): about 9–10 min on 2
# cores (README, "Side by side").
TEST_WORKERS ?= 3

.PHONY: install browser run test lint clean

install: $(VENV)/.installed $(CATALOGS)

$(VENV)/.installed: pyproject.toml requirements-test.lock $(addsuffix /pyproject.toml,$(SERVICES))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e . $(addprefix -e ,$(SERVICES))
	touch $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

run: install
	$(BIN)/python -m tools.stack

browser:
	tools/install_browser.sh

test: install browser
	$(BIN)/lint-imports
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)

clean:
	rm -rf var reports
