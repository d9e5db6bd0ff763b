# mxsurvey: `make demo` surveys a simulated internet, `make test` runs every test.
# `make demo-serve` leaves one running, `make demo-shell` enters it, `make demo-stop` ends it;
# `make demo-today` and `make demo-serve-today` do the same with today's world.
PREFIX ?= /usr/local
DESTDIR ?=
PYTHON3 ?= python3
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PROGRAMS := mxlookup smtpprobe mtaguess tally
PYTEST_ARGS ?=
# make install: the programs' own virtual environment, with the run-time
# dependencies only, made where it stays (DESTDIR only while staging).
APP := $(PREFIX)/lib/mxsurvey
STAGED := $(DESTDIR)$(APP)
# What the install tests install with no network, besides requirements.txt.
OFFLINE := setuptools==84.2.1 pip==26.3 pipx==1.18.16

.PHONY: all demo demo-small demo-serve demo-today demo-serve-today demo-shell demo-stop test bench accuracy install uninstall clean

all: $(VENV)/.ready

$(VENV)/.ready: requirements.txt requirements-test.txt
	$(PYTHON3) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

build/wheels: requirements.txt pyproject.toml Makefile
	$(PYTHON3) -m pip download --quiet --disable-pip-version-check -d $@ -r requirements.txt $(OFFLINE)
	touch $@

demo: all
	$(PYTHON) tools/demo $(DEMO_ARGS)

demo-small: all
	$(PYTHON) tools/demo --small $(DEMO_ARGS)

demo-serve: all
	$(PYTHON) tools/demo --serve $(DEMO_ARGS)

# Today's world: STARTTLS and certificates, IPv6, surveyed with smtpprobe --ehlo.
demo-today: all
	$(PYTHON) tools/demo --today $(DEMO_ARGS)

demo-serve-today: all
	$(PYTHON) tools/demo --serve --today $(DEMO_ARGS)

demo-shell:
	tools/demo --enter

demo-stop:
	tools/demo --stop

# The real mail servers tests/test_real_mtas.py starts, fetched here: the
# tests run with no network.
build/mtas/.ready: tools/real-mtas
	tools/real-mtas build/mtas

test: all build/wheels build/mtas/.ready
	tools/debian-packages gawk mawk nsd parallel iproute2 adns-tools nmap time openssh-server man-db chromium tmux
	PATH="$(CURDIR)/bin:$$PATH" $(PYTHON) -m pytest $(PYTEST_ARGS) tests

bench: all
	tools/debian-packages gawk mawk nsd adns-tools nmap time iproute2
	$(PYTHON) -m bench $(BENCH_ARGS)

# patterns-2026.awk, with patterns.awk after it, and nmap's smtp rules on the
# real texts of tests/corpus: per product family, named right, unsure, wrong.
accuracy: all
	tools/debian-packages nmap
	$(PYTHON) tools/accuracy --require-none-wrong

install: uninstall
	$(PYTHON3) -m venv $(STAGED)/venv
	$(STAGED)/venv/bin/python -m pip install --quiet --disable-pip-version-check --no-compile .
	$(STAGED)/venv/bin/python -m pip uninstall --quiet --yes pip setuptools
	$(if $(DESTDIR),grep -rlF '$(STAGED)' $(STAGED)/venv | xargs -r sed -i 's|$(STAGED)|$(APP)|g')
	$(STAGED)/venv/bin/python -m compileall -q $(if $(DESTDIR),-s '$(DESTDIR)' -p /) $(STAGED)/venv/lib
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	for p in $(PROGRAMS); do ln -s ../lib/mxsurvey/venv/bin/$$p $(DESTDIR)$(PREFIX)/bin/$$p; done
	install -m 644 $(PROGRAMS:%=man/%.1) $(DESTDIR)$(PREFIX)/share/man/man1

# share/mxsurvey: where 0.1.0 installed the pattern lists.
uninstall:
	rm -f $(PROGRAMS:%=$(DESTDIR)$(PREFIX)/bin/%) $(PROGRAMS:%=$(DESTDIR)$(PREFIX)/share/man/man1/%.1)
	rm -rf $(STAGED) $(DESTDIR)$(PREFIX)/share/mxsurvey

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build lib/mxsurvey.egg-info
