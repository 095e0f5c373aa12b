"""Stage explain: how faithful one baseline's explanations are (comprehensiveness at k = 1, 3,
5 against random deletion) over the val split, which the recommendation may read (so not
test), plus the explanations of a few test projects for reports/explanations.html.
Usage: python stages/explain.py <baseline>"""

import sys

from tagbench.errors import exits_cleanly
from tagbench.evaluation import explain, params


@exits_cleanly
def main(name):
    explain.write(name, params.load())


if __name__ == "__main__":
    main(sys.argv[1])
