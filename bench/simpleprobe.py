"""The simplest asyncio SMTP client that does smtpprobe's exchange: for
each address on stdin, connect to PORT, read the greeting, send HELP, read
the reply, send QUIT, read the reply; print ADDRESS, ok or what failed,
and the bytes received (repr).  At most CONCURRENCY exchanges in flight,
TIMEOUT for the connection and for each reply.

    python -m bench.simpleprobe PORT CONCURRENCY TIMEOUT < addresses
"""

import asyncio
import sys


async def reply(reader, timeout):
    """The lines of one reply: up to the line whose code is followed by a space."""
    lines = []
    while True:
        line = await asyncio.wait_for(reader.readline(), timeout)
        lines.append(line)
        if not line or line[3:4] != b"-":
            return b"".join(lines)


async def exchange(address, port, timeout, slots):
    async with slots:
        received = []
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(address, port), timeout)
        except (OSError, asyncio.TimeoutError) as error:
            return f"{address}\t{type(error).__name__}\t\n"
        try:
            received.append(await reply(reader, timeout))
            for command in (b"HELP\r\n", b"QUIT\r\n"):
                writer.write(command)
                received.append(await reply(reader, timeout))
            status = "ok"
        except (OSError, asyncio.TimeoutError) as error:
            status = type(error).__name__
        writer.close()
        return f"{address}\t{status}\t{b''.join(received)!r}\n"


async def main(port, concurrency, timeout):
    slots = asyncio.Semaphore(concurrency)
    addresses = sys.stdin.read().split()
    tasks = [asyncio.ensure_future(exchange(address, port, timeout, slots))
             for address in addresses]
    for done in asyncio.as_completed(tasks):
        sys.stdout.write(await done)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
