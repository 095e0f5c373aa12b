"""Every baseline the pipeline can build: its name, the class that implements it and the
dataclass of its params.yaml section (a section named after the baseline).

Each train, threshold and evaluate stage is `<stage>@<baseline>` over params.yaml's
`baselines`; `baselines.build`, cv, noise, predict and tune all go through this table.
Adding a baseline: its model module, one line here, its section in params.yaml.
"""

import importlib
from dataclasses import dataclass

from tagbench import configs
from tagbench.errors import TagbenchError


@dataclass(frozen=True)
class Baseline:
    model: str  # "module:Class"
    config: type  # the dataclass of its params section

    @property
    def module(self):
        return self.model.split(":")[0]

    def model_class(self):
        """The class, imported on first use (torch only for the baselines that need it)."""
        module, name = self.model.split(":")
        return getattr(importlib.import_module(module), name)


SIMPLE, TFIDF = "tagbench.models.simple", "tagbench.models.tfidf:TfidfTagger"
NEURAL = "tagbench.models.neural:NeuralTagger"

BASELINES = {
    "random_uniform": Baseline(f"{SIMPLE}:RandomTagger", configs.RandomConfig),
    "random_weighted": Baseline(f"{SIMPLE}:RandomTagger", configs.RandomConfig),
    "rule_based_unstemmed": Baseline(f"{SIMPLE}:RuleBasedTagger", configs.RuleBasedConfig),
    "rule_based_stemmed": Baseline(f"{SIMPLE}:RuleBasedTagger", configs.RuleBasedConfig),
    "tfidf_logreg": Baseline(TFIDF, configs.LogregConfig),
    "tfidf_knn": Baseline(TFIDF, configs.KnnConfig),
    "tfidf_rf": Baseline(TFIDF, configs.ForestConfig),
    "tfidf_gbm": Baseline(TFIDF, configs.BoostingConfig),
    "tfidf_svm": Baseline(TFIDF, configs.SvmConfig),
    "cnn": Baseline(NEURAL, configs.CNNConfig),
    "rnn": Baseline(NEURAL, configs.RNNConfig),
    "transformer": Baseline("tagbench.models.transformer:TransformerTagger",
                            configs.TransformerConfig),
    "embed_logreg": Baseline("tagbench.models.embeddings:EmbeddingTagger",
                             configs.EmbeddingConfig),
}

# Baselines that draw from numpy's one global RNG stream, in this order, as the lesson's
# notebook drew them: each one's stage replays the whole stream and keeps its own draws.
RNG_STREAMS = (("random_uniform", "random_weighted"),)


def get(name):
    if name not in BASELINES:
        raise TagbenchError(f"unknown baseline {name!r}; known: {', '.join(BASELINES)}")
    return BASELINES[name]


def stream(name):
    """The baselines whose draws a stage replays to build this one (itself alone, mostly)."""
    return next((s for s in RNG_STREAMS if name in s), (name,))


def config(name, p):
    """The baseline's config from its params.yaml section, checked."""
    return configs.parse(get(name).config, p[name], prefix=f"{name}.")
