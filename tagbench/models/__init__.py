"""Every baseline behind one interface, scikit-learn's shape: `create` from its config,
fit(texts, y, val=None, live=None), predict_scores(texts), save(dir), load(dir).

A baseline declares which text it reads (`input`: cleaned or stemmed, from its config),
whether it outputs scores to threshold or hard 0/1 labels (`output`), and the cut its own
predict would use (`default_threshold`). Which class implements which baseline:
tagbench.models.shared.registry.
"""

from collections import namedtuple

from tagbench.core.errors import TagbenchError
from tagbench.core.io import read_json, write_json
from tagbench.models.shared import configs

Run = namedtuple("Run", "name seed threads")  # what a model is trained as, not what it is


class Tagger:
    """The base every baseline's model derives from: classes, a config, model.json on disk."""

    output, default_threshold = "scores", 0.5
    watches_val = False  # True: fit takes the val split (early stopping) and logs curves

    def __init__(self, classes, config):
        self.classes, self.config = list(classes), config

    @classmethod
    def create(cls, classes, config, run):
        """A fresh, unfitted model (run: the baseline's name, seed and threads)."""
        return cls(classes, config)

    @property
    def input(self):
        return self.config.input

    def fit(self, texts, y, val=None, live=None):
        return self

    def save_config(self, directory, **state):
        """model.json: the classes, the config (with its dataclass) and any learned state."""
        write_json(f"{directory}/model.json", {
            "classes": self.classes, "config_class": type(self.config).__name__,
            "config": configs.as_dict(self.config), **state})

    @staticmethod
    def read_config(directory):
        """(classes, config, the rest of model.json); a config that no longer passes its
        declaration (a hyper-parameter added since) is one line naming the file."""
        path = f"{directory}/model.json"
        saved = read_json(path)
        config_class = getattr(configs, saved.pop("config_class"))
        try:
            config = configs.parse(config_class, saved.pop("config"), source=path)
        except TagbenchError as e:
            raise TagbenchError(f"{e}: another version of tagbench wrote it; run `dvc repro`") \
                from None
        return saved.pop("classes"), config, saved
