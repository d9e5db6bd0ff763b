"""Real mail servers, started on 127.0.0.1 for a test and stopped after it.

`tools/real-mtas build/mtas` unpacks Debian's MTA packages side by side
under build/mtas/PACKAGE (never installed: they conflict with each other)
and Haraka under build/mtas/haraka.  Each recipe here runs one of them from
there, as root, with a configuration directory and a spool of its own in a
temporary directory, STARTTLS on with the certificate the test made, and
says which EHLO keywords that configuration makes the server offer, so that
a test compares what smtpprobe records with what the server was told to do.

A server is a process group of its own: stopping it ends every process it
started.  Its home is a directory of /tmp that every user may enter (the
servers drop root to users of their own), removed when it stops; the
certificate and its key are copied there, readable by those users.
"""

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from programs import CHECKOUT

BUILD = CHECKOUT / "build" / "mtas"
SETUP = "tools/real-mtas build/mtas (make build/mtas/.ready)"


class Absent(Exception):
    """The server's files are not there: the setup step has not run."""


class Recipe:
    """How to run one server: `files` must exist; `prepare` writes its
    configuration under `home` and returns its command line."""

    name = ""
    files = ()
    environment = {}

    def __init__(self, port, mxhost, cert, key):
        self.port, self.mxhost, self.cert, self.key = port, mxhost, cert, key
        self.home = None

    def check(self):
        for path in self.files:
            if not Path(path).exists():
                raise Absent(f"{self.name}: {path} is missing; run {SETUP}")

    def prepare(self):
        raise NotImplementedError

    # What the configuration implies: the keywords of the reply to EHLO in
    # clear (STARTTLS among them) and the SIZE it announces.
    offers = frozenset()
    size = None
    # Whether it fails every TLS handshake after its 220 to STARTTLS.
    handshake_fails = False

    def offers_in_tls(self):
        """The keywords of the reply to EHLO inside TLS: the same, less
        STARTTLS (RFC 3207)."""
        return self.offers - {"STARTTLS"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port):
    """Whether a socket listens on 127.0.0.1:PORT (no connection made: a
    server's first session is the test's)."""
    wanted = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as table:
        return any(line.split()[1] == wanted and line.split()[3] == "0A"
                   for line in table.readlines()[1:])


class Running:
    """A started server: its recipe, port and process; a context manager
    that stops it."""

    def __init__(self, recipe, start_timeout=30):
        self.recipe = recipe
        self.port = recipe.port
        recipe.check()
        recipe.home = Path(tempfile.mkdtemp(prefix=f"mxsurvey-{recipe.name}-"))
        recipe.home.chmod(0o755)
        for name in ("cert", "key"):
            copy = recipe.home / f"mx.{name}"
            shutil.copyfile(getattr(recipe, name), copy)
            # The key of a test, readable by the group Exim drops to; OpenSMTPD
            # refuses a key others may read.
            os.chown(copy, 0, gid("nogroup"))
            copy.chmod(0o644 if name == "cert" else 0o640)
            setattr(recipe, name, copy)
        argv = recipe.prepare()
        self.log = open(recipe.home / "server.log", "wb")
        self.process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            cwd=recipe.home, env={**os.environ, **recipe.environment}, start_new_session=True)
        deadline = time.monotonic() + start_timeout
        while not listening(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{recipe.name} did not start:\n{self.output_at_stop}")
            time.sleep(0.1)

    def output(self):
        return (self.recipe.home / "server.log").read_text(errors="replace")

    def stop(self):
        """End the server and every process of its group, whatever they do."""
        group = self.process.pid
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and group_alive(group):
                self.process.poll()
                time.sleep(0.1)
        self.process.wait(5)
        self.log.close()
        self.output_at_stop = self.output()
        shutil.rmtree(self.recipe.home)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def group_alive(group):
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return any(process_group(pid) == group for pid in os.listdir("/proc") if pid.isdigit())


def process_group(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else int(fields[2])


# The recipes -------------------------------------------------------------------

class Postfix(Recipe):
    """Postfix's master in the foreground (`master -d`) with a main.cf and
    a master.cf of our own: smtpd and the services it asks during a session.
    The unpacked libraries come before the /usr/lib/postfix of its RUNPATH.
    Its users are the base system's: nobody runs the services, group mail
    is the set-gid group (Postfix wants the two to differ)."""

    name = "Postfix"
    root = BUILD / "postfix"
    daemons = root / "usr/lib/postfix/sbin"
    files = (daemons / "master", daemons / "smtpd")
    environment = {"LD_LIBRARY_PATH": str(root / "usr/lib/postfix")}
    size = 12345678
    offers = frozenset({"PIPELINING", "SIZE", "VRFY", "ETRN", "STARTTLS", "ENHANCEDSTATUSCODES",
                        "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"})

    def prepare(self):
        conf, queue, data = (self.home / part for part in ("conf", "queue", "data"))
        for directory in (conf, queue / "pid", queue / "private", queue / "public", data):
            directory.mkdir(parents=True)
        for directory in (queue / "private", queue / "public", data):
            os.chown(directory, uid("nobody"), -1)
        (conf / "main.cf").write_text(f"""\
compatibility_level = 3.6
myhostname = {self.mxhost}
mydestination =
queue_directory = {queue}
data_directory = {data}
command_directory = {self.root}/usr/sbin
daemon_directory = {self.daemons}
meta_directory = {self.root}/etc/postfix
shlib_directory = {self.root}/usr/lib/postfix
mail_owner = nobody
setgid_group = mail
default_privs = daemon
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
maillog_file = /dev/stdout
message_size_limit = {self.size}
smtpd_tls_security_level = may
smtpd_tls_cert_file = {self.cert}
smtpd_tls_key_file = {self.key}
""")
        (conf / "master.cf").write_text(f"""\
127.0.0.1:{self.port} inet n - n - - smtpd
proxymap unix - - n - - proxymap
rewrite unix - - n - - trivial-rewrite
anvil unix - - n - 1 anvil
tlsmgr unix - - n 1000? 1 tlsmgr
cleanup unix n - n - 0 cleanup
postlog unix-dgram n - n - 1 postlogd
""")
        return [str(self.daemons / "master"), "-c", str(conf), "-d"]


class Exim(Recipe):
    """Exim 4 as a daemon in the foreground (`-bdf`) with a configuration of
    our own (`-C`): each keyword of its reply to EHLO is an option set here.
    It logs and spools as nobody:nogroup; every recipient is refused."""

    name = "Exim"
    binary = BUILD / "exim4-daemon-light/usr/sbin/exim4"
    files = (binary,)
    size = 7654321
    offers = frozenset({"SIZE", "8BITMIME", "DSN", "PIPELINING", "PIPECONNECT", "CHUNKING",
                        "STARTTLS", "PRDR", "SMTPUTF8", "HELP"})

    def prepare(self):
        spool, log = self.home / "spool", self.home / "log"
        for directory in (spool, log):
            directory.mkdir()
            os.chown(directory, uid("nobody"), gid("nogroup"))
        config = self.home / "exim.conf"
        config.write_text(f"""\
primary_hostname = {self.mxhost}
spool_directory = {spool}
log_file_path = {log}/%slog
exim_user = nobody
exim_group = nogroup
never_users = root
local_interfaces = 127.0.0.1
daemon_smtp_ports = {self.port}
message_size_limit = {self.size}
accept_8bitmime = true
dsn_advertise_hosts = *
pipelining_advertise_hosts = *
pipelining_connect_advertise_hosts = *
chunking_advertise_hosts = *
prdr_enable = true
smtputf8_advertise_hosts = *
tls_advertise_hosts = *
tls_certificate = {self.cert}
tls_privatekey = {self.key}
acl_smtp_rcpt = refuse
begin acl
refuse:
  deny
""")
        return [str(self.binary), "-C", str(config), "-bdf"]


class OpenSMTPD(Recipe):
    """OpenSMTPD in the foreground (`smtpd -d`).  Its spool (/var/spool/smtpd),
    control socket (/run) and chroot (/var/lib/opensmtpd/empty) are
    compiled in, and so are its users opensmtpd and opensmtpq: it runs in a
    mount namespace of its own where /var/spool, /run and /var/lib are
    directories of the test's, and /etc/passwd and /etc/group copies that
    hold its users when the system has none."""

    name = "OpenSMTPD"
    binary = BUILD / "opensmtpd/usr/sbin/smtpd"
    files = (binary,)
    size = 20 * 1024 * 1024
    offers = frozenset({"8BITMIME", "ENHANCEDSTATUSCODES", "SIZE", "DSN", "STARTTLS", "HELP"})
    # 6.8.0p2 built with OpenSSL 3: "SSL routines::EVP lib" on every
    # handshake, an internal_error alert to the client.
    handshake_fails = True

    def prepare(self):
        mounts = {}
        for place in ("/var/spool", "/run", "/var/lib"):
            mounts[place] = self.home / place.strip("/").replace("/", "-")
            mounts[place].mkdir()
        (mounts["/var/lib"] / "opensmtpd/empty").mkdir(parents=True)
        passwd = Path("/etc/passwd").read_text()
        group = Path("/etc/group").read_text()
        for number, user in enumerate(("opensmtpd", "opensmtpq"), 60990):
            if f"\n{user}:" not in f"\n{passwd}":
                passwd += f"{user}:x:{number}:{number}::/var/lib/opensmtpd/empty:/usr/sbin/nologin\n"
                group += f"{user}:x:{number}:\n"
        for name, text in (("passwd", passwd), ("group", group)):
            (self.home / name).write_text(text)
            mounts[f"/etc/{name}"] = self.home / name
        config = self.home / "smtpd.conf"
        config.write_text(f"""\
pki {self.mxhost} cert "{self.cert}"
pki {self.mxhost} key "{self.key}"
smtp max-message-size {self.size}
listen on 127.0.0.1 port {self.port} tls pki {self.mxhost} hostname {self.mxhost}
action "local" mbox
match from local for local action "local"
""")
        binds = " && ".join(f"mount --bind {source} {place}" for place, source in mounts.items())
        return ["unshare", "--mount", "sh", "-c",
                f"{binds} && exec {self.binary} -d -f {config}"]


class Sendmail(Recipe):
    """sendmail as a daemon in the foreground (`-bD`) with a sendmail.cf
    made here by m4 from Debian's sendmail-cf and a sendmail.mc of our own
    (STARTTLS with the test's certificate; EXPN and VERB off by privacy
    flags; AUTH off on the daemon, M=A; no help file, so HELP is answered
    "not implemented").  In a UTS namespace of its own the host name is
    fully qualified: otherwise sendmail waits 60 s for a name.  Its files
    are in /tmp, whose sticky bit it must be told to trust, and the key is
    group-readable: both are DontBlameSendmail options."""

    name = "Sendmail"
    binary = BUILD / "sendmail-bin/usr/libexec/sendmail/sendmail"
    cf = BUILD / "sendmail-cf/usr/share/sendmail/cf"
    files = (binary, cf / "m4/cf.m4")
    size = 4567890
    offers = frozenset({"ENHANCEDSTATUSCODES", "PIPELINING", "8BITMIME", "SIZE", "DSN", "ETRN",
                        "STARTTLS", "DELIVERBY", "HELP"})

    def prepare(self):
        queue = self.home / "queue"
        queue.mkdir(mode=0o700)
        mc = f"""\
include(`{self.cf}/m4/cf.m4')dnl
OSTYPE(`linux')dnl
define(`confDOMAIN_NAME', `{self.mxhost}')dnl
define(`confDONT_PROBE_INTERFACES', `True')dnl
define(`confMAX_MESSAGE_SIZE', `{self.size}')dnl
define(`confPRIVACY_FLAGS', `noexpn,noverb')dnl
define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit,GroupReadableKeyFile')dnl
define(`QUEUE_DIR', `{queue}')dnl
define(`STATUS_FILE', `{self.home}/statistics')dnl
define(`confPID_FILE', `{self.home}/sendmail.pid')dnl
define(`ALIAS_FILE', `')dnl
define(`confHELP_FILE', `{self.home}/no-helpfile')dnl
define(`confSERVER_CERT', `{self.cert}')dnl
define(`confSERVER_KEY', `{self.key}')dnl
define(`confCACERT', `{self.cert}')dnl
define(`confCACERT_PATH', `{self.home}')dnl
DAEMON_OPTIONS(`Port={self.port}, Addr=127.0.0.1, Name=MTA, M=A')dnl
FEATURE(`no_default_msa')dnl
MAILER(`smtp')dnl
"""
        (self.home / "sendmail.mc").write_text(mc)
        config = self.home / "sendmail.cf"
        config.write_bytes(subprocess.run(["m4", "sendmail.mc"], cwd=self.home,
                                          capture_output=True, check=True).stdout)
        return ["unshare", "--uts", "sh", "-c",
                f"hostname {self.mxhost} && exec {self.binary} -C {config} -bD"]


class Chasquid(Recipe):
    """chasquid with a configuration directory of ours: the certificate in
    certs/MXHOST, one domain, and every listening address (SMTP, submission,
    submission over TLS) given on loopback, not taken from systemd; its mail
    log on stderr."""

    name = "chasquid"
    binary = BUILD / "chasquid/usr/bin/chasquid"
    files = (binary,)
    size = 7 * 1024 * 1024
    offers = frozenset({"8BITMIME", "PIPELINING", "SMTPUTF8", "ENHANCEDSTATUSCODES", "SIZE",
                        "STARTTLS", "HELP"})

    def offers_in_tls(self):
        # Its AUTH, offered only inside TLS.
        return super().offers_in_tls() | {"AUTH=PLAIN"}

    def prepare(self):
        conf = self.home / "conf"
        certs = conf / "certs" / self.mxhost
        certs.mkdir(parents=True)
        (conf / "domains" / "example.org").mkdir(parents=True)
        shutil.copyfile(self.cert, certs / "fullchain.pem")
        shutil.copyfile(self.key, certs / "privkey.pem")
        (conf / "chasquid.conf").write_text(f"""\
hostname: "{self.mxhost}"
max_data_size_mb: {self.size // 1024 // 1024}
smtp_address: "127.0.0.1:{self.port}"
submission_address: "127.0.0.1:{free_port()}"
submission_over_tls_address: "127.0.0.1:{free_port()}"
monitoring_address: ""
data_dir: "{self.home}/data"
mail_log_path: "<stderr>"
""")
        return [str(self.binary), "-config_dir", str(conf), "-alsologtostderr"]


class Haraka(Recipe):
    """Haraka from npm: `haraka -i` makes its directory, then config/ gets
    our listen address, host name (me), SIZE (connection.ini) and only the
    tls plugin, with the certificate and a dhparams.pem made here (without
    one, the plugin starts an `openssl dhparam` at every start)."""

    name = "Haraka"
    binary = BUILD / "haraka/node_modules/.bin/haraka"
    files = (binary,)
    size = 5678901
    offers = frozenset({"PIPELINING", "8BITMIME", "SMTPUTF8", "SIZE", "STARTTLS"})

    def prepare(self):
        directory = self.home / "haraka"
        subprocess.run([self.binary, "-i", directory], check=True, capture_output=True)
        config = directory / "config"
        (config / "plugins").write_text("tls\n")
        (config / "smtp.ini").write_text(f"[main]\nlisten=127.0.0.1:{self.port}\n")
        (config / "me").write_text(f"{self.mxhost}\n")
        limits = config / "connection.ini"  # its [max] bytes; the rest as made
        limits.write_text(re.sub(r"(?m)^bytes=.*$", f"bytes={self.size}", limits.read_text()))
        shutil.copyfile(self.cert, config / "tls_cert.pem")
        shutil.copyfile(self.key, config / "tls_key.pem")
        subprocess.run(["openssl", "dhparam", "-dsaparam", "-out", config / "dhparams.pem",
                        "2048"], check=True, capture_output=True)
        return [str(self.binary), "-c", str(directory)]


class Aiosmtpd(Recipe):
    """aiosmtpd's own server (`python -m aiosmtpd`) from the test's virtual
    environment, with STARTTLS, SMTPUTF8 and a SIZE of ours."""

    name = "aiosmtpd"
    size = 3456789
    offers = frozenset({"SIZE", "SMTPUTF8", "8BITMIME", "STARTTLS", "HELP"})

    def offers_in_tls(self):
        # Its AUTH mechanisms, offered only inside TLS (auth_require_tls).
        return super().offers_in_tls() | {"AUTH=LOGIN", "AUTH=PLAIN"}

    def check(self):
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            raise Absent("aiosmtpd: not in this Python; make all installs it")

    def prepare(self):
        return [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}",
                "-s", str(self.size), "-u", "--tlscert", str(self.cert), "--tlskey", str(self.key)]


class Courier(Recipe):
    """Courier's ESMTP server as its esmtpd script starts it, in the
    foreground: couriertcpd (no -pid) on 127.0.0.1, running courieresmtpd
    for each connection as the courier user, its settings in the
    environment (no DNS checks of the client, no tarpit; AUTH PLAIN LOGIN
    offered only inside TLS).  Its configuration (/etc/courier) and
    programs (/usr/lib/courier) are compiled in: it runs in a mount
    namespace of its own where they, /var/spool, /run/courier and
    /var/lib/courier are directories of the test's, made from the unpacked
    courier-base and courier-mta, with `me` naming MXHOST and esmtpd.pem
    holding the test's key and certificate, as Courier wants them, in one
    file that only its user may read."""

    name = "Courier"
    base, mta = BUILD / "courier-base", BUILD / "courier-mta"
    tcpd = base / "usr/sbin/couriertcpd"
    tls = base / "usr/bin/couriertls"
    esmtpd = Path("/usr/lib/courier/courier/modules/esmtp/courieresmtpd")  # once mounted
    files = (tcpd, tls, mta / "usr/lib/courier" / esmtpd.relative_to("/usr/lib/courier"),
             Path("/etc/courier"), Path("/usr/lib/courier"), Path("/run/courier"),
             Path("/var/lib/courier"))
    # Courier announces SIZE without a number (RFC 1870 allows it), whatever
    # its sizelimit file says.
    size = None
    offers = frozenset({"STARTTLS", "XVERP", "XEXDATA", "XSECURITY", "PIPELINING", "8BITMIME",
                        "SMTPUTF8", "SIZE", "DSN"})

    def offers_in_tls(self):
        # ESMTPAUTH_TLS: AUTH only inside TLS.
        return super().offers_in_tls() | {"AUTH=LOGIN", "AUTH=PLAIN"}

    def prepare(self):
        mounts = {place: self.home / place.strip("/").replace("/", "-")
                  for place in ("/etc/courier", "/usr/lib/courier", "/var/spool", "/run/courier",
                                "/var/lib/courier")}
        for package in (self.mta, self.base):
            for place in ("/etc/courier", "/usr/lib/courier"):
                shutil.copytree(package / place.strip("/"), mounts[place], symlinks=True,
                                dirs_exist_ok=True)
        for place in ("/var/spool", "/run/courier", "/var/lib/courier"):
            mounts[place].mkdir(exist_ok=True)
        (mounts["/var/spool"] / "courier").mkdir()
        etc = mounts["/etc/courier"]
        (etc / "me").write_text(f"{self.mxhost}\n")
        pem = etc / "esmtpd.pem"
        pem.write_bytes(Path(self.key).read_bytes() + Path(self.cert).read_bytes())
        user = "courier" if _exists(pwd.getpwnam, "courier") else "nobody"
        group = "courier" if _exists(grp.getgrnam, "courier") else "nogroup"
        os.chown(pem, uid(user), gid(group))
        pem.chmod(0o600)
        subprocess.run(["openssl", "dhparam", "-dsaparam", "-out", etc / "dhparams.pem", "2048"],
                       check=True, capture_output=True)
        settings = {
            "PATH": "/usr/bin:/bin", "COURIERTLS": str(self.tls),
            "TLS_CERTFILE": "/etc/courier/esmtpd.pem",
            "TLS_DHPARAMS": "/etc/courier/dhparams.pem",
            "TLS_VERIFYPEER": "NONE", "BOFHCHECKDNS": "0", "TARPIT": "0", "ESMTPAUTH": "",
            "ESMTPAUTH_TLS": "PLAIN LOGIN"}
        binds = " && ".join(f"mount --bind {source} {place}" for place, source in mounts.items())
        command = " ".join([
            "env -i", *(f"{name}='{value}'" for name, value in settings.items()),
            str(self.tcpd), "-noidentlookup", "-nodnslookup", "-address=127.0.0.1",
            f"-user={user}", f"-group={group}", str(self.port), str(self.esmtpd)])
        return ["unshare", "--mount", "sh", "-c", f"{binds} && exec {command}"]


def _exists(lookup, name):
    try:
        lookup(name)
    except KeyError:
        return False
    return True


def uid(user):
    return pwd.getpwnam(user).pw_uid


def gid(group):
    return grp.getgrnam(group).gr_gid


RECIPES = [Postfix, Exim, OpenSMTPD, Sendmail, Chasquid, Haraka, Aiosmtpd, Courier]
