"""What a trained baseline costs to run: its latency and throughput through the whole predict
path, its size on disk and parameters, measured by its own evaluate stage (so a change to one
baseline re-times that baseline alone), beside a reference workload timed in a fresh
Python at the same time: the report rescales each latency by the machine's speed at the time it
was taken (`rescaled`), so latencies measured at different times compare."""

import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from tagbench.core.io import read_json, write_json
from tagbench.data import artifacts

BUDGET = 0.25  # seconds of calls a round times for each measure: 5 timings of each kept the
               # old fixed count's (100 calls) mean within 4% and its spread, at 1/4 the time
LEAST, MOST = 10, 1000  # calls a round times at batch 1 however long, or short, they take
ROUNDS = 3  # each keeps its least round: a slow spell of the machine falls on one round
BATCH = 64
PASS = 512  # the first val texts a pass in batches covers (8 batches; all of v1's 216): whole
            # passes over GoEmotions' 5,426 cost each baseline three passes of its dev split


def folder_mb(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def parts(tagger):
    """The trained baselines a baseline runs on: itself, and a hybrid's members too, whose
    size and training time a hybrid's are."""
    members = getattr(tagger.model, "members", {})
    return [tagger.name, *(getattr(tagger.model.config, role) for role in members)]


def workload_ms(repeats=30):
    """The least time of a fixed workload (lowercasing, joining, splitting and sorting 20,000
    words: the text handling every predict path starts with), in ms."""
    words = [f"Word{i % 997}" for i in range(20000)]
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        sorted(" ".join(w.lower() for w in words).split())
        best = min(best, time.perf_counter() - start)
    return 1000 * best


def reference_ms():
    """How fast this machine is now: workload_ms in a fresh Python, beside the stage. In the
    stage's own process it moved by up to 33% between stages (after their other work), in a
    fresh one by about 2%."""
    probe = "from tagbench.evaluation.cost import workload_ms; print(workload_ms())"
    return float(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                check=True).stdout)


def durations(call, least, most=MOST):
    """Seconds of call(0), call(1), ... until BUDGET seconds are spent: at least least calls,
    at most most."""
    taken, start = [], time.perf_counter()
    while len(taken) < least or (time.perf_counter() - start < BUDGET and len(taken) < most):
        begin = time.perf_counter()
        call(len(taken))
        taken.append(time.perf_counter() - begin)
    return taken


def timed(tagger, texts, batch_size=BATCH):
    """(median ms per text at batch 1, texts per second over whole passes of the first PASS
    texts in batches of batch_size): the best of ROUNDS rounds, each timing its measures for
    BUDGET seconds."""
    texts = texts[:PASS]
    batches = [texts[i:i + batch_size] for i in range(0, len(texts), batch_size)]
    tagger.predict(batches[0])  # warm-up: lazy imports, first-call allocations
    single_ms, rate = np.inf, 0.0
    for _ in range(ROUNDS):
        single = durations(lambda i: tagger.predict([texts[i % len(texts)]]), LEAST)
        passes = durations(lambda _: [tagger.predict(batch) for batch in batches], 1)
        single_ms = min(single_ms, 1000 * float(np.median(single)))
        rate = max(rate, len(texts) * len(passes) / sum(passes))
    return single_ms, rate


def measure(tagger, texts, reference):
    """One baseline's cost, written to metrics/cost/<name>.json (measured: never compared
    for equality, kept out of the model's outputs), beside reference: reference_ms() taken
    in this process before the model was loaded."""
    latency, throughput = timed(tagger, texts)
    names = parts(tagger)
    cost = {"latency_ms": latency, "throughput": throughput,
            "reference_ms": reference,
            "size_mb": sum(folder_mb(artifacts.model_dir(n)) for n in names),
            "parameters": int(tagger.model.num_parameters()), "parts": names}
    if len(names) > 1:  # a hybrid: how val combined its members (the report shows it)
        cost["hybrid"] = {"members": names[1:], "how": tagger.model.how,
                          "val_f1": tagger.model.val_f1}
    write_json(artifacts.cost_path(tagger.name), cost)
    return cost


def rescaled(costs):
    """{name: cost} with latency and throughput brought to one machine speed, the median
    reference among them: each scaled by its own reference workload's time."""
    middle = float(np.median([c["reference_ms"] for c in costs.values()]))
    return {name: {**c, "latency_ms": c["latency_ms"] * middle / c["reference_ms"],
                   "throughput": c["throughput"] * c["reference_ms"] / middle}
            for name, c in costs.items()}


def load(names):
    return rescaled({name: read_json(artifacts.cost_path(name)) for name in names})
