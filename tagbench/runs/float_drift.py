"""The float-path floor: how far each baseline moves when only the CPU's float kernels change.

Another machine of the same kind computes the same model through other kernels: torch picks
its vectorised code by CPU (ATEN_CPU_CAPABILITY), MKL, torch's BLAS, its code path by CPU
(MKL_CBWR), OpenBLAS, numpy's and scikit-learn's, its kernels by core type
(OPENBLAS_CORETYPE), and the thread count splits sums. Each PATHS entry forces one of them to
another choice than this machine's; `make drift` rebuilds every baseline under each, here, as
a DVC experiment, and compares it with the committed run. A baseline whose predictions stay
byte-identical under every path is exact: any machine must reproduce it to the last digit.
For the others, the largest change of test macro F1 is their float-path floor
(docs/comparing.md).
"""

import json
import os
import subprocess

import yaml

from tagbench.core.errors import TagbenchError
from tagbench.core.io import read_json, write_json, write_text
from tagbench.data import artifacts
from tagbench.runs import revisions
from tagbench.runs.commands import DVC

# Each verified on this machine kind to change output bits (docs/comparing.md), except
# one-thread, which changed none of the probed kernels and checks that end to end.
PATHS = {
    "aten-default": {"ATEN_CPU_CAPABILITY": "default"},  # torch: no vectorised kernels
    "mkl-compatible": {"MKL_CBWR": "COMPATIBLE"},  # torch's BLAS: its generic code path
    "openblas-sandybridge": {"OPENBLAS_CORETYPE": "Sandybridge"},  # numpy's BLAS: older kernels
    "one-thread": {"OMP_NUM_THREADS": "1"},
}
# The second machine CI reproduces on: every torch kernel changed, the one path that moved
# the most baselines' scores when it was measured (reports/float_drift.md).
SECOND_MACHINE = "aten-default"
TARGETS = ("evaluate", "hybrid")  # what a rebuild runs: every baseline's test metrics


def environment(path):
    """`KEY=VALUE ...` for one path, for `env $(tagbench float-path NAME) COMMAND`."""
    if path not in PATHS:
        raise TagbenchError(f"unknown float path {path!r}; known: {', '.join(PATHS)}")
    return " ".join(f"{key}={value}" for key, value in PATHS[path].items())


def experiment(path, commit):
    return f"float-{path}-{commit[:7]}"


def rebuild(path, commit, head):
    """Run the pipeline through TARGETS under one float path as a DVC experiment of commit
    (forced: the run-cache cannot tell float paths apart); an experiment already there for
    that commit is reused, and only HEAD can be rebuilt. Returns its name."""
    name = experiment(path, commit)
    try:
        revisions.resolve(name)
        print(f"{name}: already built, reused", flush=True)
        return name
    except TagbenchError:  # not built yet
        if commit != head:
            raise TagbenchError(f"no experiment {name}: only HEAD can be rebuilt; check out "
                                f"{commit[:10]} and run `make drift` there") from None
    print(f"{name}: rebuilding with {environment(path)}", flush=True)
    done = subprocess.run([*DVC, "exp", "run", "--temp", "-f", "-n", name, *TARGETS],
                          env={**os.environ, **PATHS[path]})
    if done.returncode:
        raise TagbenchError(f"{name}: `dvc exp run` failed (exit {done.returncode}); see above")
    return name


def outcome(commit, name):
    """{baseline: {"predictions": md5 of its val and test scores, "test": test macro F1}}
    of one run, from git alone (dvc.lock and metrics/)."""
    stages = yaml.safe_load(revisions.read_at(commit, "dvc.lock"))["stages"]
    found = {}
    for stage, entry in stages.items():
        prefix, _, baseline = stage.partition("@")
        if prefix not in ("train", "hybrid"):  # the stages that write a baseline's scores
            continue
        outs = {out["path"]: out["md5"] for out in entry["outs"]}
        metrics = json.loads(revisions.read_at(commit, artifacts.metrics_path(baseline)))
        found[baseline] = {"predictions": outs[str(artifacts.PREDICTIONS / baseline)],
                           "test": metrics["test"]["f1"]}
    if not found:
        raise TagbenchError(f"{name} has no trained baseline in its dvc.lock")
    return found


def drift(reference, runs):
    """{baseline: {"exact", "floor", "paths": {path: {"test", "difference", "same"}}}}:
    reference and runs as outcome() returns them (runs by path)."""
    result = {}
    for name, ref in sorted(reference.items()):
        paths = {path: {"test": run[name]["test"],
                        "difference": run[name]["test"] - ref["test"],
                        "same": run[name]["predictions"] == ref["predictions"]}
                 for path, run in runs.items() if name in run}
        exact = all(p["same"] for p in paths.values())
        result[name] = {"exact": exact, "paths": paths, "floor": 0.0 if exact else max(
            abs(p["difference"]) for p in paths.values())}
    return result


def measure(paths=tuple(PATHS), of="HEAD"):
    """Rebuild under each path, compare with HEAD's committed run and write
    reports/float_drift.json and .md. of: an earlier commit whose rebuilds to use instead,
    one whose pipeline computes what HEAD's does; its own committed run, built where it was
    built, then counts as one more run (another machine, when it was made on one)."""
    head, base = revisions.resolve("HEAD"), revisions.resolve(of)
    names = {path: rebuild(path, base, head) for path in paths}
    runs = {path: outcome(revisions.resolve(name), name) for path, name in names.items()}
    env = {path: PATHS[path] for path in paths}
    if base != head:
        runs[f"{base[:7]} as committed"] = outcome(base, of)
        env[f"{base[:7]} as committed"] = {}
    result = {"reference": head, "env": env, "experiments": names,
              "baselines": drift(outcome(head, "HEAD"), runs)}
    write_json(artifacts.FLOAT_DRIFT, result)
    write_text(artifacts.FLOAT_DRIFT.with_suffix(".md"), markdown(result))
    return result


def floors(path=artifacts.FLOAT_DRIFT):
    """{baseline: None when exact, else its float-path floor}; {} before `make drift`."""
    if not os.path.exists(path):
        return {}
    return {name: None if row["exact"] else row["floor"]
            for name, row in read_json(path)["baselines"].items()}


def markdown(result):
    """The drift table for reports/float_drift.md."""
    paths = list(result["env"])
    lines = [f"Every baseline rebuilt under other float paths (the same code, params and data "
             f"as {result['reference'][:10]}) and compared with that commit's run. A cell: "
             f"the change of test macro F1, `=` where the predictions are byte-identical.", "",
             *(f"- `{p}`: " + (f"`{' '.join(f'{k}={v}' for k, v in env.items())}`" if env
                               else "that commit's own run, where it was built")
               for p, env in result["env"].items()), "",
             f"| baseline | {' | '.join(paths)} | exact | float-path floor |",
             f"|---|{'---|' * len(paths)}---|---|"]
    for name, row in result["baselines"].items():
        cells = ["=" if row["paths"][p]["same"] else f"{row['paths'][p]['difference']:+.4f}"
                 for p in paths]
        lines.append(f"| {name} | {' | '.join(cells)} | {'yes' if row['exact'] else 'no'} "
                     f"| {row['floor']:.4f} |")
    return "\n".join(lines) + "\n"
