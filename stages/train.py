"""Stage train: fit one baseline on train and score val and test.
Usage: python stages/train.py <baseline>   (a name in params.yaml's `baselines`)"""

import sys

from tagbench.core.errors import exits_cleanly
from tagbench.models.shared import params, training


@exits_cleanly
def main(name):
    training.train_stage(name, params.load())


if __name__ == "__main__":
    main(sys.argv[1])
