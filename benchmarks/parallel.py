"""Parallel experiments: a 2-point sweep of one neural baseline through DVC's queue with one
worker (-j 1) against two (-j 2). With params.yaml's threads: 0 each of two workers' jobs
takes its share of the cores (one each here); the third run forces threads=2, what every
job took before (each job every core), to show what that costs.

Run after `make repro`, alone on the machine: python benchmarks/parallel.py [baseline]
"""

import subprocess
import sys
import time

from tagbench.runs import tune

RUNS = [("-j 1, threads auto", 1, {}), ("-j 2, threads auto (1 each)", 2, {}),
        ("-j 2, threads=2 each (every core)", 2, {"threads": [2]})]


def sweep(baseline, jobs, extra):
    """(wall seconds, [test macro F1 per experiment]) of the sweep, forced so that DVC's
    run-cache cannot restore a run of an earlier row; its experiments removed."""
    names = tune.queue(baseline, {f"{baseline}.lr": [0.002, 0.003], **extra}, force=True)
    start = time.perf_counter()
    tune.run_queue(poll_seconds=1, jobs=jobs)
    wall = time.perf_counter() - start
    scores = [test for _, test, _, _ in tune.ranked(baseline, [f"{baseline}.lr"], names)]
    subprocess.run(["dvc", "exp", "remove", *names], check=True, capture_output=True)
    return wall, scores


def main(baseline="cnn"):
    print(f"| 2-point sweep of {baseline}.lr | wall s | test macro F1 |\n|---|---|---|")
    for label, jobs, extra in RUNS:
        wall, scores = sweep(baseline, jobs, extra)
        print(f"| {label} | {wall:.0f} | {', '.join(f'{s:.4f}' for s in scores)} |",
              flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
