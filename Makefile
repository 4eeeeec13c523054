# The two commands: `make run` and `make test`. Everything else is a helper for them.
.PHONY: run test setup lint translations bench

setup:
	@./scripts/setup.sh

run: setup
	.venv/bin/flask --app wsgi db upgrade heads
	.venv/bin/flask --app wsgi demo-data --if-empty
	.venv/bin/python -m portal.embedded

test: setup
	.venv/bin/python -m pytest -q $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .

# Re-extract messages after changing strings; then translate the new entries in the .po file.
translations: setup
	./scripts/i18n.sh

bench: setup
	.venv/bin/python bench/run_all.py
