"""Stage split: train/val/test ids, temporal by default (tagbench/data/split.py)."""

from tagbench import data
from tagbench.core.errors import exits_cleanly
from tagbench.core.io import read_json, write_json
from tagbench.data import artifacts, params, split


@exits_cleanly
def main():
    p = params.load()
    records, classes = read_json(data.PROCESSED), read_json(data.CLASSES)
    s = p["split"]
    splits = split.split_ids(records, classes, s["method"], s["train_size"], s["order"], p["seed"])
    used = splits["method"] = split.method_used(records, s["method"])
    report = split.label_distribution(records, classes, {n: splits[n] for n in data.SPLIT_NAMES})
    write_json(data.SPLITS, splits)
    write_json(artifacts.SPLIT_DISTRIBUTION, report)
    missing = split.missing_classes(records, classes, {n: splits[n] for n in data.SPLIT_NAMES})
    write_json(artifacts.SPLIT_STATS, {
        name: {**{k: v for k, v in r.items() if k != "share"},
               "missing_classes": missing.get(name, [])} for name, r in report.items()})
    if used != s["method"] and used == "iterative":
        print("split.method temporal: the dataset has no dates (dataset.date), so iterative")
    print(f"split ({used}): " + ", ".join(f"{n} {r['size']}" for n, r in report.items()))
    for name, absent in missing.items():
        print(f"warning: {len(absent)} class(es) with no {name} row: {', '.join(absent[:5])}")


if __name__ == "__main__":
    main()
