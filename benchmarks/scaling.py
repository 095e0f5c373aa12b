"""What each baseline costs as data grows: every baseline trained on GoEmotions samples of
1.4k (the projects' size), 5k, 10k, 20k and 43k train rows; training time, peak memory (the
process's peak RSS, imports and data included) and predict throughput on 2,000 dev texts.

Each (baseline, rows) runs in a fresh process, one at a time; neural baselines train one
epoch (their whole training is that times the epochs they run). A baseline whose training
passes --cap seconds is not run on larger samples: its time there is extrapolated from the
fitted exponent k (time ∝ rows^k, least squares on the log-log points).

Writes benchmarks/results/scaling.json, one log-log PNG per baseline in
benchmarks/results/scaling/, and the README's table (benchmarks/results/scaling.md). Run
alone on the machine, after `make pull`:
    python benchmarks/scaling.py [--cap 60] [--baselines a,b]
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from tagbench import data
from tagbench.core import params
from tagbench.core.io import read_json, write_json, write_text
from tagbench.core.seeding import seed_everything
from tagbench.data.artifacts import SCALING_MD
from tagbench.evaluation import params as full
from tagbench.models.shared import training

SIZES = [1_400, 5_000, 10_000, 20_000, 43_410]
PRESET = "params.goemotions.yaml"
OUT = Path("benchmarks/results")
PRACTICAL_SECONDS = 600  # "practical": one training run within 10 minutes on this machine
PREDICTED = 2_000  # dev texts scored for throughput
WATCHED = 200  # dev rows a neural baseline evaluates after its epoch (a small fixed cost)


def settings(name, rows):
    """The scratch folder's params (GoEmotions), this baseline's budget set to rows, one
    epoch."""
    p = full.load()
    section = dict(p[name], max_train_rows=rows)
    if "num_epochs" in section:
        section.update(num_epochs=1, patience=1)
    return {**p, name: section, "threads": 0}


def one(name, rows):
    """Train one baseline on `rows` train rows (the pipeline's own training path: built,
    its rows read and sampled, fitted); print its measurements as one JSON line."""
    p = settings(name, rows)
    splits = read_json(data.SPLITS)
    seed_everything(p["seed"])
    start = time.perf_counter()
    model, trained_rows = training.train(name, p, splits["train"], splits["val"][:WATCHED])
    seconds = time.perf_counter() - start
    texts = data.load_ids(splits["val"][:PREDICTED], model.input).texts
    start = time.perf_counter()
    model.predict_scores(texts)
    throughput = len(texts) / (time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": trained_rows, "seconds": seconds, "peak_mb": peak_mb,
                      "throughput": throughput}))


def exponent(points):
    """k of time ∝ rows^k (least squares in log-log), and the fit's constant."""
    if len(points) < 2:
        return None, None
    k, c = np.polyfit(np.log([p["rows"] for p in points]),
                      np.log([p["seconds"] for p in points]), 1)
    return float(k), float(c)


def scratch():
    """A work folder for the runs, so that nothing touches the workspace's outputs: params.yaml
    with the GoEmotions preset, the raw data linked, and the pipeline's own first stages
    (preprocess, stem, split, class_weights) run there once, for every run to read."""
    folder = Path(tempfile.mkdtemp(prefix="tagbench-scaling-"))
    merged = params.merge(full.load(), params.read_yaml(PRESET))
    (folder / "params.yaml").write_text(yaml.safe_dump(merged, sort_keys=False))
    (folder / "data").mkdir()
    (folder / "data" / "raw").symlink_to(Path("data/raw").resolve())
    for stage in ("preprocess", "stem", "split", "class_weights"):
        subprocess.run([sys.executable, str(Path(f"stages/{stage}.py").resolve())], cwd=folder,
                       check=True, capture_output=True)
    return folder


def measure(name, cap, folder):
    points = []
    for rows in SIZES:
        result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--one", name,
                                 str(rows)], capture_output=True, text=True, cwd=folder)
        if result.returncode:
            raise SystemExit(f"{name} at {rows} rows failed:\n{result.stderr[-2000:]}")
        points.append(json.loads(result.stdout.strip().splitlines()[-1]))
        print(f"{name} {rows}: {points[-1]['seconds']:.1f} s, {points[-1]['peak_mb']:.0f} MB, "
              f"{points[-1]['throughput']:.0f} texts/s", flush=True)
        if points[-1]["seconds"] > cap:
            break
    k, c = exponent(points[1:] if len(points) > 2 else points)  # the smallest: fixed costs
    practical = None if k is None or k <= 0 else float(np.exp(
        (np.log(PRACTICAL_SECONDS) - c) / k))
    return {"points": points, "k": k, "c": c, "practical_rows": practical,
            "extrapolated_43k": None if k is None else float(np.exp(c) * SIZES[-1] ** k)}


def plot(name, result, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    rows = [p["rows"] for p in result["points"]]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.loglog(rows, [p["seconds"] for p in result["points"]], "o-", label="measured")
    if result["k"] is not None:
        grid = np.array([SIZES[0], SIZES[-1]])
        ax.loglog(grid, np.exp(result["c"]) * grid ** result["k"], "--",
                  label=f"fit: k = {result['k']:.2f}")
    ax.axhline(PRACTICAL_SECONDS, color="grey", lw=0.8, label="10 minutes")
    ax.set(xlabel="train rows (GoEmotions)", ylabel="training seconds", title=name)
    ax.set_xticks(SIZES, [f"{s / 1000:g}k" for s in SIZES])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def table(results):
    lines = ["| baseline | 1.4k rows | 43k rows | k (time ∝ rows^k) | peak memory | "
             "predict texts / s | one run within 10 min up to (extrapolated) |",
             "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        first, last = r["points"][0], r["points"][-1]
        too_fast = last["seconds"] < 1  # timer noise, not a trend
        at43 = (f"{last['seconds']:.0f} s" if last["rows"] >= SIZES[-1] else
                f"~{r['extrapolated_43k']:.0f} s (extrapolated)")
        rows = r["practical_rows"]
        practical = ("-" if rows is None or too_fast else "> 10M rows" if rows > 1e7
                     else f"~{rows:,.0f} rows")
        k = "-" if r["k"] is None or too_fast else f"{r['k']:.2f}"
        lines.append(f"| {name} | {first['seconds']:.1f} s | {at43} | {k} | "
                     f"{last['peak_mb']:,.0f} MB at {last['rows']:,} | "
                     f"{last['throughput']:,.0f} | {practical} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=2, metavar=("BASELINE", "ROWS"), help=argparse.SUPPRESS)
    parser.add_argument("--cap", type=float, default=60,
                        help="seconds past which larger samples are extrapolated, not run")
    parser.add_argument("--baselines", help="comma-separated (default: params.yaml's)")
    parser.add_argument("--table", action="store_true", help="only rewrite the table and plots "
                        "from benchmarks/results/scaling.json")
    args = parser.parse_args()
    if args.one:
        return one(args.one[0], int(args.one[1]))
    if args.table:
        return report(read_json(OUT / "scaling.json")["baselines"])
    every = full.load()["baselines"]
    names = args.baselines.split(",") if args.baselines else every
    (OUT / "scaling").mkdir(parents=True, exist_ok=True)
    earlier = OUT / "scaling.json"  # --baselines re-measures some, keeping the others
    results = read_json(earlier)["baselines"] if args.baselines and earlier.exists() else {}
    folder = scratch()
    for name in names:
        results[name] = measure(name, args.cap, folder)
        results = {n: results[n] for n in every if n in results}
        write_json(OUT / "scaling.json", {"sizes": SIZES, "cap_seconds": args.cap,
                                          "baselines": results})
    report(results)


def report(results):
    """The plots and the README's table, from the measurements."""
    for name, result in results.items():
        plot(name, result, OUT / "scaling" / f"{name}.png")
    write_text(SCALING_MD, f"# Training cost as GoEmotions grows\n\n{table(results)}\n")
    print(table(results))


if __name__ == "__main__":
    main()
