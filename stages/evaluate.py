"""Stage evaluate: apply a baseline's threshold to val and test; write metrics and reports.
Usage: python stages/evaluate.py <baseline>"""

import sys

from tagbench import baselines, metrics, thresholds
from tagbench.errors import exits_cleanly
from tagbench.io import read_json, write_json


@exits_cleanly
def main(name):
    threshold = read_json(baselines.threshold_path(name))["threshold"]
    results, per_class = {}, None
    for split in ("test", "val"):
        scores, truth = baselines.load_scores(name, split)
        predicted = thresholds.apply(scores, threshold)
        results[split] = metrics.overall(truth.y, predicted)
        if split == "test":
            per_class = metrics.per_class(truth.y, predicted, truth.classes, truth.ids)
    write_json(f"metrics/{name}.json", results)
    write_json(f"reports/{name}/per_class.json", per_class)
    print(f"{name}: test macro F1 {results['test']['f1']:.4f}, val {results['val']['f1']:.4f}")


if __name__ == "__main__":
    main(sys.argv[1])
