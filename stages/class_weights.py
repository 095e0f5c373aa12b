"""Stage class_weights: per-class loss weights from the train split."""

from tagbench import data
from tagbench.core.errors import exits_cleanly
from tagbench.core.io import write_json
from tagbench.data import params
from tagbench.data.weights import class_weights


@exits_cleanly
def main():
    p = params.load()
    train = data.load_split("train")
    write_json(data.CLASS_WEIGHTS, class_weights(train.y, train.classes,
                                                 p["class_weights"]["formula"]))


if __name__ == "__main__":
    main()
