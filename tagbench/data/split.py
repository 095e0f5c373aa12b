"""The temporal split (the default: train on the oldest, val then test from the newer),
multi-label iterative stratified splits (scikit-multilearn) and how well they stratify, the
lesson's exact split and a dataset's own."""

import numpy as np
from skmultilearn.model_selection import IterativeStratification

from tagbench.core.errors import TagbenchError
from tagbench.core.seeding import numpy_state
from tagbench.data import SPLIT_NAMES, binarize

LESSON_SHUFFLE_SEED = 42
LESSON_SPLIT_SEED = 1234


def stratified_indices(y, first_size, order):
    """Row indices (first, second) with first holding about first_size of y's rows.

    scikit-multilearn draws from numpy's global RNG: seed it before calling.
    """
    stratifier = IterativeStratification(
        n_splits=2, order=order, sample_distribution_per_fold=[1 - first_size, first_size])
    first, second = next(stratifier.split(np.zeros((len(y), 1)), y))
    return first, second


def three_way(y, train_size, order):
    """Indices of train, val and test: train_size for train, the rest halved."""
    train, rest = stratified_indices(y, train_size, order)
    val, test = stratified_indices(y[rest], 0.5, order)
    return train, rest[val], rest[test]


def method_used(records, method):
    """The split method that applies: "given" when the dataset has its own split, "iterative"
    for "temporal" on a dataset without dates, else method."""
    if records[0]["split"]:
        return "given"
    if method == "temporal" and not any(r["date"] for r in records):
        return "iterative"
    return method


def seeded(records, method):
    """Whether the seed changes the split (only the iterative one draws)."""
    return method_used(records, method) == "iterative"


def split_ids(records, classes, method, train_size, order, seed):
    """{train, val, test: [ids]}: the dataset's own split when it has one, else the temporal
    one (iterative when the dataset has no dates), the project's stratified split or the
    lesson's exact one; the lesson's also keeps numpy's RNG state after it (its baselines
    drew from there on)."""
    method = method_used(records, method)
    if method == "given":
        return given(records)
    if method == "temporal":
        return temporal(records, train_size)
    ids = np.array([r["id"] for r in records])
    y = binarize([r["tags"] for r in records], classes)
    if method == "lesson":
        # The lesson shuffles once with seed 42, then splits order-1 with numpy seeded to 1234.
        np.random.seed(LESSON_SHUFFLE_SEED)
        order_ = np.random.permutation(len(ids))
        ids, y = ids[order_], y[order_]
        np.random.seed(LESSON_SPLIT_SEED)
        parts = three_way(y, 0.7, order=1)
        return {**{name: ids[part].tolist() for name, part in zip(SPLIT_NAMES, parts)},
                "numpy_state": numpy_state()}
    np.random.seed(seed)
    parts = three_way(y, train_size, order)
    return {name: ids[part].tolist() for name, part in zip(SPLIT_NAMES, parts)}


def temporal(records, train_size):
    """Train on the oldest train_size of the rows by date; val, then test, from the newer
    rest (val the older half): every test project is newer than anything trained on."""
    undated = [r["id"] for r in records if not r["date"]]
    if undated:
        raise TagbenchError(f"split.method temporal needs a date (dataset.date) on every row; "
                            f"{len(undated)} have none, the first {undated[0]!r} (or "
                            f"-S split.method=iterative)")
    ids = [r["id"] for r in sorted(records, key=lambda r: str(r["date"]))]  # stable: file order
    train = round(train_size * len(ids))
    val = train + (len(ids) - train) // 2
    return {"train": ids[:train], "val": ids[train:val], "test": ids[val:]}


def given(records):
    """The dataset's own split, as-is (in file order)."""
    splits = {name: [r["id"] for r in records if r["split"] == name] for name in SPLIT_NAMES}
    empty = [name for name, ids in splits.items() if not ids]
    if empty:
        raise TagbenchError(f"the dataset's own split leaves {', '.join(empty)} without a row "
                            f"(after data.sample and the label filters)")
    return splits


def missing_classes(records, classes, splits):
    """{split: [classes with no positive row in it]}, the splits missing none left out."""
    by_id = {r["id"]: r for r in records}
    missing = {name: sorted(set(classes) - {t for i in ids for t in by_id[i]["tags"]})
               for name, ids in splits.items()}
    return {name: m for name, m in missing.items() if m}


def label_distribution(records, classes, splits):
    """Per split: size, each class's share of the rows, and the mean absolute deviation of
    those shares from the whole data set's (smaller = better stratified)."""
    by_id = {r["id"]: r for r in records}
    overall = binarize([r["tags"] for r in records], classes).mean(axis=0)
    report = {}
    for name, ids in splits.items():
        share = binarize([by_id[i]["tags"] for i in ids], classes).mean(axis=0)
        report[name] = {
            "size": len(ids),
            "positives": int(round(share.sum() * len(ids))),
            "mean_abs_deviation": round(float(np.abs(share - overall).mean()), 6),
            "share": {c: round(float(s), 6) for c, s in zip(classes, share)},
        }
    return report


def kfold_ids(ids, y, k, order, seed):
    """k iterative-stratified folds of the given ids (disjoint, together all of them)."""
    np.random.seed(seed)
    stratifier = IterativeStratification(n_splits=k, order=order)
    ids = np.asarray(ids)
    return [ids[held_out].tolist() for _, held_out in stratifier.split(np.zeros((len(y), 1)), y)]
