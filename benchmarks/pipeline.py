"""Pipeline speed on 2 cores, on the built workspace (run after `make repro`, nothing else
running: two torch jobs at once run 6-9 times slower). Each command is timed; the workspace is
put back after the ones that change it.

- per-stage fixed cost: what one more stage whose work is trivial adds to a forced
  `dvc repro` (DVC's own bookkeeping, the lock rewritten, the stage's Python and imports):
  class_weights (its Python 0.1 s) and train@rule_based_unstemmed (alias matching, 0.8 s
  with its imports), each added to a forced run of `stem`; the larger. Target <= 1.5 s.
- no-op `dvc repro`: target <= 5 s.
- the CNN experiment, `dvc exp run -S cnn.lr=3e-4`, all told. Target <= 90 s.
- with --full: `dvc repro -f` of the whole DAG. Target <= 12 min.

Targets for a fresh clone (`make repro` <= 10 min, install included) and `.ci/run` (<= 30
min) are timed from outside: docs/development.md gives both.
"""

import subprocess
import sys
import time

BASE, TRIVIAL = "stem", ["class_weights", "train@rule_based_unstemmed"]
TARGETS = {"per-stage fixed cost": 1.5, "no-op dvc repro": 5.0, "cnn experiment": 90.0,
           "full dvc repro -f": 12 * 60.0}
PUT_BACK = [["git", "checkout", "--", "params.yaml", "dvc.lock", "metrics", "dvclive",
             "reports"], ["dvc", "checkout", "-f", "-q"]]


def seconds(*commands):
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def per_stage():
    def forced(*stages):
        return min(seconds(["dvc", "repro", "-f", "-s", *stages]) for _ in range(3))

    alone = forced(BASE)
    return max(forced(BASE, stage) - alone for stage in TRIVIAL)


def no_op():
    """A `dvc repro` with nothing to do (one first settles what the forced runs left: their
    new training times re-run the report)."""
    seconds(["dvc", "repro"])
    return seconds(["dvc", "repro"])


def cnn_experiment():
    taken = seconds(["dvc", "exp", "run", "-S", "cnn.lr=3e-4"])
    seconds(*PUT_BACK)
    return taken


def main():
    measures = {"per-stage fixed cost": per_stage,
                "no-op dvc repro": no_op,
                "cnn experiment": cnn_experiment}
    if "--full" in sys.argv:
        measures["full dvc repro -f"] = lambda: seconds(["dvc", "repro", "-f"])
    print("| what | seconds | target (s) |")
    print("|---|---|---|")
    failed = False
    for name, measure in measures.items():
        taken = measure()
        failed |= taken > TARGETS[name]
        print(f"| {name} | {taken:.1f} | {TARGETS[name]:g} |", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
