"""Stage evaluate: one trained baseline's threshold chosen on val, then its metrics on val and
test, each project's tags, its behavioural tests, explanations and cost (latency, size).
Usage: python stages/evaluate.py <baseline>"""

import sys

from tagbench.core.errors import exits_cleanly
from tagbench.evaluation import evaluate, params


@exits_cleanly
def main(name):
    p = params.load()
    evaluate.choose_threshold(name, p["threshold"])
    evaluate.assess(name, p)


if __name__ == "__main__":
    main(sys.argv[1])
