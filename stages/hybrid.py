"""Stage hybrid: one hybrid of params.yaml's `hybrids`, built on its members' trained
artifacts and stored scores (nothing retrained, its threshold chosen on val), then all that
a baseline's evaluate stage measures.  Usage: python stages/hybrid.py <hybrid>"""

import sys

from tagbench.core.errors import exits_cleanly
from tagbench.evaluation import evaluate, params
from tagbench.models.hybrid.tagger import assemble


@exits_cleanly
def main(name):
    p = params.load()
    evaluate.assess(name, p, assemble(name, p))


if __name__ == "__main__":
    main(sys.argv[1])
