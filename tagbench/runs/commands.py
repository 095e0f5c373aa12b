"""The DVC that tagbench's commands run: `python -m dvc` of tagbench's own environment, so
that `tagbench check-lock` works whether or not the environment's bin is on PATH."""

import sys

DVC = [sys.executable, "-m", "dvc"]
