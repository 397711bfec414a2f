"""Cold pipeline and warm start figures (printed, not asserted).

    python benchmarks/startup.py

1. `tanso pipeline run etl` on an empty embedded database (fresh TANSO_HOME). Target ≤ 60 s.
2. `tanso up` twice on that home: time until the landing page answers. The second start
   loads nothing and must serve in ≤ 15 s.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TANSO = [sys.executable, "-m", "tanso.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seconds_until_served(env: dict[str, str]) -> float:
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([*TANSO, "up", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"tanso up exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    if page.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="tanso-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"TANSO_HOME": str(home), "TANSO_PROJECT_ROOT": str(ROOT)}

    def run(*args):
        return subprocess.run([*TANSO, *args], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True)

    try:
        run("db", "upgrade")
        start = time.perf_counter()
        run("pipeline", "run", "etl")
        print(f"etl pipeline on an empty database: {time.perf_counter() - start:.1f} s "
              "(target ≤ 60 s)")
        first = seconds_until_served(env)
        second = seconds_until_served(env)
        print(f"tanso up until the landing page answers: first {first:.1f} s, "
              f"second {second:.1f} s (target ≤ 15 s)")
    finally:
        subprocess.run([*TANSO, "db", "stop"], env=env, cwd=ROOT, capture_output=True,
                       check=False)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
