"""Stage threshold: choose a baseline's decision threshold on val.
Usage: python stages/threshold.py <baseline>"""

import sys

from tagbench import baselines, params, thresholds
from tagbench.errors import exits_cleanly
from tagbench.io import write_json


@exits_cleanly
def main(name):
    method = params.load()["threshold"]["method"]
    meta = baselines.load_meta(name)
    scores, val = baselines.load_scores(name, "val")
    choice = thresholds.choose(val.y, scores, meta, method)
    write_json(baselines.threshold_path(name), choice)
    print(f"{name}: threshold {choice['threshold']:.4f} ({choice['method']})")


if __name__ == "__main__":
    main(sys.argv[1])
