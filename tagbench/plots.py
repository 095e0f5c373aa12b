"""PNG figures (matplotlib, no display)."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def training_curves(history, path, title=""):
    """Train and val loss, and val macro F1, per epoch."""
    epochs = [h["epoch"] for h in history]
    fig, (loss_ax, f1_ax) = plt.subplots(1, 2, figsize=(10, 4))
    loss_ax.plot(epochs, [h["train_loss"] for h in history], label="train")
    loss_ax.plot(epochs, [h["val_loss"] for h in history], label="val")
    loss_ax.set(xlabel="epoch", ylabel="loss", title=f"{title} loss")
    loss_ax.legend()
    f1_ax.plot(epochs, [h["val_f1"] for h in history], color="tab:green")
    f1_ax.set(xlabel="epoch", ylabel="val macro F1 (cut 0.5)", title=f"{title} val macro F1")
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
