"""The simplest asyncio client that does smtpprobe --ehlo's dialogue: for
each line ADDRESS<TAB>MXHOST... on stdin, connect to PORT, read the
greeting, send EHLO NAME and read the reply; if it offers STARTTLS, send
STARTTLS, read the reply, and on 220 shake hands with Python's ssl (TLS 1.0
and up, any cipher, any certificate, MXHOST as the server name) and send
EHLO again; then HELP and QUIT, reading each reply.  Prints ADDRESS, ok or
what failed, the TLS version and the SHA-256 of the server's certificate.
At most CONCURRENCY exchanges in flight, TIMEOUT for the connection, each
reply and the handshake.

    python -m bench.todayprobe PORT CONCURRENCY TIMEOUT NAME < lines
"""

import asyncio
import hashlib
import ssl
import sys
import warnings

from .simpleprobe import reply


def context():
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        tls.minimum_version = ssl.TLSVersion.TLSv1
    tls.set_ciphers("ALL:@SECLEVEL=0")
    return tls


async def exchange(address, mxhost, port, timeout, name, tls, slots):
    async with slots:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(address, port), timeout)
        except (OSError, asyncio.TimeoutError) as error:
            return f"{address}\t{type(error).__name__}\t\t\n"
        version = certificate = ""
        try:
            await reply(reader, timeout)
            writer.write(b"EHLO " + name + b"\r\n")
            offered = await reply(reader, timeout)
            if b"STARTTLS" in offered.upper():
                writer.write(b"STARTTLS\r\n")
                if (await reply(reader, timeout)).startswith(b"2"):
                    await asyncio.wait_for(writer.start_tls(
                        tls, server_hostname=mxhost or None), timeout)
                    ssl_object = writer.get_extra_info("ssl_object")
                    version = ssl_object.version()
                    certificate = hashlib.sha256(
                        ssl_object.getpeercert(binary_form=True)).hexdigest()
                    writer.write(b"EHLO " + name + b"\r\n")
                    await reply(reader, timeout)
            for command in (b"HELP\r\n", b"QUIT\r\n"):
                writer.write(command)
                await reply(reader, timeout)
            status = "ok"
        except (OSError, asyncio.TimeoutError, ssl.SSLError) as error:
            status = type(error).__name__
        writer.transport.abort()
        return f"{address}\t{status}\t{version}\t{certificate}\n"


async def main(port, concurrency, timeout, name):
    slots = asyncio.Semaphore(concurrency)
    tls = context()
    lines = [line.split("\t") for line in sys.stdin.read().splitlines() if line]
    tasks = [asyncio.ensure_future(exchange(fields[0], fields[1] if len(fields) > 1 else "",
                                            port, timeout, name, tls, slots))
             for fields in lines]
    for done in asyncio.as_completed(tasks):
        sys.stdout.write(await done)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]),
                     sys.argv[4].encode("ascii")))
