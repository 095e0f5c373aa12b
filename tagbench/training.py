"""Seeding shared by every training stage."""

import random

import numpy as np

from tagbench import data, split
from tagbench.io import read_json


def seed_everything(p):
    """Seed numpy's and Python's global RNGs from `seed`.

    With split.method=lesson, leave numpy's RNG where the lesson's notebook had it when it
    trained its baselines: seeded to 1234, then consumed by its split.
    """
    random.seed(p["seed"])
    if p["split"]["method"] == "lesson":
        split.split_ids(read_json(data.PROCESSED), data.load_classes(), "lesson",
                        p["split"]["train_size"], 1, p["seed"])
    else:
        np.random.seed(p["seed"])
