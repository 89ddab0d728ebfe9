"""Test rig for two hosts behind nginx (tests/test_two_hosts.py): Linux network namespaces joined to the
host by veth pairs, the portal served in each by `portal serve --workers 2`, and nginx on the host
loopback in front of them (round-robin, no stickiness) naming the host that served each answer in an
`X-Upstream` header. The PostgreSQL server both hosts share is tests/rig.start_postgres, listening on the
host's end of each pair.

Needs root (namespaces and veth pairs) and Debian's `nginx` (.ci/system-packages installs it). Names carry
the process id of the run that made them (`ptlh-<pid>-<n>` namespaces, `ptlh<pid>h<n>` links), so that
runs never meet and the leftovers of a run that died are recognised and removed by the next one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests import rig

PREFIX = "ptlh"
NETWORK = "10.213"  # 10.213.<n>.0/29 per run: two /30s, one per host
PORTAL_PORT = 8000  # each namespace has ports of its own
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _ip(*args: str, check: bool = True) -> str:
    done = subprocess.run(["ip", *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def _stale(pid: str) -> bool:
    """Made by a run that is gone (or by this process, e.g. an earlier fixture of it that failed)."""
    return int(pid) == os.getpid() or not Path(f"/proc/{pid}").exists()


def _stop_group(proc: subprocess.Popen, sig: int = signal.SIGTERM, wait: float = 15) -> None:
    """Stop a child started with start_new_session=True and everything it forked (its process group)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # workers a stopped master left behind


def clear_leftovers() -> list[str]:
    """Remove the namespaces and links of earlier runs whose process is gone (a crashed run), ending
    the processes still running inside such a namespace. Returns what was removed."""
    removed = []
    for line in _ip("netns", "list").splitlines():
        name = line.split()[0] if line.strip() else ""
        found = re.fullmatch(rf"{PREFIX}-(\d+)-\d+", name)
        if not found or not _stale(found.group(1)):
            continue
        for pid in _ip("netns", "pids", name, check=False).split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        _ip("netns", "del", name, check=False)
        removed.append(name)
    for line in _ip("-o", "link", "show").splitlines():
        found = re.match(rf"\d+: ({PREFIX}(\d+)h\d+)[@:]", line)
        if found and _stale(found.group(2)):
            _ip("link", "del", found.group(1), check=False)
            removed.append(found.group(1))
    return removed


@dataclass(frozen=True)
class Host:
    """A network namespace joined to the host by a veth pair: `gateway` is the host's end (the address
    the namespace reaches the host by), `address` the namespace's."""

    netns: str
    link: str
    gateway: str
    address: str


def _free_subnet() -> int:
    used = _ip("-o", "-4", "addr", "show")
    start = os.getpid() % 200 + 20
    for n in [*range(start, 250), *range(20, start)]:
        if f" {NETWORK}.{n}." not in used:
            return n
    raise RuntimeError(f"no free {NETWORK}.x.0/29 subnet")


def create_hosts(count: int = 2) -> tuple[list[Host], str]:
    """`count` namespaces (at most 2: /30s in one /29) with loopback up; returns them and the /29 they use."""
    assert 1 <= count <= 2
    subnet = _free_subnet()
    hosts: list[Host] = []
    try:
        for i in range(count):
            netns, link, inner = f"{PREFIX}-{os.getpid()}-{i}", f"{PREFIX}{os.getpid()}h{i}", f"{PREFIX}{os.getpid()}n{i}"
            gateway, address = f"{NETWORK}.{subnet}.{4 * i + 1}", f"{NETWORK}.{subnet}.{4 * i + 2}"
            _ip("netns", "add", netns)
            hosts.append(Host(netns, link, gateway, address))
            _ip("netns", "exec", netns, "ip", "link", "set", "lo", "up")
            _ip("link", "add", link, "type", "veth", "peer", "name", inner)
            _ip("link", "set", inner, "netns", netns)
            _ip("addr", "add", f"{gateway}/30", "dev", link)
            _ip("link", "set", link, "up")
            _ip("netns", "exec", netns, "ip", "addr", "add", f"{address}/30", "dev", inner)
            _ip("netns", "exec", netns, "ip", "link", "set", inner, "up")
    except BaseException:
        remove_hosts(hosts)
        raise
    return hosts, f"{NETWORK}.{subnet}.0/29"


def remove_hosts(hosts: list[Host]) -> None:
    """Delete the namespaces (their end of each pair goes with them) and the host's ends."""
    for host in hosts:
        _ip("netns", "del", host.netns, check=False)
        _ip("link", "del", host.link, check=False)


def _get(url: str, timeout: float = 2) -> int:
    with _NO_PROXY.open(url, timeout=timeout) as resp:
        return resp.status


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            if _get(url) == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer {url} in {seconds:.0f} s: {log.read_text(errors='replace')[-3000:]}")


def _portal_command() -> list[str]:
    script = Path(sys.executable).parent / "portal"
    return [str(script)] if script.exists() else [sys.executable, "-m", "portal.cli"]


class PortalHost:
    """`portal serve --workers N` inside a namespace, on the namespace's address."""

    def __init__(self, host: Host, database_url: str, env: dict[str, str], workers: int = 2) -> None:
        self.host = host
        self.upstream = f"{host.address}:{PORTAL_PORT}"
        self.log = Path(tempfile.mkstemp(prefix=f"portal-{host.netns}-", suffix=".log")[1])
        # one secret key for every process of every host: sessions and CSRF tokens are signed with it
        full_env = {**os.environ, "PORTAL_ENV": "test", "PORTAL_DATABASE_URL": database_url, "PORTAL_SECRET_KEY": rig.TEST_SECRET, **env}
        command = [*_portal_command(), "serve", "--host", host.address, "--port", str(PORTAL_PORT), "--workers", str(workers)]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                ["ip", "netns", "exec", host.netns, *command],
                cwd=rig.ROOT, env=full_env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        try:
            _wait_healthy(f"http://{self.upstream}/healthz", self.proc, self.log, f"the portal in {host.netns}")
        except BaseException:
            self.stop()
            raise

    def worker_pids(self) -> list[int]:
        """The processes serving in the namespace (uvicorn's supervisor and its workers)."""
        return [int(p) for p in _ip("netns", "pids", self.host.netns, check=False).split()]

    def stop(self) -> None:
        _stop_group(self.proc)
        self.log.unlink(missing_ok=True)


NGINX_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    # as docs/operations.md: survey requests are never logged (docs/anonymity.md)
    map $uri $portal_loggable {{
        ~^/survei(/|$)  0;
        default         1;
    }}
    log_format upstream '$remote_addr "$request" $status $upstream_addr';
    access_log {prefix}/access.log upstream if=$portal_loggable;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 12m;
    upstream portal {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://portal;
            proxy_next_upstream off;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


class Nginx:
    """nginx in the foreground as a child process, on 127.0.0.1, balancing round-robin over `upstreams`
    (host:port), config and logs in a temp folder."""

    def __init__(self, upstreams: list[str]) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx not found: install Debian's `nginx` package (.ci/system-packages does)")
        self.port = rig.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = Path(tempfile.mkdtemp(prefix="portal-nginx-"))
        self.prefix.chmod(0o755)  # the worker process (an unprivileged user) keeps request bodies here
        servers = "\n".join(f"        server {u};" for u in upstreams)
        conf = self.prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(prefix=self.prefix, servers=servers, port=self.port))
        log = self.prefix / "error.log"
        self.proc = subprocess.Popen(
            [binary, "-p", str(self.prefix), "-c", str(conf), "-e", str(log), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            _wait_healthy(f"{self.url}/healthz", self.proc, log, "nginx", seconds=30)
        except BaseException:
            self.stop()
            raise

    def access_log(self) -> str:
        path = self.prefix / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        _stop_group(self.proc, signal.SIGQUIT)
        shutil.rmtree(self.prefix, ignore_errors=True)
