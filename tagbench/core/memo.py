"""Scores of texts, each distinct text scored once."""

import numpy as np


class Memo:
    """score(texts) -> one row per text, remembered: a call scores the texts it has not seen,
    together (a model's per-call cost, a forest's threads or a network's batching, is paid
    once, not once a text), and looks up the rest. rows: {text: row} already known."""

    def __init__(self, score, rows=None):
        self.score, self.rows = score, dict(rows or {})

    def __call__(self, texts):
        new = list(dict.fromkeys(t for t in texts if t not in self.rows))
        if new:
            self.rows.update(zip(new, self.score(new)))
        return np.array([self.rows[t] for t in texts])
