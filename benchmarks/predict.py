"""Tagging speed: process start to first answer (`tagbench predict`, a new process each time,
median of several runs) for every trained baseline, beside the throughput at batch 64 that
the report stage measured in-process.

Run after `make repro`. Targets: cold start <= 3 s for cnn, <= 6 s for the transformer.
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tagbench.data.artifacts import TRADEOFFS

RUNS = 3
TEXT = "Transfer learning with BERT for self-supervised learning"
TARGETS = {"cnn": 3.0, "transformer": 6.0}


def cold_start(name):
    start = time.perf_counter()
    subprocess.run(["tagbench", "predict", "--baseline", name, TEXT], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main():
    names = yaml.safe_load(Path("params.yaml").read_text())["baselines"]
    report = TRADEOFFS
    rows = {r["name"]: r for r in json.loads(report.read_text())["baselines"]} \
        if report.exists() else {}
    print(f"| baseline | cold start, median of {RUNS} (s) | target (s) | "
          "projects / s at batch 64 (report) |")
    print("|---|---|---|---|")
    failed = False
    for name in names:
        median = statistics.median(cold_start(name) for _ in range(RUNS))
        target = TARGETS.get(name)
        failed |= target is not None and median > target
        throughput = f"{rows[name]['throughput']:.0f}" if name in rows else "run the report"
        print(f"| {name} | {median:.2f} | {target or ''} | {throughput} |", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
