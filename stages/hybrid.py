"""Stage hybrid: one hybrid of params.yaml's `hybrids`, built on its members' trained
artifacts and stored scores (nothing retrained), then everything a baseline's threshold,
evaluate, behavior and explain stages do.  Usage: python stages/hybrid.py <hybrid>"""

import sys

from tagbench.errors import exits_cleanly
from tagbench.evaluation import behavior, explain, params
from tagbench.evaluation.evaluate import evaluate
from tagbench.models.hybrid.tagger import assemble


@exits_cleanly
def main(name):
    p = params.load()
    assemble(name, p)
    evaluate(name)
    behavior.write(name, p)
    explain.write(name, p)


if __name__ == "__main__":
    main(sys.argv[1])
