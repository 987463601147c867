"""A throwaway PostgreSQL server for tests and benchmarks: Debian's `postgresql` binaries, a new
cluster in a temporary folder, listening on a unix socket only, started and stopped by the
caller. PostgreSQL refuses to run as root; as root the cluster belongs to the `postgres` account.

    server = PostgresServer(); server.start()
    url = server.create_database("course")   # postgresql+psycopg://...
    server.use_for(course_root)              # the course's gradebook moved there
    server.stop()
"""
from __future__ import annotations

import gc
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from nbgrader.api import Base
from sqlalchemy import create_engine, text

USER = "grader"


def server_binaries() -> Path | None:
    """The newest Debian PostgreSQL server's bin folder, if one is installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    def __init__(self, port: int = 5433):
        self.bin = server_binaries()
        if self.bin is None:
            raise RuntimeError("no PostgreSQL server installed (Debian: apt-get install postgresql)")
        self.folder = Path(tempfile.mkdtemp(prefix="autograder-pg-"))
        self.data = self.folder / "data"
        self.port = port
        self.databases = 0
        self.owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        if self.owner:
            os.chown(self.folder, self.owner.pw_uid, self.owner.pw_gid)
        os.chmod(self.folder, 0o755)  # the socket is reachable by the grader's processes

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.owner:
            command = ["runuser", "-u", "postgres", "--", *command]
        run = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if run.returncode != 0:
            log = self.folder / "server.log"
            raise RuntimeError(f"{args[0]} failed ({run.returncode}): {run.stderr.strip()[-2000:]}\n"
                               + (log.read_text()[-2000:] if log.is_file() else ""))

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "--encoding=UTF8", "--no-sync")
        options = f"-k {self.folder} -c listen_addresses= -p {self.port} -c fsync=on -c max_connections=100"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")

    def stop(self) -> None:
        # A connection its user left open is closed by the garbage collector, whenever that runs;
        # collect now, so its ResourceWarning lands in whatever stops the server (a test's
        # teardown), not in a later, unrelated test.
        gc.collect()
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@/{database}?host={self.folder}&port={self.port}"

    def create_database(self, name: str) -> str:
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def use_for(self, root: Path, database: str | None = None) -> str:
        """Move a course's SQLite gradebook into a new database of this server and point the
        course's nbgrader_config.py at it (CourseDirectory.db_url)."""
        self.databases += 1
        url = self.create_database(database or f"course_{self.databases}")
        copy_gradebook(f"sqlite:///{root / 'gradebook.db'}", url)
        with open(root / "nbgrader_config.py", "a") as config:
            config.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
        (root / "gradebook.db").unlink()
        return url


def copy_gradebook(source: str, target: str) -> None:
    """Every row of one nbgrader gradebook into another, empty database: nbgrader's tables, and
    the schema version nbgrader's migrations read (alembic_version)."""
    src, dst = create_engine(source), create_engine(target)
    Base.metadata.create_all(dst)
    with src.connect() as reading, dst.begin() as writing:
        for table in Base.metadata.sorted_tables:
            rows = [dict(row._mapping) for row in reading.execute(table.select())]
            if rows:
                writing.execute(table.insert(), rows)
        (version,) = reading.execute(text("SELECT version_num FROM alembic_version")).one()
        writing.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        writing.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
    src.dispose()
    dst.dispose()
