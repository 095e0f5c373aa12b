"""k-fold cross-validation: folds over train + val (test is never touched), each baseline of
cv.baselines (one cv@ stage each, depending on its own section) trained once per fold and
scored on the held-out fold with the pipeline's own threshold method, so one number per fold
and baseline; mean ± std summarise them."""

import time

import numpy as np
from tqdm import tqdm

from tagbench import data
from tagbench.core.io import read_json
from tagbench.data import split
from tagbench.models.shared import training


def folds(p):
    """The k held-out id lists, iterative-stratified over train + val."""
    splits = read_json(data.SPLITS)
    ids = splits["train"] + splits["val"]
    return split.kfold_ids(ids, data.load_ids(ids).y, p["split"]["folds"], p["split"]["order"],
                           p["seed"])


def cross_validate(name, p):
    """One baseline's {"folds": k, val_f1_mean, val_f1_std, val_f1_folds, seconds}; k = 1
    does nothing ({"folds": 1})."""
    k = p["split"]["folds"]
    if k == 1:
        return {"folds": 1}
    held_outs = folds(p)
    start, scores = time.perf_counter(), []
    for i, held_out in enumerate(tqdm(held_outs, desc=f"cv {name}", leave=False, disable=None)):
        train_ids = [x for j, fold in enumerate(held_outs) if j != i for x in fold]
        scores.append(training.train_and_score(name, p, train_ids, held_out)["val"])
    result = {"folds": k, "val_f1_mean": float(np.mean(scores)),
              "val_f1_std": float(np.std(scores, ddof=1)),
              "val_f1_folds": [round(s, 6) for s in scores],
              "seconds": round(time.perf_counter() - start, 1)}
    print(f"cv {name}: val macro F1 {np.mean(scores):.4f} ± {np.std(scores, ddof=1):.4f} "
          f"over {k} folds ({result['seconds']:.0f} s)", flush=True)
    return result

