"""Stage train: fit one baseline family and score val and test.
Usage: python stages/train.py random | rule_based | tfidf_<model> | cnn | rnn | transformer"""

import sys

from tagbench import baselines, params
from tagbench.errors import exits_cleanly
from tagbench.training import seed_everything


@exits_cleanly
def main(family):
    p = params.load()
    seed_everything(p)
    baselines.fit_and_predict(baselines.family_members(family), p)


if __name__ == "__main__":
    main(sys.argv[1])
