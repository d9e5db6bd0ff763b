"""Fixtures shared by the test files, and the network every test runs in.

The whole session runs in a network namespace of its own whose one
interface is loopback: smtpprobe and mxlookup connect to addresses they
compute, and a hostile or fuzzing test is exactly where such a computation
may go wrong, so no test may be able to reach any address but this
machine's own.  The namespace is entered before any test (and any thread)
starts; every process a test starts inherits it.

A session started in the background of a shell script begins with SIGINT
ignored, and every program a test starts would inherit that: the tests of
what Ctrl-C does give SIGINT its default action first.
"""

import signal

import pytest

import certificates
from scripted_smtp import Farm
from world import network


def pytest_configure(config):
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        network.isolate()
    except network.Unavailable as why:
        pytest.exit(f"the tests run only in a private network namespace, "
                    f"as root or where user namespaces are allowed: {why}", returncode=4)


@pytest.fixture
def farm():
    """Scripted SMTP servers on a block of loopback addresses, for one test."""
    with Farm() as farm:
        yield farm


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA of the test's own, and PEM files: ca.crt and leaves it signed."""
    directory = tmp_path_factory.mktemp("pki")
    ca = certificates.authority()
    ca.write(directory, "ca")
    return directory, ca
