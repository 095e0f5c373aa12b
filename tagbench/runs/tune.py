"""Hyper-parameter sweeps as DVC experiments, ranked by val macro F1 (the test split is
reported, never used to choose): on one machine through DVC's own queue, or spread over
machines (a CI job matrix) one grid point each, met again through a git remote."""

import itertools
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from tagbench.core import params
from tagbench.core.errors import TagbenchError
from tagbench.data.artifacts import metrics_path
from tagbench.evaluation import params as full
from tagbench.runs import flags
from tagbench.runs.commands import DVC

SWEEPS = Path("sweeps.yaml")


def grid_flags(grid):
    """{key: [a, b]} -> ["-S", "key=a,b", ...] (DVC expands the combinations)."""
    return [flag for key, values in grid.items() for flag in flags.set_flag(key, values)]


def check_grid(grid, base):
    """Every value of the grid set into base must pass params.yaml's declaration (a
    baseline's section: its config dataclass), so a bad sweep fails before it is queued."""
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise TagbenchError(f"{SWEEPS}: {key} must be a non-empty list of values")
        for value in values:
            override = value
            for part in reversed(key.split(".")):
                override = {part: override}
            try:
                full.validate(params.merge(base, override))
            except TagbenchError as e:
                raise TagbenchError(f"{SWEEPS}: {e}") from None


def default_grid(name):
    grids = params.read_yaml(SWEEPS)
    if name not in grids:
        raise TagbenchError(f"{SWEEPS}: no grid for {name!r}; known: {', '.join(grids)}")
    check_grid(grids[name], full.load())
    return grids[name]


def points(grid):
    """Every combination of the grid, in sweeps.yaml's order: [{key: value}]."""
    return [dict(zip(grid, values)) for values in itertools.product(*grid.values())]


def point_name(name, number):
    """The experiment of a grid's point (1-based): the same on every machine."""
    return f"{name}-{number}"


def checked_remote(remote):
    """A git remote's name or URL, refused before DVC sees it when it would read as an
    option (as revisions.resolve refuses a revision)."""
    if not remote or remote.startswith("-"):
        raise TagbenchError(f"{remote!r} is not a git remote: a name starting with '-' (or "
                            f"empty) would reach DVC as an option")
    return remote


def run_point(name, grid, number, remote=None):
    """Run one point of the grid as the experiment <name>-<number>, this baseline's stages
    only, and push it (git refs and DVC outputs) to the git remote when one is given."""
    if remote is not None:
        checked_remote(remote)
    grid_points = points(grid)
    if not 1 <= number <= len(grid_points):
        raise TagbenchError(f"{SWEEPS}: the grid of {name} has points 1 to "
                            f"{len(grid_points)}, not {number}")
    exp = point_name(name, number)
    sets = grid_flags({key: [value] for key, value in grid_points[number - 1].items()})
    print(f"{exp}: {' '.join(sets[1::2])}", flush=True)
    if subprocess.run([*DVC, "exp", "run", "-n", exp, *sets, f"evaluate@{name}"]).returncode:
        raise TagbenchError(f"dvc exp run of {exp} failed (its log is above)")
    if remote:
        dvc("exp", "push", "--force", remote, exp)
    return exp


def pull_points(name, grid, remote):
    """Pull from the git remote the experiment of every point some machine pushed; the names
    of those found (a missing point is reported, and the others still ranked)."""
    checked_remote(remote)
    found = []
    for number in range(1, len(points(grid)) + 1):
        exp = point_name(name, number)
        try:
            dvc("exp", "pull", remote, exp)
            found.append(exp)
        except TagbenchError:
            print(f"{exp}: not on {remote} (its job failed or has not pushed)", file=sys.stderr)
    if not found:
        raise TagbenchError(f"no experiment of the grid of {name} is on {remote}")
    return found


def dvc(*args):
    result = subprocess.run([*DVC, *args], capture_output=True, text=True)
    if result.returncode:
        raise TagbenchError(f"dvc {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def queue(name, grid, force=False):
    """Queue every combination of the grid as one experiment each, running only this
    baseline's stages (force: all of them again, past DVC's run-cache); returns the
    experiments' names."""
    return queued(dvc("exp", "run", "--queue", *(["--force"] if force else []),
                      *grid_flags(grid), f"evaluate@{name}"))


def queued(out):
    """The experiments' names that `dvc exp run --queue` printed."""
    return re.findall(r"Queued experiment '([^']+)'", out)


def run_queue(poll_seconds=5, jobs=1):
    """Start `jobs` queue workers and wait until nothing is queued or running. Each
    experiment's training then takes its share of the cores (params.yaml's threads: 0)."""
    dvc("queue", "start", "-j", str(jobs))
    while True:
        status = dvc("queue", "status").splitlines()
        left = sum("Queued" in line or "Running" in line for line in status)
        if not left:
            return
        print(f"queue: {left} experiment(s) queued or running", flush=True)
        time.sleep(poll_seconds)


def ranked(name, keys, experiments):
    """[(val F1, test F1, experiment, {key: value})] for the named experiments, best first."""
    table = json.loads(dvc("exp", "show", "--json"))
    rows = []
    for commit in table:
        for exp in commit.get("experiments") or []:
            if exp.get("name") not in experiments:
                continue
            data = exp["revs"][0]["data"]
            if exp["revs"][0].get("error") or data.get("status") == "Failed":
                continue
            metrics = data.get("metrics", {}).get(str(metrics_path(name)), {}).get("data")
            if not metrics:
                continue
            tree = data["params"]["params.yaml"]["data"]
            values = {key: params.dotted(tree, key) for key in keys}
            rows.append((metrics["val"]["f1"], metrics["test"]["f1"], exp.get("name"), values))
    return sorted(rows, key=lambda row: -row[0])


def table_markdown(rows):
    if not rows:
        return "no finished experiment"
    keys = list(rows[0][3])
    lines = ["| rank | experiment | " + " | ".join(keys) + " | val macro F1 | test macro F1 |",
             "|---" * (len(keys) + 4) + "|"]
    for rank, (val, test, exp, values) in enumerate(rows, 1):
        cells = " | ".join(str(values[k]) for k in keys)
        lines.append(f"| {rank} | {exp} | {cells} | {val:.4f} | {test:.4f} |")
    return "\n".join(lines)
