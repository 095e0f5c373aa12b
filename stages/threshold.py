"""Stage threshold: choose a baseline's decision threshold on val.
Usage: python stages/threshold.py <baseline>"""

import sys

from tagbench import artifacts, thresholds
from tagbench.errors import exits_cleanly
from tagbench.evaluation import params
from tagbench.io import write_json


@exits_cleanly
def main(name):
    config = params.load()["threshold"]
    meta = artifacts.load_meta(name)
    scores, val = artifacts.load_scores(name, "val")
    choice = thresholds.choose(val.y, scores, meta, config)
    write_json(artifacts.threshold_path(name), choice)
    print(f"{name}: {choice['method']} threshold {choice.get('global', choice['threshold'])}")


if __name__ == "__main__":
    main(sys.argv[1])
