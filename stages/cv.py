"""Stage cv: k-fold cross-validation of the baselines in cv.baselines (split.folds = k;
k = 1 writes a stub and costs nothing)."""

from tagbench import artifacts
from tagbench.errors import exits_cleanly
from tagbench.evaluation import cv, params
from tagbench.io import write_json


@exits_cleanly
def main():
    write_json(artifacts.CV, cv.cross_validate(params.load()))


if __name__ == "__main__":
    main()
