"""A private network for the world: a new network namespace in which only
the world's own ranges of 127.0.0.0/8 are local, one range has a route of
type `unreachable` (connect() fails with EHOSTUNREACH) and one has no route
at all (ENETUNREACH).

As root the process enters a new network namespace; as another user, a new
user namespace too (where the user is root), if the kernel allows it.  The
namespace lasts as long as a process is in it, so nothing outlives the run.
Another process can be taken into it (`join`), as `tools/demo --enter` does.
"""

import ctypes
import errno
import os
import shutil
import socket
import subprocess

from . import generate

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PROBE_PORT = 9  # any port: nothing is asked of it but how connect() fails
LEFT = []  # the network namespaces this process has left, oldest first


def how():
    """How this process came to its namespace, for people."""
    return "as root" if os.getuid() == 0 and not _in_user_namespace() else "in a user namespace"


def _in_user_namespace():
    with open("/proc/self/uid_map") as mapping:
        return mapping.read().split() != ["0", "0", "4294967295"]


class Unavailable(Exception):
    """No private network here; the message says why."""


def enter():
    """Move this process into a private network with the world's routes.

    A forked child tries first, so that a failure half-way (routes refused
    in a namespace already entered) leaves this process where it was.
    Must run before the process starts any thread (a new user namespace
    needs a single-threaded process).  Raises Unavailable.
    """
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reading)
        try:
            _enter()
            os._exit(0)
        except BaseException as error:
            os.write(writing, str(error).encode(errors="replace") or type(error).__name__.encode())
            os._exit(1)
    os.close(writing)
    with os.fdopen(reading, "rb") as said:
        why = said.read().decode(errors="replace")
    _, status = os.waitpid(child, 0)
    if status != 0:
        raise Unavailable(why)
    _enter()


def _enter():
    ip = isolate()
    for command in (
            "route del local 127.0.0.0/8 dev lo table local",
            f"route add local {generate.LOCAL_NET} dev lo table local",
            f"route add unreachable {generate.HOSTUNREACH_NET}"):
        done = subprocess.run([ip, *command.split()], capture_output=True, text=True)
        if done.returncode != 0:
            raise Unavailable(f"ip {command}: {done.stderr.strip()}")
    check()


def isolate():
    """Move this process into a new network namespace whose one interface
    is loopback, up: whatever address a program computes, nothing leaves
    the machine.  Must run before the process starts any thread (a new user
    namespace needs a single-threaded process).  Returns the path of ip(8).
    Raises Unavailable."""
    uid, gid = os.geteuid(), os.getegid()
    ip = shutil.which("ip") or next(
        (path for path in ("/usr/sbin/ip", "/sbin/ip", "/bin/ip") if os.path.exists(path)), None)
    if ip is None:
        raise Unavailable("cannot set up a network namespace: no ip(8) command")
    flags = CLONE_NEWNET if uid == 0 else CLONE_NEWUSER | CLONE_NEWNET
    libc = ctypes.CDLL(None, use_errno=True)
    before = os.readlink("/proc/self/ns/net")
    if libc.unshare(flags) != 0:
        raise Unavailable(f"cannot make a network namespace: {os.strerror(ctypes.get_errno())}")
    LEFT.append(before)
    if uid != 0:
        for path, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"),
                           ("gid_map", f"0 {gid} 1")):
            with open(f"/proc/self/{path}", "w") as out:
                out.write(text)
    done = subprocess.run([ip, "link", "set", "lo", "up"], capture_output=True, text=True)
    if done.returncode != 0:
        raise Unavailable(f"ip link set lo up: {done.stderr.strip()}")
    # Checked by looking, not by sending: the namespace must hold loopback alone.
    interfaces = sorted(name for _, name in socket.if_nameindex())
    if interfaces != ["lo"]:
        raise Unavailable(f"the new network namespace has interfaces {interfaces}, not just lo")
    return ip


def check():
    """Make sure connect() fails as the world needs it to, in each range."""
    expected = {
        f"127.{generate.LOCAL_OCTETS[0]}.0.1": errno.ECONNREFUSED,
        f"127.{generate.HOSTUNREACH_OCTETS[0]}.0.1": errno.EHOSTUNREACH,
        f"127.{generate.NETUNREACH_OCTETS[0]}.0.1": errno.ENETUNREACH,
    }
    for address, code in expected.items():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            try:
                sock.connect((address, PROBE_PORT))
                got = 0
            except OSError as error:
                got = error.errno
        if got != code:
            raise Unavailable(f"connect to {address} gave {errno.errorcode.get(got, got)}, "
                              f"not {errno.errorcode[code]}")


def join(pid):
    """Move this process into the network namespace of process `pid`, and
    into its user namespace first if it has one of its own (as a user who
    is not root made it).  Must run before the process starts any thread."""
    libc = ctypes.CDLL(None, use_errno=True)
    targets = [(kind, flag, os.open(f"/proc/{pid}/ns/{kind}", os.O_RDONLY))
               for kind, flag in (("user", CLONE_NEWUSER), ("net", CLONE_NEWNET))
               if os.readlink(f"/proc/{pid}/ns/{kind}") != os.readlink(f"/proc/self/ns/{kind}")]
    for kind, flag, descriptor in targets:
        if libc.setns(descriptor, flag) != 0:
            raise Unavailable(f"cannot enter the {kind} namespace of process {pid}: "
                              f"{os.strerror(ctypes.get_errno())}")
        os.close(descriptor)



def add_addresses(addresses):
    """Put IPv6 addresses on loopback, as today's world needs them, in a
    namespace of the world's own (never the machine's: see enter)."""
    if not addresses:
        return
    if not LEFT:
        raise Unavailable("IPv6 addresses go only on the loopback of a private network")
    ip = shutil.which("ip") or "/usr/sbin/ip"
    commands = "".join(f"address add {address}/128 dev lo nodad\n" for address in addresses)
    done = subprocess.run([ip, "-6", "-batch", "-"], input=commands, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise Unavailable(f"ip -6 address add: {done.stderr.strip()}")
