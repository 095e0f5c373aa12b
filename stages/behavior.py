"""Stage behavior: run one baseline on the behavioural suite (data/behavioral/*.jsonl) through
predict's Predictor; pass rates per test type as metrics, failed case ids as a report.
Usage: python stages/behavior.py <baseline>"""

import sys

from tagbench.errors import exits_cleanly
from tagbench.evaluation import behavior, params


@exits_cleanly
def main(name):
    behavior.write(name, params.load())


if __name__ == "__main__":
    main(sys.argv[1])
