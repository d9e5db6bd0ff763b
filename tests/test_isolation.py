"""The test session's network: loopback alone, in a namespace of its own."""

import os
import socket
import subprocess

from world import network


def test_the_session_has_no_interface_but_loopback():
    assert [name for _, name in socket.if_nameindex()] == ["lo"]


def test_the_session_is_not_in_the_machines_network_namespace():
    assert network.LEFT and os.readlink("/proc/self/ns/net") not in network.LEFT


def test_processes_the_tests_start_share_the_namespace():
    done = subprocess.run(["readlink", "/proc/self/ns/net"], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == os.readlink("/proc/self/ns/net")


def test_no_route_leads_off_the_machine():
    # Asked of the kernel's routing table, without sending anything anywhere.
    done = subprocess.run(["ip", "route", "show", "table", "all"], capture_output=True,
                          text=True, check=True)
    routes = [line for line in done.stdout.splitlines()
              if not line.startswith(("local ", "broadcast ", "multicast ", "anycast "))
              and " dev lo " not in f" {line} "]
    assert routes == []
