"""A real PostgreSQL server for the tests: initdb into a temp folder, started on 127.0.0.1.

Run as the ``postgres`` user when the tests run as root (initdb refuses root), else as the
current user. Two roles: ``postgres`` (superuser, trusted from 127.0.0.1, for setting up)
and ``reception`` (the clinic's own role: owns the databases, signs in with a password,
and is held to row-level security like every counter). With ``CI`` set, a server that cannot
start fails the run; without it, the PostgreSQL half of the suite is skipped.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pytest's main process starts the server and never connects to it
    import psycopg

OWNER = "reception"
OWNER_PASSWORD = "owner-secret-7"


def binaries() -> Path | None:
    """The newest server's bin folder from the machine's Debian packages, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def install() -> None:
    """Install the server from Debian's packages (CI on a new machine, as root)."""
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, bin_dir: Path, folder: Path | None = None, port: int | None = None
                 ) -> None:
        """A server to start in a new temp folder, or (``folder``, ``port``) one already
        running there (``details()`` of one started by another process)."""
        self.bin = bin_dir
        self.folder = folder or Path(tempfile.mkdtemp(prefix="reception-pg-",
                                                      dir=memory_folder()))
        self.data = self.folder / "data"
        self.port = port or free_port()
        self.as_postgres = os.geteuid() == 0
        self.superuser = "postgres" if self.as_postgres else os.environ.get("USER", "postgres")
        self._databases = 0
        self._kept: psycopg.Connection | None = None

    def details(self) -> dict:
        """What another process needs to use this server: ``Server.running(details)``."""
        return {"bin_dir": str(self.bin), "folder": str(self.folder), "port": self.port}

    @classmethod
    def running(cls, details: dict) -> Server:
        return cls(Path(details["bin_dir"]), Path(details["folder"]), details["port"])

    def run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, cwd="/")

    def start(self) -> Server:
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.superuser,
                 "--auth-local=trust", "--auth-host=md5", "-E", "UTF8",
                 "--locale=C.UTF-8", "--wal-segsize=1")
        hba = self.data / "pg_hba.conf"
        rules = (f"host all {self.superuser} 127.0.0.1/32 trust\n"
                 "host all all 127.0.0.1/32 md5\n")
        hba.write_text(rules + hba.read_text())
        self.resume()
        self.run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                 self.superuser, "-d", "postgres", "-c",
                 f"CREATE ROLE {OWNER} LOGIN CREATEDB PASSWORD '{OWNER_PASSWORD}'")
        return self

    def resume(self) -> None:
        """Start the server (again), on the same port and data."""
        # Small shared buffers: a test database is a few MB, and the server's touched
        # buffers count in the suite's memory (128 MB by default). Its folder is in memory
        # too (``memory_folder``): the write-ahead log is kept to a few segments of 1 MB
        # (it grew to 112 MB in a run; 32 MB were kept with the usual 16 MB segments), and holds
        # no more than a server that is never copied needs: each copy of a database
        # (``create_database``) makes a checkpoint anyway.
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200 -c shared_buffers=16MB "
                   # Passwords are checked, by MD5: SCRAM's 4,096 rounds took 4.7 ms of CPU
                   # per connection, and the tests connect thousands of times.
                   "-c password_encryption=md5 "
                   "-c wal_level=minimal -c max_wal_senders=0 "
                   "-c min_wal_size=8MB -c max_wal_size=16MB")
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                 str(self.folder / "server.log"), "-o", options, "-w", "start")

    def pause(self) -> None:
        """Stop the server, keeping its data (it went away; ``resume`` brings it back)."""
        if self._kept is not None:
            self._kept.close()
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        if self._kept is not None:
            self._kept.close()
        try:
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass  # already stopped
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def admin(self, dbname: str = "postgres") -> psycopg.Connection:
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=self.superuser,
                               dbname=dbname, autocommit=True)

    def url(self, dbname: str, *, user: str = OWNER, password: str | None = OWNER_PASSWORD
            ) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{dbname}"

    def _create_or_drop(self, statement: str) -> None:
        """On one kept connection (a new one per test was half the cost), made again after
        the server was paused."""
        import psycopg

        for attempt in (1, 2):
            if self._kept is None or self._kept.closed or self._kept.broken:
                self._kept = self.admin()
            try:
                self._kept.execute(statement)
                return
            except psycopg.OperationalError:
                if attempt == 2 or not self._kept.broken:  # a refusal, not a lost line
                    raise

    def create_database(self, *, template: str | None = None, name: str | None = None) -> str:
        """A new empty database owned by the clinic's role (a copy of ``template``: copied
        file by file, which for a database of a few MB is faster than through the WAL),
        named ``name`` or a name of its own."""
        self._databases += 1
        name = name or f"clinic_{os.getpid()}_{self._databases}"
        copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        self._create_or_drop(f"CREATE DATABASE {name} OWNER {OWNER}{copy}")
        return name

    def chain_database(self, template: str, branches: dict[str, str]) -> str:
        """A copy of ``template`` with these branches (code: name) beside its first."""
        name = self.create_database(template=template)
        with self.admin(name) as connection:
            for code, branch_name in branches.items():
                connection.execute("INSERT INTO branch (code, name, created_at) "
                                   "VALUES (%s, %s, now())", (code, branch_name))
        return name

    def drop_database(self, name: str) -> None:
        self._create_or_drop(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def memory_folder() -> str | None:
    """A throwaway server's data goes in memory where the machine has a tmpfs: it never has
    to outlive the run, and creating a database per test then costs no disk writes."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def start_server() -> Server | None:
    """The running server, or None when this machine has none (and CI is not set)."""
    bin_dir = binaries()
    if bin_dir is None and os.environ.get("CI"):
        install()
        bin_dir = binaries()
    if bin_dir is None:
        if os.environ.get("CI"):
            raise RuntimeError("PostgreSQL is not installed and could not be installed")
        return None
    try:
        return Server(bin_dir).start()
    except (subprocess.CalledProcessError, OSError) as error:
        if os.environ.get("CI"):
            raise RuntimeError(f"PostgreSQL did not start: {error}") from error
        return None
