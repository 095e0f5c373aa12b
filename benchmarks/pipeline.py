"""Pipeline speed: medians over several runs of DVC commands on the built workspace.

Run after `make repro` (make bench does the pull; the workspace must be up to date).
Targets: a no-op `dvc repro` in <= 5 s.
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
    "forced tfidf@svm": ["dvc", "repro", "-f", "-s", "tfidf@svm"],
}
TARGETS = {"no-op dvc repro": 5.0}


def seconds(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    print(f"| command | median of {RUNS} (s) | target (s) |")
    print("|---|---|---|")
    failed = False
    for name, command in COMMANDS.items():
        median = statistics.median(seconds(command) for _ in range(RUNS))
        target = TARGETS.get(name)
        failed |= target is not None and median > target
        print(f"| {name} | {median:.2f} | {target or ''} |", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
