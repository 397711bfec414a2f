"""The pipeline runner's shared kernel: imports kept across steps, names not, failures isolated."""

import subprocess
import sys
from pathlib import Path

import pytest
from papermill.exceptions import PapermillExecutionError

from tanso.pipelines import Step, WarmKernel

pytestmark = pytest.mark.integration

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
run_id = None

# %%
"""


def step(tmp_path: Path, name: str, code: str) -> Step:
    notebook = tmp_path / f"{name}.py"
    notebook.write_text(HEADER + code, encoding="utf-8")
    return Step(name, notebook, {}, ())


def run(kernel: WarmKernel, tmp_path: Path, each: Step) -> None:
    kernel.execute(each, {"run_id": "t"}, tmp_path / f"{each.name}.ipynb")


def test_steps_share_imports_not_names_and_a_failure_gets_a_new_kernel(tmp_path):
    kernel = WarmKernel()
    try:
        run(kernel, tmp_path, step(tmp_path, "first",
                                   "import os, json\nleft_over = 1\njson.tanso_mark = os.getpid()\n"))
        pid = kernel.km.provisioner.pid
        run(kernel, tmp_path, step(tmp_path, "second",
                                   "import json, os\nassert 'left_over' not in globals()\n"
                                   "assert json.tanso_mark == os.getpid()\n"))
        assert kernel.km.provisioner.pid == pid  # the same kernel process ran both
        with pytest.raises(PapermillExecutionError, match="boom"):
            run(kernel, tmp_path, step(tmp_path, "failing", "raise RuntimeError('boom')\n"))
        assert kernel.km is None  # the failed step's kernel is gone
        run(kernel, tmp_path, step(tmp_path, "after", "import json\n"
                                   "assert not hasattr(json, 'tanso_mark')\n"))
    finally:
        kernel.close()


INTERRUPTED_IN_SECOND_STEP = """
import os, signal, sys, threading
from pathlib import Path
from tanso.errors import Interrupted
from tanso.pipelines import Step, WarmKernel
from tanso.run_control import interrupts_raise

first, second, out = (Path(p) for p in sys.argv[1:4])
kernel = WarmKernel()
try:
    with interrupts_raise():
        kernel.execute(Step("first", first, {}, ()), {"run_id": "t"}, out / "first.ipynb")
        pid = kernel.km.provisioner.pid
        threading.Timer(3, os.kill, (os.getpid(), signal.SIGTERM)).start()
        kernel.execute(Step("second", second, {}, ()), {"run_id": "t"}, out / "second.ipynb")
except Interrupted as exc:
    print("raised", exc.signal_name, pid)
finally:
    kernel.close()
"""


def test_sigterm_in_a_later_step_raises_interrupted_and_kills_the_kernel(tmp_path):
    # nbclient, run in the main thread, swaps in its own SIGTERM handler per notebook and
    # leaves the default one behind: a SIGTERM in the second step would then kill the runner
    # with no record of the run and leave its kernel behind.
    first = step(tmp_path, "first", "x = 1\n")
    second = step(tmp_path, "second", "import time\ntime.sleep(600)\n")  # never ends on its own
    script = tmp_path / "run.py"
    script.write_text(INTERRUPTED_IN_SECOND_STEP)
    done = subprocess.run([sys.executable, str(script), str(first.notebook), str(second.notebook),
                           str(tmp_path)], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    said, signal_name, pid = done.stdout.split()
    assert (said, signal_name) == ("raised", "SIGTERM")
    assert not running(int(pid))  # the kernel of the interrupted step is gone
    assert "Traceback" not in done.stderr, done.stderr


def running(pid: int) -> bool:
    try:  # a killed process nobody has reaped yet is a zombie: state Z
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
