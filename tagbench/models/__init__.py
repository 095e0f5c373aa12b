"""Every baseline behind one interface: fit(texts, y), predict_scores(texts), save(dir), load(dir).

A baseline declares which text it reads (`input`: cleaned or stemmed), whether it outputs
scores to threshold or hard 0/1 labels (`output`), and the cut its own predict would use
(`default_threshold`).
"""

from tagbench.models.simple import RandomTagger, RuleBasedTagger
from tagbench.models.tfidf import TfidfModel

KINDS = {cls.kind: cls for cls in (RandomTagger, RuleBasedTagger, TfidfModel)}

__all__ = ["KINDS", "RandomTagger", "RuleBasedTagger", "TfidfModel"]
