"""The pipeline runner's shared kernel: imports kept across steps, names not, failures isolated."""

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
