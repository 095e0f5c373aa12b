"""CNN training speed: seconds per epoch of tagbench's trainer against the lesson's own
training loop, side by side in one process: the same architecture (char CNN, 128 filters of
widths 1..10, FC 128), the same data (train and val of the built workspace), the same batch
size (params.yaml's cnn.batch_size) and the same number of torch threads.

The lesson's loop, as its notebook runs it: shuffled batches padded to their longest text
(at least 10 characters), no truncation, SAME padding by F.pad in forward, max-pool over the
padded length, Adam at lr 2e-4, BCEWithLogitsLoss(weight=class weights), a val pass per epoch.

Run after `make repro`. Target: ours at most 0.5x the lesson loop's seconds per epoch.
    python benchmarks/training.py [--epochs 3]
"""

import argparse
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

from tagbench import data
from tagbench.core.io import read_json
from tagbench.core.seeding import seed_everything
from tagbench.evaluation import params
from tagbench.models.neural.vocabulary import Vocabulary
from tagbench.models.shared import registry
from tagbench.models.shared.configs import module_args


class LessonCNN(nn.Module):
    """The lesson's CNN: unpadded convolutions fed a SAME-padded copy, max over all positions."""

    def __init__(self, vocab_size, num_classes, embedding_dim, num_filters, filter_sizes,
                 hidden_dim, dropout_p):
        super().__init__()
        self.filter_sizes = filter_sizes
        self.embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.conv = nn.ModuleList(nn.Conv1d(embedding_dim, num_filters, f) for f in filter_sizes)
        self.dropout = nn.Dropout(dropout_p)
        self.fc1 = nn.Linear(num_filters * len(filter_sizes), hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, num_classes)

    def forward(self, x):
        x = self.embeddings(x).transpose(1, 2)
        pooled = []
        for conv, size in zip(self.conv, self.filter_sizes):
            z = conv(F.pad(x, ((size - 1) // 2, math.ceil((size - 1) / 2))))
            pooled.append(F.max_pool1d(z, z.size(2)).squeeze(2))
        return self.fc2(self.dropout(self.fc1(torch.cat(pooled, 1))))


def lesson_batches(ids, y, batch_size, shuffle, generator):
    """The lesson's DataLoader: (shuffled) batches padded with 0 to max(longest, 10)."""
    order = torch.randperm(len(ids), generator=generator) if shuffle else torch.arange(len(ids))
    for start in range(0, len(ids), batch_size):
        chosen = order[start:start + batch_size].tolist()
        width = max(10, max(len(ids[i]) for i in chosen))
        x = torch.zeros((len(chosen), width), dtype=torch.long)
        for row, i in enumerate(chosen):
            x[row, :len(ids[i])] = torch.tensor(ids[i])
        yield x, torch.as_tensor(y[chosen], dtype=torch.float32)


def lesson_epoch_seconds(model, loss_fn, train, val, batch_size, generator):
    """One epoch of the lesson's train_step and eval_step."""
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-4)
    start = time.perf_counter()
    model.train()
    for x, y in lesson_batches(*train, batch_size, True, generator):
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for x, y in lesson_batches(*val, batch_size, False, generator):
            logits = model(x)
            loss_fn(logits, y).item()
            torch.sigmoid(logits).numpy()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    epochs = parser.parse_args().epochs
    p = params.load()
    p["cnn"] = {**p["cnn"], "num_epochs": epochs, "patience": epochs, "device": "cpu"}
    config = registry.config("cnn", p)
    train, val = data.load_split("train"), data.load_split("val")
    classes = data.load_classes()
    weights = read_json(data.CLASS_WEIGHTS)
    seed_everything(p["seed"])

    tokenizer = Vocabulary("char").fit(train.texts)
    arch = {k: v for k, v in module_args(config).items() if k != "token_dropout"}  # lesson: none
    lesson = LessonCNN(len(tokenizer), len(classes), **arch)
    loss_fn = nn.BCEWithLogitsLoss(weight=torch.tensor([weights[c] for c in classes]))
    encoded = [([tokenizer.encode(t) for t in split.texts], split.y) for split in (train, val)]
    generator = torch.Generator().manual_seed(p["seed"])
    lesson_seconds = [lesson_epoch_seconds(lesson, loss_fn, *encoded, config.batch_size,
                                           generator) for _ in range(epochs)]

    ours = registry.build("cnn", p, classes)
    ours.fit(train.texts, train.y, val=(val.texts, val.y))
    our_seconds = [row["epoch_seconds"] for row in ours.history]

    lesson_median, our_median = statistics.median(lesson_seconds), statistics.median(our_seconds)
    ratio = our_median / lesson_median
    print(f"\n| CNN, batch {config.batch_size}, {torch.get_num_threads()} threads, median of "
          f"{epochs} epochs | s / epoch |\n|---|---|\n| the lesson's loop | {lesson_median:.2f} |"
          f"\n| tagbench | {our_median:.2f} |\n| ratio (target <= 0.5) | {ratio:.2f} |")
    sys.exit(0 if ratio <= 0.5 else 1)


if __name__ == "__main__":
    main()
