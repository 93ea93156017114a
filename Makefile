# ketnoi — the README's commands. Needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
KETNOI := $(BIN)/ketnoi
PO     := $(wildcard locale/*/LC_MESSAGES/django.po)
MO     := $(PO:.po=.mo)

.PHONY: run test setup messages makemessages bench lint clean

## make run: set up, migrate the SQLite database in var/, load the demo when empty, serve on :8000
run: setup
	@$(KETNOI) migrate --no-input -v 0
	@$(KETNOI) collectstatic --no-input -v 0
	@$(KETNOI) demo --if-empty
	@$(KETNOI) serve

## make test: set up and run the whole suite (browser tests need /usr/bin/chromium,
## PostgreSQL tests need DATABASE_URL=postgres://...)
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed $(MO)

$(VENV)/.installed: pyproject.toml
	@echo "→ Tạo môi trường Python / creating .venv"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet --progress-bar on -e '.[test]'
	@touch $@

# Compiled translations come from the .po files with Babel (pure Python: no gettext needed).
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	@$(BIN)/pybabel compile -d locale -D django -l $* 2>&1 | grep -v "^compiling" || true

## make makemessages: refresh the .po files from the code (needs GNU gettext: apt-get install gettext)
makemessages: setup
	$(KETNOI) makemessages -l vi -l en --no-location --no-obsolete --ignore='.venv/*' --ignore='var/*'

bench: setup
	@for script in bench/*.py; do [ -e "$$script" ] && $(BIN)/python "$$script"; done; true

clean:
	rm -rf $(VENV) var/static .pytest_cache
