"""One model-agnostic trainer for every neural baseline (CNN, RNN, transformer).

A net is an nn.Module called as net(**batch) -> logits, where batch is a dict of tensors
made by the caller's collate function. The trainer owns the loss (BCEWithLogitsLoss with
class weights), AdamW, the learning-rate schedule (ReduceLROnPlateau on val loss, or linear
warm-up then linear decay per batch, the usual one for fine-tuning), early stopping on val
loss (or val F1) that keeps a real copy of the best weights, optionally on an exponential
moving average of the weights (config.ema), length-grouped batches, progress and per-epoch
logging with dvclive.
"""

import copy
import math
import time

import numpy as np
import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from tqdm import tqdm

from tagbench.core import metrics
from tagbench.core.errors import TagbenchError


def resolve_device(name):
    """auto: CUDA when present, else CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


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
    """BCEWithLogitsLoss weighted per class from the class_weights stage.

    weight: each class's whole loss scaled (the lesson's), weights normalised to mean 1.
    pos_weight: each class's positive examples count their weight as given (how many
    negatives one positive is worth), so it wants a ratio formula such as sqrt_ratio.
    pos_weight_normalized: the same with the weights normalised to mean 1 (only their
    ratios matter: rare tags' positives count more, common tags' less). none: unweighted.
    """
    w = torch.tensor(class_weights, dtype=torch.float32, device=device)
    if mode == "weight":
        return nn.BCEWithLogitsLoss(weight=w / w.mean())
    if mode == "pos_weight":
        return nn.BCEWithLogitsLoss(pos_weight=w)
    if mode == "pos_weight_normalized":
        return nn.BCEWithLogitsLoss(pos_weight=w / w.mean())
    return nn.BCEWithLogitsLoss()


def parameter_groups(net, config):
    """Trainable parameters; a net with a pretrained body and a new head (it defines
    parameter_groups) trains the head at config.head_lr."""
    if hasattr(net, "parameter_groups"):
        return net.parameter_groups(config.lr, config.head_lr)
    return [p for p in net.parameters() if p.requires_grad]


def make_scheduler(optimizer, config, steps_per_epoch):
    """plateau: lr /= 10 after scheduler_patience epochs without a better val loss.
    linear: lr rises over the first warmup_ratio of all steps, then falls to 0 at the end."""
    if config.scheduler == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimizer, mode="min", factor=0.1, patience=config.scheduler_patience)
    total = steps_per_epoch * config.num_epochs
    warmup = max(1, round(config.warmup_ratio * total))
    decay = max(1, total - warmup)
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / decay)))


@torch.no_grad()
def score(net, collate, data, batch_size, device, loss_fn=None):
    """(sigmoid scores in the data's order, mean loss when loss_fn and targets are given)."""
    net.eval()
    scores = np.zeros((len(data.lengths), net.num_classes), dtype=np.float32)
    total = 0.0
    for indices in length_grouped_batches(data.lengths, batch_size):
        batch, targets = collate(indices, data)
        logits = net(**{k: v.to(device) for k, v in batch.items()})
        if loss_fn is not None and targets is not None:
            total += loss_fn(logits, targets.to(device)).item() * len(indices)
        scores[indices] = torch.sigmoid(logits).cpu().numpy()
    return scores, total / len(data.lengths)


class Trainer:
    """Train `net` on encoded examples; collate(indices, examples) -> (batch dict, targets).
    config: a configs.TrainerConfig; run: the baseline's name, seed and threads."""

    def __init__(self, net, collate, class_weights, config, run, live=None):
        self.config, self.seed, self.name = config, run.seed, run.name
        torch.set_num_threads(run.threads)
        self.device = resolve_device(config.device)
        self.net = net.to(self.device)
        self.collate = collate
        self.loss_fn = loss_function(class_weights, config.loss_weighting, self.device)
        # fused: one kernel over every weight a step, not a loop over the tensors: 16 ms
        # against 80-94 ms a step for MiniLM's 22.6M weights on 2 cores (a sixth of its
        # training); the same update, which differs from the loop's in the last float bits
        self.optimizer = torch.optim.AdamW(parameter_groups(net, config), lr=config.lr,
                                           weight_decay=config.weight_decay, fused=True)
        self.scheduler = None
        self.average = (AveragedModel(self.net, multi_avg_fn=get_ema_multi_avg_fn(config.ema),
                                      use_buffers=True) if config.ema else None)
        self.live = live
        self.history = []

    @property
    def evaluated(self):
        """The weights val judges and the best epoch keeps: their moving average, when on."""
        return self.net if self.average is None else self.average.module

    def train_epoch(self, data, rng, epoch):
        self.net.train()
        total, count = 0.0, 0
        batches = length_grouped_batches(data.lengths, self.config.batch_size, rng)
        # a bar on a terminal only: in DVC's and CI's logs, the one line per epoch below
        for indices in tqdm(batches, desc=f"{self.name} epoch {epoch}", leave=False,
                            disable=None):
            batch, targets = self.collate(indices, data)
            self.optimizer.zero_grad()
            logits = self.net(**{k: v.to(self.device) for k, v in batch.items()})
            loss = self.loss_fn(logits, targets.to(self.device))
            loss.backward()
            self.optimizer.step()
            if self.average is not None:
                self.average.update_parameters(self.net)
            if self.config.scheduler == "linear":
                self.scheduler.step()
            total += loss.item() * len(indices)
            count += len(indices)
        return total / count

    def predict(self, data):
        return score(self.evaluated, self.collate, data, self.config.batch_size, self.device,
                     self.loss_fn)

    def fit(self, train, val):
        """Train until the monitored val number (config.monitor: val_loss, or val_f1 at
        the 0.5 cut) stops improving for `patience` epochs; keep the best weights."""
        rng = np.random.RandomState(self.seed)
        self.scheduler = make_scheduler(self.optimizer, self.config,
                                        math.ceil(len(train.lengths) / self.config.batch_size))
        monitor = self.config.monitor
        best, best_state, waited = float("inf"), None, 0
        for epoch in range(1, self.config.num_epochs + 1):
            start = time.perf_counter()
            train_loss = self.train_epoch(train, rng, epoch)
            val_scores, val_loss = self.predict(val)
            val_f1 = metrics.overall(val.y, (val_scores > 0.5).astype(int))["f1"]
            lr = self.optimizer.param_groups[0]["lr"]
            if self.config.scheduler == "plateau":
                self.scheduler.step(val_loss)
            seconds = time.perf_counter() - start
            self.log(epoch, train_loss=train_loss, val_loss=val_loss, val_f1=val_f1, lr=lr,
                     epoch_seconds=seconds)
            if not math.isfinite(val_loss):  # diverged: it will not recover
                if best_state is None:
                    raise TagbenchError(f"{self.name}: the val loss is not a number at epoch "
                                        f"{epoch} (training diverged): lower {self.name}.lr in "
                                        f"params.yaml")
                print(f"{self.name}: the val loss is not a number at epoch {epoch} (training "
                      f"diverged): stopping with the best epoch, {monitor} {abs(best):.5f}")
                break
            badness = val_loss if monitor == "val_loss" else -val_f1
            if badness < best:
                best, best_state, waited = badness, copy.deepcopy(self.evaluated.state_dict()), 0
            else:
                waited += 1
                if waited >= self.config.patience:
                    print(f"{self.name}: early stop after epoch {epoch}, "
                          f"best {monitor} {abs(best):.5f}")
                    break
        self.net.load_state_dict(best_state)
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
