"""What every torch baseline shares: token ids per text, one collate, fit with the shared
Trainer, batched scoring, and a state_dict + model.json on disk (nothing pickled).

A subclass says how text becomes ids (fit_tokenizer, token_ids, save_tokenizer,
load_tokenizer) and which nn.Module to build (build_module); the module is called as
module(ids, lengths) -> logits.
"""

import numpy as np
import torch

from tagbench import threads
from tagbench.errors import TagbenchError
from tagbench.io import read_json, write_json
from tagbench.trainer import Trainer, resolve_device, score, set_seeds


class Encoded:
    """Token ids of a list of texts (each at least one token long) and their labels."""

    def __init__(self, ids, y=None):
        self.ids = [list(i) or [1] for i in ids]
        self.lengths = np.array([len(i) for i in self.ids])
        self.y = y


def collate(indices, data):
    """Pad the chosen examples with 0 to their longest: {ids, lengths}, targets."""
    width = int(data.lengths[indices].max())
    ids = torch.zeros((len(indices), width), dtype=torch.long)
    for row, i in enumerate(indices):
        ids[row, :data.lengths[i]] = torch.tensor(data.ids[i])
    batch = {"ids": ids, "lengths": torch.as_tensor(data.lengths[indices])}
    targets = None if data.y is None else torch.as_tensor(data.y[indices], dtype=torch.float32)
    return batch, targets


def padding_mask(ids, lengths):
    """True at the padded positions of a batch."""
    return torch.arange(ids.shape[1], device=ids.device)[None, :] >= lengths[:, None]


class SavedHparams(dict):
    """Hyper-parameters read from a model.json: asking for one it lacks is one line naming
    the file, not a KeyError."""

    def __init__(self, values, path):
        super().__init__(values)
        self.path = path

    def __missing__(self, key):
        raise TagbenchError(f"{self.path} has no hyper-parameter {key!r}: another version of "
                            f"tagbench wrote it; run `dvc repro`")


class TorchTagger:
    """A torch baseline with scikit-learn's shape: fit, predict_scores, save, load."""

    input, output, default_threshold = "cleaned", "scores", 0.5
    watches_val = True  # fit takes the val split for early stopping and curves

    def __init__(self, classes, arch, hparams, class_weights=None):
        self.classes, self.arch, self.hparams = list(classes), arch, dict(hparams)
        self.class_weights = class_weights
        self.module = None
        self.history = []

    def encode(self, texts, y=None):
        return Encoded(self.token_ids(texts), y)

    def fit(self, texts, y, val, live=None):
        self.fit_tokenizer(texts)
        set_seeds(self.hparams["seed"])
        torch.set_num_threads(threads.count(self.hparams["threads"]))
        self.module = self.build_module(pretrained=True)
        trainer = Trainer(self.module, collate, [self.class_weights[c] for c in self.classes],
                          self.hparams, live=live, name=self.arch)
        trainer.fit(self.encode(texts, y), self.encode(*val))
        self.history = trainer.history
        self.module = trainer.model.cpu()
        return self

    def predict_scores(self, texts, batch_size=None):
        if self.module is None:
            raise TagbenchError(f"this {self.arch} is not fitted yet: call fit, or load a "
                                f"trained one")
        device = resolve_device(self.hparams["device"])
        scores, _ = score(self.module.to(device), collate, self.encode(texts),
                          batch_size or self.hparams["batch_size"], device)
        return scores.astype(np.float64)

    def save(self, directory):
        torch.save(self.module.state_dict(), f"{directory}/weights.pt")
        self.save_tokenizer(directory)
        write_json(f"{directory}/model.json", {
            "classes": self.classes, "arch": self.arch, "hparams": self.hparams})

    @classmethod
    def load(cls, directory):
        model = cls(**read_json(f"{directory}/model.json"))
        model.hparams = SavedHparams(model.hparams, f"{directory}/model.json")
        model.load_tokenizer(directory)
        model.module = model.build_module(pretrained=False, directory=directory)
        model.module.load_state_dict(torch.load(f"{directory}/weights.pt", weights_only=True))
        return model.eval()

    def eval(self):
        self.module.eval()
        return self

    def num_parameters(self):
        return sum(p.numel() for p in self.module.parameters())
