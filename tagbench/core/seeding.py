"""One seeding function for every random choice of a run."""

import random
import sys

import numpy as np


def seed_everything(seed, numpy_state=None):
    """Seed Python's, numpy's and (when loaded) torch's global RNGs. numpy_state, when given,
    replaces numpy's seed: the lesson split leaves numpy where the lesson's notebook had it
    when it trained its baselines."""
    random.seed(seed)
    if numpy_state is None:
        np.random.seed(seed)
    else:
        generator, keys, pos, has_gauss, gauss = numpy_state
        np.random.set_state((generator, np.array(keys, dtype=np.uint32), pos, has_gauss, gauss))
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)


def numpy_state():
    """numpy's global RNG state as JSON-ready lists (for seed_everything's numpy_state)."""
    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    return [kind, keys.tolist(), int(pos), int(has_gauss), float(gauss)]
