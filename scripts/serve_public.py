"""`make serve-public REPLICAS=N`: the writer, N public replicas and nginx, on loopback.

    browser ──► nginx :8080 (public) ──► replica :8601 … :860N  (read-only, snapshot)
    admin   ──► nginx :8081 (admin)  ──► writer  :8501         (sign-in, data; read-write)

The writer is the only process that opens the database read-write; publishing a round there
writes a new snapshot into run/snapshots/, which the replicas switch to between reruns.
Ctrl-C (or SIGTERM) stops nginx, the replicas and the writer, in that order; a replica or
the writer that dies is started again. Everything it writes is in the run directory:
nginx.conf, nginx.pid, logs/, tmp/, snapshots/, static/ (Streamlit's files, precompressed).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evalcore import snapshot  # noqa: E402
from evalcore.db import Store  # noqa: E402

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
SECURITY_CONF = ROOT / "deploy" / "nginx-security.conf"
NGINX = "/usr/sbin/nginx"
MODULES = Path("/usr/lib/nginx/modules")
BROTLI_MODULES = ("ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so")
COOKIE = "evroute"
# Streamlit options of every process (beyond .streamlit/config.toml).
STREAMLIT_ARGS = ("--server.headless", "true", "--browser.gatherUsageStats", "false")
# Replicas also compress their websocket frames (permessage-deflate): a page's data is most
# of a first visit's bytes after the bundles, and nginx passes frames through untouched.
REPLICA_ARGS = ("--server.enableWebsocketCompression", "true")
# The chart chunks each page's first visit preloads, with every module they import (a Link
# header on its HTML), so the browser fetches them while the websocket opens and the script
# runs, instead of after the first chart's delta arrives and then module by module: pages
# not listed draw plotly charts and data frames; the home page draws neither.
PRELOAD_CHUNKS: dict[str, tuple[str, ...]] = {"map": ("DeckGlJsonChart",), "home": ()}
DEFAULT_CHUNKS = ("PlotlyChart", "DataFrame")
COMPRESSED_SUFFIXES = (".js", ".css", ".json", ".svg", ".html", ".txt", ".map", ".mjs")
HEALTH = "/_stcore/health"
READY = "/readyz"  # serve.py: 200 once the process has a database (a snapshot) to serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    """Nothing listens on it (SO_REUSEADDR, as servers bind: TIME_WAIT does not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _die_with_parent() -> None:
    """In the child, before exec: a signal if the supervisor dies (PR_SET_PDEATHSIG), so no
    replica outlives it, and a process group of its own, so Ctrl-C reaches the supervisor
    only and it stops everything in order."""
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


# -- static files --------------------------------------------------------------------------

def streamlit_static() -> Path:
    import streamlit

    return Path(streamlit.__file__).parent / "static"


def prepare_static(cache: Path, brotli: bool) -> Path:
    """A copy of Streamlit's static directory with `.gz` (and `.br`) beside each text file,
    made once per Streamlit version; nginx serves /static/ from it (gzip_static,
    brotli_static). Returns the directory to use as nginx's `root`."""
    import streamlit

    target = cache / f"streamlit-{streamlit.__version__}"
    done = target / ".complete"
    if done.exists() and (not brotli or (target / ".brotli").exists()):
        return target
    print(f"[serve-public] compressing Streamlit's static files once into {target} …",
          flush=True)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(streamlit_static(), target)
    for path in target.rglob("*"):
        if path.is_file() and path.suffix in COMPRESSED_SUFFIXES:
            data = path.read_bytes()
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
            if brotli:
                import brotli as br

                path.with_name(path.name + ".br").write_bytes(br.compress(data, quality=9))
    if brotli:
        (target / ".brotli").touch()
    done.touch()
    return target


_STATIC_IMPORT = re.compile(rb'(?:from|import)\s*"\./([^"/]+\.js)"')  # not import("…")


def chunk_url(prefix: str, static_dir: Path | None = None) -> str:
    """The URL of Streamlit's hashed JS chunk whose name starts with `prefix` + '.'."""
    js = (static_dir or streamlit_static()) / "static" / "js"
    found = sorted(p.name for p in js.glob(f"{prefix}.*.js"))
    if len(found) != 1:
        raise LookupError(f"expected one {prefix}.*.js in {js}, found {found}")
    return f"/static/js/{found[0]}"


def chunk_closure(prefixes: tuple[str, ...], static_dir: Path | None = None) -> list[str]:
    """The URLs of these chunks and of every module they import statically, minus what
    Streamlit's index.html already loads; the named chunks first."""
    static = static_dir or streamlit_static()
    js = static / "static" / "js"
    loaded = set(re.findall(r'\./static/js/([^"]+\.js)', (static / "index.html").read_text()))
    todo = [chunk_url(p, static).rsplit("/", 1)[1] for p in prefixes]
    seen: list[str] = []
    while todo:
        name = todo.pop(0)
        if name in seen or name in loaded:
            continue
        seen.append(name)
        todo += [d.decode() for d in _STATIC_IMPORT.findall((js / name).read_bytes())]
    return [f"/static/js/{name}" for name in seen]


def preload_map(pages: list[str]) -> str:
    """`map $uri $preload` entries: each page's deep link preloads its charts' modules."""
    lines = []
    for page in pages:
        prefixes = PRELOAD_CHUNKS.get(page, DEFAULT_CHUNKS)
        if not prefixes:
            continue
        link = ", ".join(f"<{url}>; rel=modulepreload; crossorigin"
                         for url in chunk_closure(prefixes))
        lines.append(f'        "~^/{page}/?$" "{link}";')
    return "\n".join(lines)


# -- nginx ---------------------------------------------------------------------------------

def brotli_available() -> bool:
    return all((MODULES / m).exists() for m in BROTLI_MODULES)


@dataclass(frozen=True)
class NginxConfig:
    public_port: int
    admin_port: int
    writer_port: int
    reader_ports: tuple[int, ...]
    static_root: Path
    workers: int = 1
    brotli: bool = True
    fail_timeout_s: int = 10

    def render(self) -> str:
        from evalcore.navigation import PAGES

        brotli = self.brotli and brotli_available()
        modules = "\n".join(f"load_module {MODULES / m};" for m in BROTLI_MODULES) if brotli \
            else "# brotli: Debian's libnginx-mod-http-brotli-* not installed"
        brotli_block = ("    brotli on;\n    brotli_static on;\n    brotli_comp_level 5;\n"
                        "    brotli_min_length 1024;\n    brotli_types application/javascript "
                        "text/javascript text/css application/json application/manifest+json "
                        "image/svg+xml text/plain;") if brotli else ""
        servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout={self.fail_timeout_s}s;"
            for p in self.reader_ports)
        values = {
            "LOAD_MODULES": modules, "WORKERS": str(self.workers), "BROTLI": brotli_block,
            "COOKIE": COOKIE, "PRELOAD_MAP": preload_map([p.url_path for p in PAGES]),
            "READER_SERVERS": servers, "WRITER": f"127.0.0.1:{self.writer_port}",
            "PUBLIC_LISTEN": f"127.0.0.1:{self.public_port}",
            "ADMIN_LISTEN": f"127.0.0.1:{self.admin_port}",
            "REPLICAS": str(len(self.reader_ports)), "SECURITY_CONF": str(SECURITY_CONF),
            "STATIC_ROOT": str(self.static_root),
        }
        text = TEMPLATE.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(f"@@{key}@@", value)
        if "@@" in text:
            raise ValueError("unfilled placeholder in the nginx template")
        return text


# -- processes -----------------------------------------------------------------------------

@dataclass
class Child:
    """One supervised process (restarted if it dies, unless stopping)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    health_url: str | None = None
    proc: subprocess.Popen | None = None
    restarts: int = 0
    _log_file: object = field(default=None, repr=False)

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("a")
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self._log_file,
                                     stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_healthy(self, timeout: float = 90) -> None:
        if self.health_url is None:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited ({self.proc.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(self.health_url, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"{self.name} not healthy after {timeout:g} s; see {self.log}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


def streamlit_child(name: str, port: int, env: dict[str, str], log: Path,
                    extra: tuple[str, ...] = ()) -> Child:
    argv = [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
            "--server.address", "127.0.0.1", "--server.port", str(port), *STREAMLIT_ARGS,
            *extra]
    return Child(name, argv, env, log, f"http://127.0.0.1:{port}{READY}")


@dataclass
class Tier:
    """The writer, the replicas and nginx; a context manager (also used by tests and the
    benchmark: `Tier(db, replicas=2, run_dir=tmp)`)."""

    db: Path
    replicas: int = 2
    run_dir: Path = ROOT / "run"
    public_port: int = 8080
    admin_port: int = 8081
    writer_port: int = 8501
    reader_ports: tuple[int, ...] = ()
    nginx: bool = True
    writer: bool = True
    workers: int = 1
    restart: bool = True
    replica_args: tuple[str, ...] = REPLICA_ARGS
    static_cache: Path | None = None  # where the compressed static files are kept
    extra_env: dict[str, str] = field(default_factory=dict)  # for every process (tests)
    children: list[Child] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _watch: threading.Thread | None = None

    @property
    def snapshots(self) -> Path:
        return self.run_dir / "snapshots"

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    @property
    def reader_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.reader_ports]

    @property
    def readers(self) -> list[Child]:
        return [c for c in self.children if c.name.startswith("replica")]

    def child(self, name: str) -> Child:
        return next(c for c in self.children if c.name == name)

    def _base_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("EVAL_READ_ONLY", None)
        env.pop(snapshot.SNAPSHOT_DIR_ENV, None)
        return env | self.extra_env

    def _ports(self) -> list[int]:
        ports = [*self.reader_ports]
        if self.writer:
            ports.append(self.writer_port)
        if self.nginx:
            ports += [self.public_port, self.admin_port]
        return ports

    def ensure_snapshot(self) -> None:
        """A first snapshot, written before the writer opens the database, if none is valid.
        Opened read-write, as the writer opens it: an older schema is migrated first."""
        if snapshot.resolve(self.snapshots).exists():
            return
        with Store(self.db, read_only=False) as store:
            pointer = snapshot.write_snapshot(store, self.snapshots)
        print(f"[serve-public] first snapshot {pointer.version}", flush=True)

    def __enter__(self) -> Tier:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("logs", "tmp"):
            (self.run_dir / sub).mkdir(exist_ok=True)
        if not self.reader_ports:
            self.reader_ports = tuple(8601 + i for i in range(self.replicas))
        if busy := [p for p in self._ports() if not port_free(p)]:
            # A health check would otherwise find whatever else listens there.
            raise RuntimeError(f"port(s) {busy} already in use on 127.0.0.1")
        self.ensure_snapshot()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        logs = self.run_dir / "logs"
        if self.writer:
            env = {**self._base_env(), "EVAL_DB": str(self.db),
                   snapshot.SNAPSHOT_DIR_ENV: str(self.snapshots)}
            self.children.append(streamlit_child("writer", self.writer_port, env,
                                                 logs / "writer.log"))
        for i, port in enumerate(self.reader_ports):
            env = {**self._base_env(), "EVAL_DB": str(self.snapshots), "EVAL_READ_ONLY": "1"}
            self.children.append(streamlit_child(f"replica-{i + 1}", port, env,
                                                 logs / f"replica-{i + 1}.log",
                                                 self.replica_args))
        for child in self.children:
            child.start()
        for child in self.children:
            child.wait_healthy()
        if self.nginx:
            self._start_nginx()
        if self.restart:
            self._watch = threading.Thread(target=self._keep_alive, daemon=True)
            self._watch.start()

    def nginx_config(self) -> NginxConfig:
        brotli = brotli_available()
        return NginxConfig(self.public_port, self.admin_port, self.writer_port,
                           self.reader_ports,
                           prepare_static(self.static_cache or self.run_dir / "static", brotli),
                           workers=self.workers, brotli=brotli)

    def _start_nginx(self) -> None:
        if not Path(NGINX).exists():
            raise RuntimeError(f"{NGINX} is missing: `make system-deps` installs nginx-light")
        conf = self.run_dir / "nginx.conf"
        conf.write_text(self.nginx_config().render(), encoding="utf-8")
        argv = [NGINX, "-p", f"{self.run_dir.resolve()}/", "-c", str(conf.resolve()),
                "-e", "logs/error.log"]
        test = subprocess.run([*argv, "-t", "-q"], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t: {test.stderr.strip()}")
        nginx = Child("nginx", argv, self._base_env(), self.run_dir / "logs" / "nginx.out",
                      f"{self.public_url}{HEALTH}")
        self.children.append(nginx)
        nginx.start()
        nginx.wait_healthy(30)

    def _keep_alive(self) -> None:
        """Start a process that died again (as Kubernetes restarts a container)."""
        while not self._stopping.wait(1.0):
            for child in list(self.children):
                if not child.alive() and not self._stopping.is_set():
                    child.restarts += 1
                    print(f"[serve-public] {child.name} exited "
                          f"({child.proc.returncode}); starting it again", flush=True)
                    child.stop()
                    time.sleep(min(10, child.restarts))
                    if not self._stopping.is_set():
                        child.start()

    def stop(self) -> None:
        """nginx first (no new requests), then the replicas, then the writer."""
        self._stopping.set()
        if self._watch is not None:
            self._watch.join(timeout=15)
        order = sorted(self.children, key=lambda c: {"nginx": 0, "writer": 2}.get(c.name, 1))
        for child in order:
            child.stop(signal.SIGQUIT if child.name == "nginx" else signal.SIGTERM)

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="public entry (nginx)")
    parser.add_argument("--admin-port", type=int, default=8081, help="admin entry (nginx)")
    parser.add_argument("--writer-port", type=int, default=8501)
    parser.add_argument("--reader-port", type=int, default=8601, help="first replica's port")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "evaluation.duckdb")
    parser.add_argument("--run-dir", type=Path, default=ROOT / "run")
    parser.add_argument("--workers", type=int, default=1, help="nginx worker processes")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    tier = Tier(args.db, args.replicas, args.run_dir, args.port, args.admin_port,
                args.writer_port, tuple(args.reader_port + i for i in range(args.replicas)),
                workers=args.workers)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    with tier:
        print(f"[serve-public] public  {tier.public_url}  (nginx → {args.replicas} replica(s): "
              f"{', '.join(tier.reader_urls)})\n"
              f"[serve-public] admin   {tier.admin_url}  (nginx → writer "
              f"http://127.0.0.1:{args.writer_port})\n"
              f"[serve-public] logs in {args.run_dir / 'logs'}; Ctrl-C stops everything",
              flush=True)
        while not stop.wait(0.5):
            pass
        print("[serve-public] stopping nginx, replicas, writer …", flush=True)
    print("[serve-public] stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
