"""Pipeline and start-up figures over repeats (printed, not asserted).

    python benchmarks/startup.py [--repeat 3]

On a fresh TANSO_HOME (embedded server, empty database — the benchmark prepares it):
1. `tanso pipeline run etl --force`, `repeat` times: the whole run and each step (the first
   step pays the kernel start and the imports; the later ones share its kernel). Target ≤ 60 s.
2. `tanso up`, `repeat` times on that home (nothing left to load): time until the national
   trends page answers 200 with its title, i.e. a user can use it — not just the landing page.
   Target ≤ 15 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TANSO = [sys.executable, "-m", "tanso.cli"]
STEP_LINE = re.compile(r"^(\S+)\s+succeeded\s+rows=\d+\s+([\d.]+)s$", re.MULTILINE)
PAGE, PAGE_TEXT = "/national_trends", b"<title>"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seconds_until_usable(env: dict[str, str]) -> float:
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([*TANSO, "up", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"tanso up exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{PAGE}", timeout=30) as page:
                    if page.status == 200 and PAGE_TEXT in page.read():
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def spread(samples: list[float]) -> str:
    return (f"median {statistics.median(samples):5.1f} s  min {min(samples):5.1f} s  "
            f"max {max(samples):5.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="tanso-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"TANSO_HOME": str(home), "TANSO_PROJECT_ROOT": str(ROOT)}

    def run(*cli):
        return subprocess.run([*TANSO, *cli], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True)

    try:
        run("db", "upgrade")
        runs, steps = [], {}
        for _ in range(args.repeat):
            start = time.perf_counter()
            out = run("pipeline", "run", "etl", "--force").stdout
            runs.append(time.perf_counter() - start)
            for name, seconds in STEP_LINE.findall(out):
                steps.setdefault(name, []).append(float(seconds))
        print(f"`tanso pipeline run etl --force`, {args.repeat} runs: {spread(runs)} "
              "(target ≤ 60 s)")
        for name, samples in steps.items():
            print(f"  step {name:<10} {spread(samples)}")
        usable = [seconds_until_usable(env) for _ in range(args.repeat)]
        print(f"`tanso up` until {PAGE} is usable, {args.repeat} starts: {spread(usable)} "
              "(target ≤ 15 s)")
    finally:
        subprocess.run([*TANSO, "db", "stop"], env=env, cwd=ROOT, capture_output=True,
                       check=False)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
