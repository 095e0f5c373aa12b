"""One model-agnostic trainer for every neural baseline (CNN, RNN, transformer).

A model is an nn.Module called as model(**batch) -> logits, where batch is a dict of tensors
made by the caller's collate function. The trainer owns the loss (BCEWithLogitsLoss with
class weights), Adam, ReduceLROnPlateau, early stopping on val loss that keeps a real copy of
the best weights, length-grouped batches, progress and per-epoch logging with dvclive.
"""

import copy
import os
import random
import time

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from tagbench import metrics


def resolve_device(name):
    """auto: CUDA when present, else CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def set_seeds(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(os.cpu_count() or 1)


def length_grouped_batches(lengths, batch_size, rng=None, chunk_batches=20):
    """Batches of indices with similar lengths, so padding stays small.

    With rng: shuffle, sort within chunks of chunk_batches batches, shuffle the batches.
    Without: sorted by length (for evaluation; the caller restores the order).
    """
    lengths = np.asarray(lengths)
    if rng is None:
        order = np.argsort(lengths, kind="stable")
        return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    order = rng.permutation(len(lengths))
    chunk = batch_size * chunk_batches
    batches = []
    for start in range(0, len(order), chunk):
        part = order[start:start + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        batches += [part[i:i + batch_size] for i in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def loss_function(class_weights, mode, device):
    """BCEWithLogitsLoss weighted per class: 'weight' scales each class's loss (the lesson's),
    'pos_weight' scales only its positive examples; weights normalised to mean 1."""
    w = torch.tensor(class_weights, dtype=torch.float32, device=device)
    w = w / w.mean()
    if mode == "weight":
        return nn.BCEWithLogitsLoss(weight=w)
    if mode == "pos_weight":
        return nn.BCEWithLogitsLoss(pos_weight=w)
    return nn.BCEWithLogitsLoss()


@torch.no_grad()
def score(model, collate, data, batch_size, device, loss_fn=None):
    """(sigmoid scores in the data's order, mean loss when loss_fn and targets are given)."""
    model.eval()
    scores = np.zeros((len(data.lengths), model.num_classes), dtype=np.float32)
    total = 0.0
    for indices in length_grouped_batches(data.lengths, batch_size):
        batch, targets = collate(indices, data)
        logits = model(**{k: v.to(device) for k, v in batch.items()})
        if loss_fn is not None and targets is not None:
            total += loss_fn(logits, targets.to(device)).item() * len(indices)
        scores[indices] = torch.sigmoid(logits).cpu().numpy()
    return scores, total / len(data.lengths)


class Trainer:
    """Train `model` on encoded examples; collate(indices, examples) -> (batch dict, targets)."""

    def __init__(self, model, collate, class_weights, config, live=None, name="model"):
        self.config = config
        self.device = resolve_device(config["device"])
        self.model = model.to(self.device)
        self.collate = collate
        self.loss_fn = loss_function(class_weights, config["loss_weighting"], self.device)
        self.optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"],
                                          weight_decay=config.get("weight_decay", 0.0))
        self.scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
            self.optimizer, mode="min", factor=0.1, patience=config["scheduler_patience"])
        self.live, self.name = live, name
        self.history = []

    def train_epoch(self, data, rng, epoch):
        self.model.train()
        total, count = 0.0, 0
        batches = length_grouped_batches(data.lengths, self.config["batch_size"], rng)
        for indices in tqdm(batches, desc=f"{self.name} epoch {epoch}", leave=False):
            batch, targets = self.collate(indices, data)
            self.optimizer.zero_grad()
            logits = self.model(**{k: v.to(self.device) for k, v in batch.items()})
            loss = self.loss_fn(logits, targets.to(self.device))
            loss.backward()
            self.optimizer.step()
            total += loss.item() * len(indices)
            count += len(indices)
        return total / count

    def predict(self, data):
        return score(self.model, self.collate, data, self.config["batch_size"], self.device,
                     self.loss_fn)

    def fit(self, train, val):
        """Train until val loss stops improving for `patience` epochs; keep the best weights."""
        rng = np.random.RandomState(self.config["seed"])
        best_loss, best_state, waited = float("inf"), None, 0
        for epoch in range(1, self.config["num_epochs"] + 1):
            start = time.perf_counter()
            train_loss = self.train_epoch(train, rng, epoch)
            val_scores, val_loss = self.predict(val)
            val_f1 = metrics.overall(val.y, (val_scores > 0.5).astype(int))["f1"]
            lr = self.optimizer.param_groups[0]["lr"]
            self.scheduler.step(val_loss)
            seconds = time.perf_counter() - start
            self.log(epoch, train_loss=train_loss, val_loss=val_loss, val_f1=val_f1, lr=lr,
                     epoch_seconds=seconds)
            if val_loss < best_loss:
                best_loss, best_state, waited = val_loss, copy.deepcopy(self.model.state_dict()), 0
            else:
                waited += 1
                if waited >= self.config["patience"]:
                    print(f"{self.name}: early stop after epoch {epoch}, "
                          f"best val loss {best_loss:.5f}")
                    break
        self.model.load_state_dict(best_state)
        return self

    def log(self, epoch, **values):
        self.history.append({"epoch": epoch, **values})
        print(f"{self.name} epoch {epoch:3d} | train loss {values['train_loss']:.5f} | "
              f"val loss {values['val_loss']:.5f} | val macro F1 {values['val_f1']:.4f} | "
              f"lr {values['lr']:.1e} | {values['epoch_seconds']:.1f} s", flush=True)
        if self.live is not None:
            for key, value in values.items():
                self.live.log_metric(key, value)
            self.live.next_step()
