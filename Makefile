# mxsurvey: `make demo` surveys a simulated internet, `make test` runs every test.
# `make demo-serve` leaves one running, `make demo-shell` enters it, `make demo-stop` ends it.
PREFIX ?= /usr/local
DESTDIR ?=
VENV ?= .venv
PYTHON := $(VENV)/bin/python
INSTALL_PYTHON ?= $(abspath $(PYTHON))
PROGRAMS := mxlookup smtpprobe mtaguess tally
PYTEST_ARGS ?=

.PHONY: all demo demo-small demo-serve demo-shell demo-stop test bench install uninstall clean

all: $(VENV)/.ready

$(VENV)/.ready: requirements.txt requirements-test.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

demo: all
	$(PYTHON) tools/demo $(DEMO_ARGS)

demo-small: all
	$(PYTHON) tools/demo --small $(DEMO_ARGS)

demo-serve: all
	$(PYTHON) tools/demo --serve $(DEMO_ARGS)

demo-shell:
	tools/demo --enter

demo-stop:
	tools/demo --stop

test: all
	tools/debian-packages gawk mawk nsd parallel iproute2 adns-tools nmap time openssh-server
	PATH="$(CURDIR)/bin:$$PATH" $(PYTHON) -m pytest $(PYTEST_ARGS) tests

bench: all
	tools/debian-packages gawk mawk nsd adns-tools nmap time iproute2
	$(PYTHON) -m bench $(BENCH_ARGS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/mxsurvey \
		$(DESTDIR)$(PREFIX)/share/mxsurvey $(DESTDIR)$(PREFIX)/share/man/man1
	for p in $(PROGRAMS); do \
		sed '1s|.*|#!$(INSTALL_PYTHON)|' bin/$$p > $(DESTDIR)$(PREFIX)/bin/$$p && \
		chmod 755 $(DESTDIR)$(PREFIX)/bin/$$p; done
	install -m 644 lib/mxsurvey/*.py $(DESTDIR)$(PREFIX)/lib/mxsurvey
	install -m 644 patterns.awk patterns-2026.awk $(DESTDIR)$(PREFIX)/share/mxsurvey
	install -m 644 $(PROGRAMS:%=man/%.1) $(DESTDIR)$(PREFIX)/share/man/man1

uninstall:
	rm -f $(PROGRAMS:%=$(DESTDIR)$(PREFIX)/bin/%) $(PROGRAMS:%=$(DESTDIR)$(PREFIX)/share/man/man1/%.1)
	rm -rf $(DESTDIR)$(PREFIX)/lib/mxsurvey $(DESTDIR)$(PREFIX)/share/mxsurvey

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build
