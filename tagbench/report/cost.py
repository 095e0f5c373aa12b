"""What a trained baseline costs to run: its latency and throughput through the whole predict
path, and its size on disk."""

import time
from pathlib import Path

import numpy as np
from tqdm import tqdm


def folder_mb(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def parts(tagger):
    """The trained baselines a baseline runs on: itself, and a hybrid's members too, whose
    size and training time a hybrid's are."""
    members = getattr(tagger.model, "members", {})
    return [tagger.name, *(getattr(tagger.model.config, role) for role in members)]


LATENCY_TEXTS = 500  # the first texts of val timed (all of the projects' 215)
ROUNDS = 3  # each round times every baseline in turn; each keeps its least round median


def latencies(taggers, texts, batch_size=64):
    """{name: (ms per project at batch 1, projects per second at batch_size)} over the first
    LATENCY_TEXTS texts, through the whole predict path: cleaning, the model, the threshold.
    Per project: the median over the texts. ROUNDS rounds, each timing every baseline in turn,
    and each baseline keeps its best round: a slow spell of the machine (one round's median
    moved from 9 to 16 ms) falls on one round of a few baselines, not on one baseline's
    every measurement, and is left out."""
    texts = texts[:LATENCY_TEXTS]
    best = {name: (np.inf, 0.0) for name in taggers}
    with tqdm(total=ROUNDS * len(taggers), desc="latency", disable=None) as bar:
        for _ in range(ROUNDS):
            for name, tagger in taggers.items():
                ms, rate = timed(tagger, texts, batch_size)
                best[name] = (min(best[name][0], ms), max(best[name][1], rate))
                bar.update()
    return best


def timed(tagger, texts, batch_size):
    """One round: (median ms per text at batch 1, texts per second at batch_size)."""
    tagger.predict(texts[:batch_size])  # warm-up: lazy imports, first-call allocations
    single = []
    for text in texts:
        start = time.perf_counter()
        tagger.predict([text])
        single.append(time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(0, len(texts), batch_size):
        tagger.predict(texts[i:i + batch_size])
    return 1000 * float(np.median(single)), len(texts) / (time.perf_counter() - start)
