"""Stage train: fit one baseline on train and score val and test.
Usage: python stages/train.py <baseline>   (a name in params.yaml's `baselines`)"""

import sys

from tagbench import baselines, params
from tagbench.errors import exits_cleanly


@exits_cleanly
def main(name):
    baselines.fit_and_predict(name, params.load())


if __name__ == "__main__":
    main(sys.argv[1])
