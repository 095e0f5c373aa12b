"""Baselines without learning: random tags and alias matching."""

import numpy as np

from tagbench import data
from tagbench.core.io import read_json
from tagbench.data import text as textlib
from tagbench.models import Tagger


class RandomTagger(Tagger):
    """Each tag drawn independently with probability p: 0.5 (uniform) or the share of positive
    cells in train (weighted, the lesson's single p)."""

    input, output = "cleaned", "labels"

    def __init__(self, classes, config, p=None):
        super().__init__(classes, config)
        self.p = p

    def fit(self, texts, y, val=None, live=None):
        self.p = 0.5 if self.config.strategy == "uniform" else float(np.mean(y))
        return self

    def predict_scores(self, texts):
        """Draws from numpy's global RNG (seeded by the stage), exactly as the lesson did."""
        size = (len(texts), len(self.classes))
        if self.config.strategy == "uniform":
            return np.random.randint(low=0, high=2, size=size).astype(np.float32)
        return np.random.choice(np.arange(2), size=size, p=[1 - self.p, self.p]).astype(np.float32)

    def num_parameters(self):
        return 1  # p

    def save(self, directory):
        self.save_config(directory, p=self.p)

    @classmethod
    def load(cls, directory):
        classes, config, state = cls.read_config(directory)
        return cls(classes, config, **state)


class RuleBasedTagger(Tagger):
    """A tag is predicted when its name or one of its aliases (cleaned like the text, stemmed
    when the baseline reads stemmed text) occurs in the text; its parents in play come with it.

    match='token' matches whole words and phrases; 'substring' is the lesson's raw `in`.
    """

    output = "labels"

    def __init__(self, classes, config, vocabulary):
        super().__init__(classes, config)
        self.vocabulary = vocabulary
        self.aliases = self._aliases()

    @classmethod
    def create(cls, classes, config, run):
        return cls(classes, config, read_json(data.VOCABULARY))

    def _normalise(self, phrase):
        phrase = textlib.clean(phrase)
        return textlib.stem(phrase) if self.input == "stemmed" else phrase

    def _aliases(self):
        """{normalised alias: tag}, in class order (a later alias overwrites, as in the lesson)."""
        aliases = {}
        for tag in self.classes:
            aliases[self._normalise(tag)] = tag
            for alias in self.vocabulary[tag]["aliases"]:
                aliases[self._normalise(alias)] = tag
        aliases.pop("", None)
        return aliases

    def tags(self, text):
        """The set of tags this text matches."""
        padded = f" {text} "
        found = set()
        for alias, tag in self.aliases.items():
            hit = f" {alias} " in padded if self.config.match == "token" else alias in text
            if hit:
                found.add(tag)
                found.update(self.vocabulary[tag]["parents"])
        return found & set(self.classes)

    def predict_scores(self, texts):
        index = {c: i for i, c in enumerate(self.classes)}
        scores = np.zeros((len(texts), len(self.classes)), dtype=np.float32)
        for row, text in enumerate(texts):
            for tag in self.tags(text):
                scores[row, index[tag]] = 1
        return scores

    def num_parameters(self):
        return len(self.aliases)  # one rule per alias

    def save(self, directory):
        self.save_config(directory, vocabulary=self.vocabulary)

    @classmethod
    def load(cls, directory):
        classes, config, state = cls.read_config(directory)
        return cls(classes, config, **state)
