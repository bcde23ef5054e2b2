"""A production-like deployment on loopback: PostgreSQL, Redis, the action server, Rasa server
replicas on deploy/endpoints.production.yml, and HAProxy in front (deploy/haproxy/).

`make deploy-local` runs this file and keeps everything up until Ctrl-C; the deployment test and
`make bench` use `LocalDeployment` to start, stop and kill the parts one by one. PostgreSQL, Redis and
HAProxy are Debian's packages (`make system-packages` installs them); each runs in its own
directory with its own port, so nothing touches a system-wide service.

Usage: python scripts/local_deployment.py [--replicas 2] [--workers 1] [--dir .deploy]
"""
import argparse
import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions.common import messages  # noqa: E402
from scripts.local_servers import ROOT, SERVER_ENV, free_port, latest_model, wait_until_up  # noqa: E402

DB_NAME, DB_USER = "tearsguide", "tearsguide"


def find_binary(name: str) -> Optional[str]:
    """A server binary from Debian's packages (PostgreSQL keeps its own outside PATH), if installed."""
    return shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)


def _binary(name: str) -> str:
    found = find_binary(name)
    if not found:
        raise SystemExit(f"{name} not found: run `make system-packages` (Debian: postgresql, redis-server, haproxy)")
    return found


def _run_as_postgres() -> List[str]:
    """PostgreSQL refuses to run as root; as root, run its commands as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def write_private(path: Path, text: str) -> None:
    """Create `path` readable by its owner only from the start (written first and restricted after, it
    could be read in between); an existing file is an error, never overwritten in place."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(text)


class LocalDeployment:
    def __init__(self, workdir: Path, replicas: int = 2, sanic_workers: int = 1, model: Optional[Path] = None,
                 fixed_ports: bool = False) -> None:
        self.workdir = workdir.resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.model = model or latest_model()
        self.sanic_workers = sanic_workers
        if fixed_ports:
            self.lb_port, self.actions_port, self.pg_port, self.redis_port = 8005, 5056, 5433, 6380
            self.replica_ports = [5006 + i for i in range(replicas)]
        else:
            self.lb_port, self.actions_port, self.pg_port, self.redis_port = (free_port() for _ in range(4))
            self.replica_ports = [free_port() for _ in range(replicas)]
        self.secrets = self._secrets()
        # PostgreSQL's files must be reachable by the postgres user, which a pytest tmp dir is not.
        self.pg_dir = Path(f"/var/tmp/tearsguide-pg-{self.pg_port}") if os.geteuid() == 0 else self.workdir / "pg"
        self.processes: Dict[str, subprocess.Popen] = {}

    # --- settings ------------------------------------------------------------------------------
    def _secrets(self) -> Dict[str, str]:
        """Passwords and the API token, generated once per deployment directory (mode 600)."""
        path = self.workdir / "secrets.json"
        if path.exists():
            return json.loads(path.read_text())
        values = {name: secrets.token_hex(16) for name in ("db_password", "redis_password", "api_token",
                                                            "socketio_jwt_secret", "slack_signing_secret")}
        write_private(path, json.dumps(values))
        return values

    @property
    def lb_url(self) -> str:
        return f"http://127.0.0.1:{self.lb_port}"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[index]}"

    @property
    def api_token(self) -> str:
        return self.secrets["api_token"]

    def env(self) -> Dict[str, str]:
        return {
            **os.environ, **SERVER_ENV,
            # replicas share two cores: one TensorFlow thread each avoids oversubscription
            "TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1",
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "DB_HOST": "127.0.0.1", "DB_PORT": str(self.pg_port), "DB_DATABASE": DB_NAME, "DB_USER": DB_USER,
            "DB_PASSWORD": self.secrets["db_password"], "RETENTION_DAYS": "30",
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(self.redis_port),
            "REDIS_PASSWORD": self.secrets["redis_password"], "REDIS_DB": "1",
            # a replica killed while holding a conversation's lock blocks that conversation this long
            "TICKET_LOCK_LIFETIME": "10",
            "SANIC_WORKERS": str(self.sanic_workers),
            "SLACK_BOT_TOKEN": os.environ.get("SLACK_BOT_TOKEN", "xoxb-not-configured"),
            "SLACK_SIGNING_SECRET": os.environ.get("SLACK_SIGNING_SECRET", self.secrets["slack_signing_secret"]),
            "SLACK_API_URL": os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
            "SOCKETIO_JWT_SECRET": os.environ.get("SOCKETIO_JWT_SECRET", self.secrets["socketio_jwt_secret"]),
            "RASA_AUTH_TOKEN": self.api_token,
        }

    def _start(self, name: str, command: List[str], cwd: Path = ROOT) -> subprocess.Popen:
        log = (self.workdir / f"{name}.log").open("a")
        process = subprocess.Popen(command, cwd=cwd, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        return process

    def _stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    # --- PostgreSQL ------------------------------------------------------------------------------
    def start_postgres(self) -> None:
        as_pg = _run_as_postgres()
        if not (self.pg_dir / "PG_VERSION").exists():
            self.pg_dir.mkdir(parents=True, exist_ok=True)
            # outside the data directory (initdb wants it empty), private, and at a path nobody can
            # guess or plant beforehand (a fixed name under /var/tmp could be a symlink another user made)
            descriptor, name = tempfile.mkstemp(prefix="tearsguide-pw-", dir=self.pg_dir.parent)
            password_file = Path(name)
            with os.fdopen(descriptor, "w") as out:
                out.write(self.secrets["db_password"] + "\n")
            if as_pg:
                shutil.chown(self.pg_dir, "postgres", "postgres")
                shutil.chown(password_file, "postgres", "postgres")
            subprocess.run([*as_pg, _binary("initdb"), "-D", str(self.pg_dir), "-U", DB_USER,
                            f"--pwfile={password_file}", "--auth-local=trust", "--auth-host=scram-sha-256",
                            "--encoding=UTF8", "--no-instructions"],
                           check=True, stdout=subprocess.DEVNULL)
            password_file.unlink()
            fresh = True
        else:
            fresh = False
        self._start("postgres", [*as_pg, _binary("postgres"), "-D", str(self.pg_dir), "-p", str(self.pg_port),
                                 "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.pg_dir}"])
        self._wait_for_postgres()
        if fresh:
            subprocess.run([*as_pg, _binary("createdb"), "-h", str(self.pg_dir), "-p", str(self.pg_port),
                            "-U", DB_USER, DB_NAME], check=True)

    def _wait_for_postgres(self, seconds: int = 60) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            probe = subprocess.run([_binary("pg_isready"), "-h", "127.0.0.1", "-p", str(self.pg_port)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if probe.returncode == 0:
                return
            if self.processes["postgres"].poll() is not None:
                break
            time.sleep(0.3)
        raise RuntimeError(f"PostgreSQL did not start; see {self.workdir / 'postgres.log'}")

    def stop_postgres(self) -> None:
        self._stop("postgres", signal.SIGINT)  # "fast" shutdown: open transactions roll back

    def sql(self, query: str) -> List[tuple]:
        """Run a read-only query against the conversation database (for tests and checks)."""
        import psycopg2

        with psycopg2.connect(host="127.0.0.1", port=self.pg_port, dbname=DB_NAME, user=DB_USER,
                              password=self.secrets["db_password"]) as connection:
            with connection.cursor() as cursor:
                cursor.execute(query)
                return cursor.fetchall()

    # --- Redis -----------------------------------------------------------------------------------
    def start_redis(self) -> None:
        # locks only: nothing to persist, so no snapshot or append-only file; the password goes in a
        # private config file, not on the command line (`ps` shows that to every local user)
        config = self.workdir / "redis.conf"
        config.unlink(missing_ok=True)
        write_private(config, f'bind 127.0.0.1\nport {self.redis_port}\nrequirepass "{self.secrets["redis_password"]}"\n'
                              f'save ""\nappendonly no\ndir "{self.workdir}"\n')
        self._start("redis", [_binary("redis-server"), str(config)])
        wait_for_port(self.redis_port, self.processes["redis"])

    def stop_redis(self) -> None:
        self._stop("redis")

    # --- action server, replicas, load balancer --------------------------------------------------
    def start_actions(self) -> None:
        process = self._start("actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                                          "--port", str(self.actions_port)])
        wait_until_up(f"http://127.0.0.1:{self.actions_port}/health", process, self.workdir / "actions.log")

    def start_replica(self, index: int, wait: bool = True) -> subprocess.Popen:
        process = self._start(f"rasa-{index}", [
            sys.executable, "scripts/rasa_quiet.py", "run", "--model", str(self.model),
            "--endpoints", "deploy/endpoints.production.yml", "--credentials", "credentials.yml",
            "--interface", "127.0.0.1", "--port", str(self.replica_ports[index]),
            "--enable-api"])  # the token comes from RASA_AUTH_TOKEN (env()), so it is not in `ps`
        if wait:
            self.wait_ready(index)
        return process

    def kill_replica(self, index: int) -> None:
        """SIGKILL, as a crash or an OOM kill would: no graceful shutdown, requests in flight are cut."""
        self._stop(f"rasa-{index}", signal.SIGKILL)

    def readiness(self, index: int) -> Optional[dict]:
        try:
            with urllib.request.urlopen(f"{self.replica_url(index)}/webhooks/health/ready", timeout=10) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return json.loads(error.read() or b"{}")
        except (urllib.error.URLError, ConnectionError, OSError):
            return None

    def wait_ready(self, index: int, seconds: int = 300) -> None:
        deadline = time.time() + seconds
        process = self.processes[f"rasa-{index}"]
        while time.time() < deadline:
            if process.poll() is not None:
                log = (self.workdir / f"rasa-{index}.log").read_text()[-3000:]
                raise RuntimeError(f"replica {index} exited with {process.returncode}:\n{log}")
            if (self.readiness(index) or {}).get("status") == "ready":
                return
            time.sleep(1)
        raise RuntimeError(f"replica {index} not ready after {seconds} s")

    def start_balancer(self) -> None:
        template = string.Template((ROOT / "deploy/haproxy/haproxy.cfg.template").read_text())
        servers = "\n".join(f"    server rasa{i} 127.0.0.1:{port} check" for i, port in enumerate(self.replica_ports))
        config = self.workdir / "haproxy.cfg"
        errorfile = self.workdir / "unavailable.http"
        errorfile.write_bytes(unavailable_response())
        config.write_text(template.substitute(bind="127.0.0.1", port=self.lb_port, servers=servers,
                                              errorfile=errorfile))
        subprocess.run([_binary("haproxy"), "-c", "-q", "-f", str(config)], check=True)
        self._start("haproxy", [_binary("haproxy"), "-db", "-f", str(config)])
        wait_for_port(self.lb_port, self.processes["haproxy"])

    def start_all(self) -> None:
        self.start_postgres()
        self.start_redis()
        self.start_actions()
        for index in range(len(self.replica_ports)):
            self.start_replica(index, wait=False)
        for index in range(len(self.replica_ports)):
            self.wait_ready(index)
        self.start_balancer()

    def stop_all(self) -> None:
        for name in ["haproxy", *[f"rasa-{i}" for i in range(len(self.replica_ports))], "actions", "redis"]:
            self._stop(name)
        self.stop_postgres()


def unavailable_response() -> bytes:
    """The raw HTTP answer HAProxy gives when no replica is ready: the REST channel's own JSON shape
    and the same text as channels/rest.py (data/dialogue/messages.yml), crisis contacts included."""
    text = messages()["temporarily_unavailable"]["text"]
    body = json.dumps([{"recipient_id": "", "text": text}]).encode()
    head = ("HTTP/1.0 503 Service Unavailable\r\nCache-Control: no-cache\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nRetry-After: 5\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def wait_for_port(port: int, process: subprocess.Popen, seconds: int = 30) -> None:
    import socket

    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


@contextlib.contextmanager
def running_deployment(workdir: Path, **kwargs: object) -> Iterator[LocalDeployment]:
    deployment = LocalDeployment(workdir, **kwargs)  # type: ignore[arg-type]
    try:
        deployment.start_all()
        yield deployment
    finally:
        deployment.stop_all()
        if os.geteuid() == 0 and not kwargs.get("fixed_ports"):
            shutil.rmtree(deployment.pg_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="Sanic workers per replica")
    parser.add_argument("--dir", type=Path, default=ROOT / ".deploy", help="state, logs and secrets")
    args = parser.parse_args()
    # stop cleanly (servers down, then exit) on Ctrl-C, and on SIGTERM from kill or a process manager;
    # SIGINT too when started in the background, where the shell ignores it
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: signal.default_int_handler(signal.SIGINT, None))
    print("Starting PostgreSQL, Redis, the action server and "
          f"{args.replicas} Rasa replica(s) behind HAProxy (about a minute)...", flush=True)
    with running_deployment(args.dir, replicas=args.replicas, sanic_workers=args.workers, fixed_ports=True) as d:
        replicas = ", ".join(d.replica_url(i) for i in range(args.replicas))
        print(f"""
  The deployment is up (model {d.model.name}).
    Load balancer:  {d.lb_url}   (REST: POST /webhooks/rest/webhook; readiness: GET /webhooks/health/ready)
    Replicas:       {replicas}
    PostgreSQL:     127.0.0.1:{d.pg_port} database {DB_NAME}   Redis: 127.0.0.1:{d.redis_port}
    HTTP API token: in {args.dir / 'secrets.json'} ("api_token")
  Talk to it:
    curl -s -XPOST {d.lb_url}/webhooks/rest/webhook -H 'Content-Type: application/json' \\
         -d '{{"sender": "me", "message": "hi"}}'
  Logs: {args.dir}/*.log.   Press Ctrl-C to stop.
""", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while all(p.poll() is None for p in d.processes.values()):
                time.sleep(1)
            failed = [name for name, p in d.processes.items() if p.poll() is not None]
            print(f"ERROR: {', '.join(failed)} stopped; see {args.dir}/", file=sys.stderr)


if __name__ == "__main__":
    main()
