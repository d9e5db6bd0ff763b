"""smtpprobe --shard K/N: N runs over the same input probe disjoint parts of
it that together are all of it, each address in the part its hash picks."""

import hashlib

import pytest

from programs import run_inprocess
from scripted_smtp import Farm

pytestmark = pytest.mark.timeout(60)

FAST = ["--connect-timeout", "1", "--read-timeout", "1", "--rate", "0",
        "--blocklist", "/dev/null"]


def documented_shard(address, count):
    """The man page's recipe, written out again: SHA-256 of the address as
    written in the output, its first 8 bytes big-endian, modulo N, plus one."""
    digest = hashlib.sha256(address.encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


@pytest.mark.parametrize("count", [1, 3, 7])
def test_shards_are_disjoint_complete_and_as_documented(count):
    with Farm() as farm:
        nobody = [farm.unused() for _ in range(60)]
        # The same addresses in other spellings and orders, with duplicates.
        lines = nobody + [f"::ffff:{address}" for address in reversed(nobody[:10])] + ["junk"]
        stdin = "".join(f"{line}\tmx\n" for line in lines).encode()
        parts = []
        for k in range(1, count + 1):
            result = run_inprocess("smtpprobe", ["-p", str(farm.port), *FAST,
                                                 "--shard", f"{k}/{count}"], stdin)
            assert result.status == 1  # the junk line, named in every shard
            part = [line.split(b"\t")[0].decode() for line in result.lines]
            assert all(documented_shard(address, count) == k for address in part)
            mine = [line for line in lines[:-1]
                    if documented_shard(line.removeprefix("::ffff:"), count) == k]
            assert (f"{len(part)} probed: 0 ok, 0 timeout, {len(part)} refused"
                    in result.errors[-1])
            duplicates, others = len(mine) - len(part), len(lines) - 1 - len(mine)
            assert (f"; {duplicates} duplicate{'s' * (duplicates != 1)}, 1 rejected, 0 skipped, "
                    f"{others} other shard{'s' * (others != 1)}; " in result.errors[-1])
            parts.append(part)
        every = [address for part in parts for address in part]
        assert sorted(every) == sorted(nobody)  # each address in exactly one shard
        if count > 1:
            assert all(parts)
