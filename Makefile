# The two commands of the README:
#   make run    install, then run all three services on the embedded default with demo data
#   make test   install, then run every test (and the architecture rules)
# Tests use TEST_DATABASE_URL / TEST_BROKER_URL, defaulting to this machine's own PostgreSQL
# and RabbitMQ; set both empty to start them with testcontainers on a machine with Docker.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVICES := services/parts services/warranty services/complaints

export TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
export TEST_BROKER_URL ?= amqp://guest:guest@127.0.0.1:5672//
PYTEST_ARGS ?=

.PHONY: install run test lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-test.lock $(addsuffix /pyproject.toml,$(SERVICES))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e . $(addprefix -e ,$(SERVICES))
	touch $@

run: install
	$(BIN)/python -m tools.stack

test: install
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf var reports
