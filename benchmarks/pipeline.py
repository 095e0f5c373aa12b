"""Pipeline speed on 2 cores, on the built workspace (run after `make repro`, nothing else
running: two torch jobs at once run 6-9 times slower). Each command is timed; the workspace is
put back after the ones that change it.

- per-stage fixed cost: what one more stage whose work is trivial adds to a forced
  `dvc repro` (DVC's own bookkeeping, the lock rewritten, the stage's Python and imports):
  class_weights (its Python 0.1 s) and train@rule_based_unstemmed (alias matching, 0.8 s
  with its imports), each added to a forced run of `stem`; the larger. Target <= 1.5 s.
- no-op `dvc repro`: target <= 5 s.
- the CNN experiment, `dvc exp run -S cnn.lr=3e-4`, all told. Target <= 75 s.
- full (named: `python benchmarks/pipeline.py full`): `dvc repro -f` of the whole DAG,
  each stage timed from DVC's announcement of it to the next one's (its lock update
  included), summed by stage kind. Targets: the whole
  <= 12 min; the stages that do not train (data, evaluate, hybrid, slices, report, ship)
  <= 20% of it, a ratio that holds on any machine; each evaluate stage <= its train stage
  + 15 s; each hybrid stage <= 15 s. Then the share's floor: each evaluate and hybrid stage
  run again in a fresh Python with its measures timed (the threshold chosen, val, test and
  the future set scored, behavioural tests, explanations, latency and throughput, the
  reference workload), the share those alone would make of the run if nothing else (DVC,
  Python, imports, model loading, the data stages, the report) cost anything.

Targets for a fresh clone (`make repro` <= 8 min, install included) and `.ci/run` (<= 30
min) are timed from outside: docs/development.md gives both.
- goemotions (named): the whole DAG on GoEmotions (params.goemotions.yaml) as a temporary
  DVC experiment, each stage timed. Target <= 20 min.
"""

import argparse
import importlib
import json
import re
import runpy
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

BASE, TRIVIAL = "stem", ["class_weights", "train@rule_based_unstemmed"]
TARGETS = {"per-stage fixed cost": 1.5, "no-op dvc repro": 5.0, "cnn experiment": 75.0,
           "full dvc repro -f": 12 * 60.0}
NON_TRAINING_SHARE, EVALUATE_OVER_TRAINING, HYBRID, GOEMOTIONS = 0.20, 15.0, 15.0, 20 * 60.0
MEASURES = {"tagbench.evaluation.evaluate": ["choose_threshold", "future", "evaluate"],
            "tagbench.evaluation.behavior": ["write"], "tagbench.evaluation.explain": ["write"],
            "tagbench.evaluation.cost": ["measure", "reference_ms"]}
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


def stage_seconds(command):
    """({stage: seconds}, all told) of one dvc repro or exp run: each stage from DVC's
    "Running stage" line to the next's."""
    marks, start = [], time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as process:
        for line in process.stdout:
            found = re.match(r"Running stage '(.+)'", line)
            if found:
                marks.append((found[1], time.perf_counter()))
                print(f"  {found[1]}", file=sys.stderr, flush=True)
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed (exit {process.returncode})")
    ends = [t for _, t in marks[1:]] + [time.perf_counter()]
    return {name: end - begin for (name, begin), end in zip(marks, ends)}, ends[-1] - start


def by_kind(stages):
    """| kind | stages | seconds | share | rows: each kind of stage (train, evaluate, ...)."""
    kinds = defaultdict(list)
    for name, taken in stages.items():
        kinds[name.split("@")[0]].append(taken)
    total = sum(stages.values())
    lines = ["| stage kind | stages | seconds | share |", "|---|---|---|---|"]
    for kind, times in sorted(kinds.items(), key=lambda item: -sum(item[1])):
        lines.append(f"| {kind} | {len(times)} | {sum(times):.1f} | {sum(times) / total:.0%} |")
    return "\n".join(lines)


def training_seconds(stages):
    return sum(t for name, t in stages.items() if name.startswith("train@"))


def full_targets(stages):
    """[(what, measured, target, met)] of one forced run's stage times."""
    total = sum(stages.values())
    rows = [("full dvc repro -f (s)", total, TARGETS["full dvc repro -f"]),
            ("non-training share", 1 - training_seconds(stages) / total, NON_TRAINING_SHARE)]
    for name, taken in stages.items():
        kind, _, baseline = name.partition("@")
        if kind == "evaluate":
            rows.append((f"{name} (s)", taken,
                         stages[f"train@{baseline}"] + EVALUATE_OVER_TRAINING))
        elif kind == "hybrid":
            rows.append((f"{name} (s)", taken, HYBRID))
    return [(what, value, target, value <= target) for what, value, target in rows]


def timed_stages(command):
    """stage_seconds of command, its stages printed by kind and one by one."""
    stages, taken = stage_seconds(command)
    print(by_kind(stages) + "\n")
    print("| stage | seconds |\n|---|---|")
    print("\n".join(f"| {name} | {t:.1f} |" for name, t in stages.items()) + "\n")
    return stages, taken


def measures_seconds(stage):
    """Run one evaluate@ or hybrid@ stage in this process, each of its MEASURES timed; print
    {"module.function": seconds} (tagbench.evaluation's modules) as JSON."""
    spent = defaultdict(float)

    def timed(key, function):
        def call(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - start
        return call

    for module_name, functions in MEASURES.items():
        module = importlib.import_module(module_name)
        for function in functions:
            key = f"{module_name.removeprefix('tagbench.evaluation.')}.{function}"
            setattr(module, function, timed(key, getattr(module, function)))
    kind, name = stage.split("@")
    sys.argv = [f"stages/{kind}.py", name]
    runpy.run_path(sys.argv[0], run_name="__main__")
    print(json.dumps(spent))


def measures(stages):
    """{stage: {"module.function": seconds}} of each evaluate@ and hybrid@ stage's MEASURES,
    each stage run again in a fresh Python (the cost metrics it rewrites put back)."""
    costs = {path: path.read_bytes() for path in Path("metrics/cost").glob("*.json")}
    probe = "import sys; sys.path.insert(0, 'benchmarks'); import pipeline; " \
            "pipeline.measures_seconds(sys.argv[1])"
    found = {}
    for stage in stages:
        if stage.split("@")[0] in ("evaluate", "hybrid"):
            out = subprocess.run([sys.executable, "-c", probe, stage], capture_output=True,
                                 text=True, check=True).stdout
            found[stage] = json.loads(out.splitlines()[-1])
    for path, content in costs.items():
        path.write_bytes(content)
    return found


def floor(stages):
    """[(what, measured, target, met)]: the non-training share if the measuring stages cost
    only their measures and nothing else cost anything; the measures printed by function."""
    found = measures(stages)
    by_measure = defaultdict(float)
    for spent in found.values():
        for key, seconds in spent.items():
            by_measure[key] += seconds
    alone = sum(by_measure.values())
    print(f"| measure, in {len(found)} stages | seconds |\n|---|---|")
    print("\n".join(f"| {key} | {t:.1f} |" for key, t in
                    sorted(by_measure.items(), key=lambda item: -item[1])))
    print(f"| all | {alone:.1f} |\n")
    share = alone / (alone + training_seconds(stages))
    return [("non-training share, floor: measures alone", share, NON_TRAINING_SHARE,
             share <= NON_TRAINING_SHARE)]


def full():
    stages = timed_stages(["dvc", "repro", "-f"])[0]
    return full_targets(stages) + floor(stages)


def goemotions():
    """The whole DAG on GoEmotions (params.goemotions.yaml) as a temporary experiment."""
    preset = subprocess.run(["tagbench", "preset", "params.goemotions.yaml"],
                            capture_output=True, text=True, check=True).stdout.split()
    _, taken = timed_stages(["dvc", "exp", "run", "--temp", "-n",
                             f"goemotions-{int(time.time())}", *preset])
    return [("goemotions whole DAG (s)", taken, GOEMOTIONS, taken <= GOEMOTIONS)]


def main():
    measures = {"fixed": ("per-stage fixed cost", per_stage), "no-op": ("no-op dvc repro", no_op),
                "cnn": ("cnn experiment", cnn_experiment)}
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    named = {"full": full, "goemotions": goemotions}
    parser.add_argument("what", nargs="*", choices=[*measures, *named], default=list(measures),
                        help="what to measure (default: all but full and goemotions)")
    rows = []
    for what in parser.parse_args().what:
        if what in named:
            rows += named[what]()
            continue
        name, measure = measures[what]
        taken = measure()
        rows.append((f"{name} (s)", taken, TARGETS[name], taken <= TARGETS[name]))
    print("| what | measured | target |")
    print("|---|---|---|")
    for what, value, target, met in rows:
        print(f"| {what} | {value:.2f} | {target:.2f}{'' if met else ' ✗'} |")
    sys.exit(0 if all(met for *_, met in rows) else 1)


if __name__ == "__main__":
    main()
