"""Stage evaluate: apply a baseline's threshold to val and test; write its metrics, each
project's predicted tags, its per-class report and precision-recall curves.
Usage: python stages/evaluate.py <baseline>"""

import sys

from tagbench.errors import exits_cleanly
from tagbench.evaluation.evaluate import evaluate


@exits_cleanly
def main(name):
    evaluate(name)


if __name__ == "__main__":
    main(sys.argv[1])
