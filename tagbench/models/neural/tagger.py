"""What every torch baseline shares: token ids per text, one collate, fit with the shared
Trainer, batched scoring, and safetensors weights + model.json on disk (nothing pickled).

A subclass says how text becomes ids (fit_tokenizer, token_ids, save_tokenizer,
load_tokenizer) and which nn.Module to build (build_module); the module is called as
module(ids, lengths) -> logits. With config.ensemble = k, k modules are trained from k seeds
and their logits averaged.
"""

import numpy as np
import torch
from torch import nn

from tagbench import data
from tagbench.core.errors import TagbenchError
from tagbench.core.io import read_json
from tagbench.core.seeding import seed_everything
from tagbench.models import Tagger
from tagbench.models.neural.trainer import Trainer, resolve_device, score
from tagbench.models.shared.persist import load_weights, save_weights


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


class Ensemble(nn.Module):
    """Nets of one architecture; the logits are their mean."""

    def __init__(self, nets):
        super().__init__()
        self.nets = nn.ModuleList(nets)
        self.num_classes = nets[0].num_classes

    def forward(self, **batch):
        return torch.stack([net(**batch) for net in self.nets]).mean(dim=0)


def stacked(nets):
    """One net as itself (a one-member baseline is the plain one), more as an Ensemble."""
    return nets[0] if len(nets) == 1 else Ensemble(nets)


def member_seed(seed, i):
    """Member i's seed: the run's own for the first, then far from any other run's (seed + 1
    is another run of the baseline, which must not share a member with this one)."""
    return seed + 1_000_003 * i


class TorchTagger(Tagger):
    """A torch baseline with scikit-learn's shape: fit, predict_scores, save, load."""

    watches_val = True

    def __init__(self, classes, config, run=None, class_weights=None):
        super().__init__(classes, config)
        self.run, self.class_weights = run, class_weights
        self.module = None
        self.history = []

    @classmethod
    def create(cls, classes, config, run):
        return cls(classes, config, run, class_weights=read_json(data.CLASS_WEIGHTS))

    @property
    def name(self):
        return self.run.name if self.run else type(self.config).__name__

    def encode(self, texts, y=None):
        return Encoded(self.token_ids(texts), y)

    def fit(self, texts, y, val=None, live=None):
        if val is None:
            raise TagbenchError(f"{self.name}: fit needs the val split (early stopping)")
        self.fit_tokenizer(texts)
        train, val = self.encode(texts, y), self.encode(*val)
        weights, nets, self.history = [self.class_weights[c] for c in self.classes], [], []
        for i in range(self.config.ensemble):
            run = self.run._replace(seed=member_seed(self.run.seed, i))
            seed_everything(run.seed)
            trainer = Trainer(self.build_module(pretrained=True), collate, weights, self.config,
                              run, live=live)
            trainer.fit(train, val)
            self.history += trainer.history
            nets.append(trainer.net.cpu())
        self.module = stacked(nets)
        return self

    def predict_scores(self, texts, batch_size=None):
        if self.module is None:
            raise TagbenchError(f"this {self.name} is not fitted yet: call fit, or load a "
                                f"trained one")
        device = resolve_device(self.config.device)
        scores, _ = score(self.module.to(device), collate, self.encode(texts),
                          batch_size or self.config.batch_size, device)
        return scores.astype(np.float64)

    def save(self, directory):
        save_weights(self.module, f"{directory}/weights.safetensors")
        self.save_tokenizer(directory)
        self.save_config(directory)

    @classmethod
    def load(cls, directory):
        classes, config, _ = cls.read_config(directory)
        model = cls(classes, config)
        model.load_tokenizer(directory)
        model.module = stacked([model.build_module(pretrained=False, directory=directory)
                                for _ in range(config.ensemble)])
        load_weights(model.module, f"{directory}/weights.safetensors")
        return model.eval()

    def eval(self):
        self.module.eval()
        return self

    def num_parameters(self):
        return sum(p.numel() for p in self.module.parameters())
