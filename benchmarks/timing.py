"""How much each evaluate stage's timing budget buys: the latency and throughput that
`cost.timed` reads of trained baselines, repeated, at its budget (`cost.BUDGET` seconds a
measure, `cost.ROUNDS` rounds) and at smaller ones, interleaved so that a slow spell of the
machine falls on every budget alike. A smaller budget is as good only if its mean stays put
and its spread (coefficient of variation over the repeats) stays as small.

Run after `make repro`, nothing else running:
    python benchmarks/timing.py [baseline ...]   (default: tfidf_logreg cnn transformer)
"""

import argparse
import time
from unittest import mock

import numpy as np

from tagbench import data
from tagbench.evaluation import cost
from tagbench.predict import Predictor

BUDGETS = (cost.BUDGET, 0.1, 0.05)
REPEATS = 6


def repeated(tagger, texts):
    """{budget: [(latency ms, throughput, seconds taken)] * REPEATS}."""
    found = {budget: [] for budget in BUDGETS}
    for _ in range(REPEATS):
        for budget in BUDGETS:
            with mock.patch.object(cost, "BUDGET", budget):
                start = time.perf_counter()
                found[budget].append((*cost.timed(tagger, texts), time.perf_counter() - start))
    return found


def spread(values):
    return values.std() / values.mean()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baselines", nargs="*", default=["tfidf_logreg", "cnn", "transformer"])
    texts = data.load_split("val").texts
    print("| baseline | budget (s) | latency ms (cv) | throughput / s (cv) | seconds a stage |")
    print("|---|---|---|---|---|")
    for name in parser.parse_args().baselines:
        for budget, runs in repeated(Predictor(name), texts).items():
            latency, rate, taken = np.array(runs).T
            print(f"| {name} | {budget} | {latency.mean():.3f} ({spread(latency):.1%}) | "
                  f"{rate.mean():.0f} ({spread(rate):.1%}) | {taken.mean():.2f} |", flush=True)


if __name__ == "__main__":
    main()
