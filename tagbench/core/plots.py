"""PNG figures (matplotlib, no display)."""

from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def training_curves(histories, path):
    """Per baseline (name -> {curve: values per epoch}), one row: train and val loss, and
    val macro F1, per epoch. No baseline that trains in epochs: a figure that says so."""
    if not histories:
        fig = plt.figure(figsize=(5, 1))
        fig.text(0.5, 0.5, "no baseline here trains in epochs", ha="center")
        return save(fig, path)
    fig, axes = plt.subplots(len(histories), 2, figsize=(10, 3.5 * len(histories)),
                             squeeze=False)
    for (name, curves), (loss_ax, f1_ax) in zip(histories.items(), axes):
        loss_ax.plot(curves["train_loss"], label="train")
        loss_ax.plot(curves["val_loss"], label="val")
        loss_ax.set(xlabel="epoch", ylabel="loss", title=f"{name} loss")
        loss_ax.legend()
        f1_ax.plot(curves["val_f1"], color="tab:green")
        f1_ax.set(xlabel="epoch", ylabel="val macro F1 (cut 0.5)", title=f"{name} val macro F1")
    save(fig, path)


def save(fig, path):
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def pr_curves(curves, path, title=""):
    """Precision against recall, one line per entry of curves (label -> plot records)."""
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    for label, records in curves.items():
        ax.plot([r["recall"] for r in records], [r["precision"] for r in records], label=label)
    ax.set(xlabel="recall (micro)", ylabel="precision (micro)", xlim=(0, 1), ylim=(0, 1.02),
           title=f"{title} precision-recall".strip())
    ax.legend(fontsize=7)
    save(fig, path)


def heatmap(values, rows, columns, path, title="", differences=False):
    """values[i][j] for rows × columns as colours, each cell written out: scores in [0, 1], or
    with differences, signed values around 0 (red below, blue above)."""
    fig, ax = plt.subplots(figsize=(max(4.0, 1.2 + 0.32 * len(columns) + (
        2.0 if differences else 0)), 1.5 + 0.3 * len(rows)))
    limit = (np.nanmax(np.abs(values)) or 1.0) if differences else 1.0
    image = ax.imshow(values, cmap="RdBu" if differences else "viridis",
                      vmin=-limit if differences else 0, vmax=limit, aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=90, fontsize=7)
    ax.set_yticks(range(len(rows)), rows, fontsize=7)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if differences:
                label, dark = f"{value:+.2f}", abs(value) > limit / 2
            else:
                label, dark = (f"{value:.2f}"[1:] if value < 1 else "1"), value < 0.5
            ax.text(j, i, label, ha="center", va="center", fontsize=5,
                    color="white" if dark else "black")
    fig.colorbar(image, ax=ax, fraction=0.02)
    ax.set_title(title)
    save(fig, path)


LABEL_STEPS = 500  # adjustText's steps moving labels apart


def tradeoff_scatter(rows, front, path, recommended=None):
    """Val macro F1 (what chooses) with its 95% interval as an error bar against latency (log
    x), marker area by model size, the Pareto front drawn, every point labelled where it can be read
    (adjustText moves crowded labels apart, with a line to their point; a fixed number of its
    steps, not its default second of wall clock, so the figure does not depend on the machine).
    rows: dicts with name, val_f1, val_f1_low, val_f1_high, latency_ms, size_mb."""
    from adjustText import adjust_text

    fig, ax = plt.subplots(figsize=(9, 6))
    x, y = [r["latency_ms"] for r in rows], [r["val_f1"] for r in rows]
    sizes = [30 + 400 * (r["size_mb"] / max(max(x["size_mb"] for x in rows), 1e-9)) ** 0.5
             for r in rows]
    ax.errorbar(x, y, yerr=[[r["val_f1"] - r["val_f1_low"] for r in rows],
                            [r["val_f1_high"] - r["val_f1"] for r in rows]],
                fmt="none", ecolor="grey", elinewidth=1, capsize=3, alpha=0.7,
                label="95% bootstrap interval")
    points = ax.scatter(x, y, s=sizes, alpha=0.5)
    labels = [ax.text(r["latency_ms"], r["val_f1"], r["name"] + (" (recommended)"
                      if r["name"] == recommended else ""), fontsize=7,
                      fontweight="bold" if r["name"] == recommended else "normal")
              for r in rows]
    on_front = sorted((r for r in rows if r["name"] in front), key=lambda r: r["latency_ms"])
    ax.plot([r["latency_ms"] for r in on_front], [r["val_f1"] for r in on_front], "r--",
            label="Pareto front (val F1, latency, size)")
    ax.set_xscale("log")
    ax.set(xlabel="latency, ms per project at batch 1 (log)",
           ylabel="val macro F1 (chooses; test in the table)",
           title="F1 against latency; marker area ~ model size on disk")
    ax.legend(fontsize=8, loc="lower right")
    adjust_text(labels, objects=points, ax=ax, expand=(1.2, 1.6), iter_lim=LABEL_STEPS,
                arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.5})
    save(fig, path)
