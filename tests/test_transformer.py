import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from tagbench.core.errors import TagbenchError
from tagbench.models import Run
from tagbench.models.neural.encoder import resolve
from tagbench.models.neural.trainer import Trainer
from tagbench.models.neural.transformer import TransformerTagger
from tagbench.models.shared.configs import TransformerConfig

# Every test here imports transformers (5 s) or builds the tiny BERT with it: `make test`,
# not the inner loop.
pytestmark = pytest.mark.slow

CLASSES = ["a", "b", "c"]
TEXTS = ["graph neural nets", "image segmentation", "language models", "object detection",
         "node classification", "text generation", "image generation gan", "graph attention"]
Y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 1],
              [1, 0, 1]], dtype=np.uint8)
HPARAMS = {"max_train_rows": 0, "seed": None, "input": "cleaned", "pooling": "mean", "max_len": 64,
           "freeze_layers": 0, "dropout_p": 0.1, "lr": 1e-3, "head_lr": 1e-2, "weight_decay": 0.01,
           "batch_size": 4,
           "num_epochs": 2, "patience": 5, "monitor": "val_loss", "scheduler": "linear",
           "scheduler_patience": 2, "warmup_ratio": 0.1, "loss_weighting": "pos_weight", "ema": 0.0,
           "ensemble": 1,
           "device": "cpu"}
RUN = Run("transformer", seed=0, threads=1)


def config(bert, **overrides):
    return TransformerConfig(**{**HPARAMS, "encoder": bert, **overrides})


def tagger(bert, **overrides):
    return TransformerTagger(CLASSES, config(bert, **overrides), RUN,
                             class_weights={"a": 1 / 3, "b": 1 / 3, "c": 1 / 4})


def untrained(bert, **overrides):
    model = tagger(bert, **overrides)
    model.fit_tokenizer(TEXTS)
    torch.manual_seed(0)
    model.module = model.build_module(pretrained=True).eval()
    return model


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_forward_shapes(bert, pooling):
    model = untrained(bert, pooling=pooling)
    batch = model.encode(TEXTS[:3])
    ids = torch.zeros((3, batch.lengths.max()), dtype=torch.long)
    for row, seq in enumerate(batch.ids):
        ids[row, :len(seq)] = torch.tensor(seq)
    assert model.module(ids, torch.as_tensor(batch.lengths)).shape == (3, len(CLASSES))


def test_mean_pooling_ignores_padding(bert):
    module = untrained(bert).module
    ids = torch.randint(5, 40, (1, 9))
    alone = module(ids, torch.tensor([9]))
    padded = torch.randint(5, 40, (3, 27))
    padded[0, :9] = ids[0]
    batched = module(padded, torch.tensor([9, 27, 20]))[0]
    assert torch.allclose(alone[0], batched, atol=1e-5)


def test_one_step_lowers_the_loss(bert):
    model = untrained(bert)
    trainer = Trainer(model.module, None, [1.0] * 3, config(bert, scheduler="plateau"), RUN)
    batch = model.encode(TEXTS)
    ids = torch.zeros((len(TEXTS), batch.lengths.max()), dtype=torch.long)
    for row, seq in enumerate(batch.ids):
        ids[row, :len(seq)] = torch.tensor(seq)
    lengths, targets = torch.as_tensor(batch.lengths), torch.as_tensor(Y, dtype=torch.float32)
    model.module.eval()  # no dropout, so the comparison is exact
    before = trainer.loss_fn(model.module(ids, lengths), targets).item()
    trainer.loss_fn(model.module(ids, lengths), targets).backward()
    trainer.optimizer.step()
    assert trainer.loss_fn(model.module(ids, lengths), targets).item() < before


def test_freeze_layers_keeps_the_bottom_fixed(bert):
    module = untrained(bert, freeze_layers=1).module
    assert not any(p.requires_grad for p in module.encoder.embeddings.parameters())
    assert not any(p.requires_grad for p in module.encoder.encoder.layer[0].parameters())
    assert all(p.requires_grad for p in module.encoder.encoder.layer[1].parameters())
    with pytest.raises(TagbenchError, match="freeze_layers = 3"):
        untrained(bert, freeze_layers=3)


def test_fit_is_deterministic_and_reloads_without_the_source(bert, tmp_path):
    first = tagger(bert).fit(TEXTS, Y, val=(TEXTS, Y))
    second = tagger(bert).fit(TEXTS, Y, val=(TEXTS, Y))
    scores = first.predict_scores(TEXTS)
    assert scores.shape == Y.shape and ((scores >= 0) & (scores <= 1)).all()
    assert np.array_equal(scores, second.predict_scores(TEXTS))
    first.save(tmp_path)
    saved = sorted(p.name for p in tmp_path.iterdir())
    assert {"weights.safetensors", "model.json", "config.json", "tokenizer.json"} <= set(saved)
    assert not any(name.endswith((".pkl", ".pickle", ".joblib")) for name in saved)
    reloaded = TransformerTagger.load(tmp_path)
    assert np.allclose(reloaded.predict_scores(TEXTS), scores, atol=1e-6)


def test_a_missing_model_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(TagbenchError, match="'no-such/model': no model found.*HF_HUB_OFFLINE"):
        tagger("no-such/model").fit_tokenizer(TEXTS)


def test_short_name_points_into_the_package():
    assert resolve("minilm").endswith("model") and resolve("some/hub-id") == "some/hub-id"


def test_packaged_minilm_scores_a_sentence(tmp_path):
    model = untrained("minilm")
    scores = model.predict_scores(["transfer learning with bert for text classification"])
    assert scores.shape == (1, 3) and np.isfinite(scores).all()
    assert model.module.encoder.config.num_hidden_layers == 6


def test_plain_bert_encoder_computes_what_transformers_does(bert):
    from transformers import AutoModel

    from tagbench.models.neural.encoder import BertEncoder, supports

    reference = AutoModel.from_pretrained(bert).eval()
    config = reference.config.to_dict()
    assert supports(config)
    plain = BertEncoder(config).eval()
    plain.load_state_dict(reference.state_dict())  # BertModel's names, q/k/v separate
    ids = torch.randint(5, 40, (3, 11))
    real = torch.arange(11)[None, :] < torch.tensor([11, 6, 2])[:, None]
    with torch.no_grad():
        expected = reference(input_ids=ids, attention_mask=real.long()).last_hidden_state
        assert torch.allclose(plain(ids, real.long())[real], expected[real], atol=1e-5)


def test_a_saved_bert_is_scored_without_importing_transformers(bert, tmp_path):
    tagger(bert).fit(TEXTS, Y, val=(TEXTS, Y)).save(tmp_path)
    check = (f"import sys; from tagbench.models.neural.transformer import TransformerTagger; "
             f"m = TransformerTagger.load({str(tmp_path)!r}); "
             f"assert type(m.module.encoder).__name__ == 'BertEncoder'; "
             f"assert m.predict_scores(['graph nets']).shape == (1, 3); "
             f"assert 'transformers' not in sys.modules, 'transformers was imported'")
    subprocess.run([sys.executable, "-c", check], check=True)


def test_an_encoder_the_plain_bert_cannot_mirror_is_scored_by_transformers(bert, tmp_path):
    model = tagger(bert).fit(TEXTS, Y, val=(TEXTS, Y))
    model.save(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps({**config, "hidden_act": "relu"}))
    reloaded = TransformerTagger.load(tmp_path)
    assert type(reloaded.module.encoder).__name__ == "BertModel"
    assert reloaded.predict_scores(TEXTS).shape == Y.shape
