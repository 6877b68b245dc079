# Two commands on a fresh machine: `make play` and `make test`.
# The venv is rebuilt when pyproject.toml changes (the stamp file tracks it).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The tests also need the farm's extra (Ray Serve); `make play` stays without it.
TEST_STAMP := $(VENV)/.installed-test

.PHONY: play test demo bench soak party-soak clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

play: $(STAMP)
	$(PY) main.py $(ARGS)

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,farm]'
	@touch $(TEST_STAMP)

test: $(TEST_STAMP)
	$(PY) -m pytest -q $(ARGS)

demo: $(STAMP)
	$(PY) main.py demo --rounds 1 --screenshots out/ $(ARGS)

bench: $(STAMP)
	$(PY) bench/startup.py
	$(PY) bench/frame_time.py

# 200 kiosk rounds with both NST workers (about 20 minutes on 2 cores).
soak: $(STAMP)
	$(PY) bench/soak.py --rounds 200 --json-out out/soak.json

# 20 party demos in a row beside a busy loop per core (about an hour on 2 cores).
party-soak: $(STAMP)
	$(PY) bench/party_soak.py --parties 20 --json-out out/party_soak.json

clean:
	rm -rf $(VENV) out .pytest_cache
