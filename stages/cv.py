"""Stage cv: k-fold cross-validation of one baseline of cv.baselines (split.folds = k;
k = 1 writes a stub). Usage: python stages/cv.py <baseline>"""

import sys

from tagbench.core.errors import exits_cleanly
from tagbench.core.io import write_json
from tagbench.data import artifacts
from tagbench.evaluation import params
from tagbench.studies import cv


@exits_cleanly
def main(name):
    write_json(artifacts.cv_path(name), cv.cross_validate(name, params.load()))


if __name__ == "__main__":
    main(sys.argv[1])
