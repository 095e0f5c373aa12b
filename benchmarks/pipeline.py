"""Pipeline speed: medians over several runs of DVC commands on the built workspace.

Run after `make repro` (make bench does the pull; the workspace must be up to date).
Targets: a no-op `dvc repro` in <= 5 s; with --full, the whole DAG forced from scratch
(`dvc repro -f`, every baseline and the report, once) in <= 16 min.
"""

import statistics
import subprocess
import sys
import time

RUNS = 3
COMMANDS = {
    "no-op dvc repro": ["dvc", "repro"],
    "dvc status": ["dvc", "status"],
    "forced preprocess": ["dvc", "repro", "-f", "-s", "preprocess"],
    "forced split": ["dvc", "repro", "-f", "-s", "split"],
    "forced train@tfidf_svm": ["dvc", "repro", "-f", "-s", "train@tfidf_svm"],
}
TARGETS = {"no-op dvc repro": 5.0, "full dvc repro -f": 16 * 60.0}


def seconds(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    commands, runs = dict(COMMANDS), {name: RUNS for name in COMMANDS}
    if "--full" in sys.argv:
        commands["full dvc repro -f"], runs["full dvc repro -f"] = ["dvc", "repro", "-f"], 1
    print("| command | median (s) | runs | target (s) |")
    print("|---|---|---|---|")
    failed = False
    for name, command in commands.items():
        median = statistics.median(seconds(command) for _ in range(runs[name]))
        target = TARGETS.get(name)
        failed |= target is not None and median > target
        print(f"| {name} | {median:.2f} | {runs[name]} | {target or ''} |", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
