import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from tagbench.core.errors import TagbenchError
from tagbench.models import Run
from tagbench.models.neural.sequence import CNN, RNN, SequenceTagger, drop_tokens
from tagbench.models.neural.tagger import Encoded, collate
from tagbench.models.neural.trainer import Trainer, length_grouped_batches, make_scheduler
from tagbench.models.neural.vocabulary import Vocabulary
from tagbench.models.shared.configs import CNNConfig, RNNConfig

CLASSES = ["a", "b", "c"]
TINY = {
    "cnn": {"embedding_dim": 8, "num_filters": 4, "filter_sizes": [1, 2, 3], "hidden_dim": 8,
            "dropout_p": 0.1, "token_dropout": 0.0},
    "rnn": {"embedding_dim": 8, "rnn_hidden_dim": 6, "hidden_dim": 8, "dropout_p": 0.1,
            "readout": "last_max", "token_dropout": 0.0},
}
TRAINER = {"max_train_rows": 0, "seed": None, "input": "cleaned", "tokenizer_level": "char",
           "min_freq": 1, "max_len": 50, "lr": 0.01, "weight_decay": 0.0, "batch_size": 4,
           "num_epochs": 2, "patience": 5,
           "monitor": "val_loss", "scheduler": "plateau", "scheduler_patience": 2,
           "warmup_ratio": 0.0, "loss_weighting": "weight", "ema": 0.0, "ensemble": 1,
           "device": "cpu"}
CONFIGS = {"cnn": CNNConfig(**TRAINER, **TINY["cnn"]), "rnn": RNNConfig(**TRAINER, **TINY["rnn"])}
RUN = Run("model", seed=0, threads=1)
TEXTS = ["graph neural nets", "image segmentation", "language models", "object detection",
         "node classification", "text generation", "image generation gan", "graph attention"]
Y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 1],
              [1, 0, 1]], dtype=np.uint8)


def module(arch, vocab=20, **overrides):
    torch.manual_seed(0)
    return {"cnn": CNN, "rnn": RNN}[arch](vocab, len(CLASSES), **{**TINY[arch], **overrides})


def config(arch="cnn", **changes):
    return replace(CONFIGS[arch], **changes)


def tagger(arch, threads=1, **changes):
    return SequenceTagger(CLASSES, config(arch, **changes), Run(arch, 0, threads),
                        class_weights={"a": 1 / 3, "b": 1 / 3, "c": 1 / 4})


def test_tokenizer_round_trip(tmp_path):
    tok = Vocabulary("char").fit(["abc", "abd"])
    assert tok.token_to_index["<PAD>"] == 0 and tok.token_to_index["<UNK>"] == 1
    assert tok.decode(tok.encode("bad")) == "bad"
    assert tok.encode("z") == [1]
    tok.save(tmp_path / "t.json")
    assert Vocabulary.load(tmp_path / "t.json").encode("dab") == tok.encode("dab")
    words = Vocabulary("word").fit(["graph nets", "graph"])
    assert words.decode(words.encode("graph nets")) == "graph nets"
    frequent = Vocabulary("word").fit(["graph nets", "graph"], min_freq=2)
    assert frequent.encode("graph nets") == [2, 1]


@pytest.mark.parametrize("arch", ["cnn", "rnn"])
def test_shapes(arch):
    ids = torch.randint(2, 20, (5, 12))
    assert module(arch)(ids, torch.tensor([12, 3, 7, 1, 12])).shape == (5, len(CLASSES))


@pytest.mark.parametrize("arch, overrides", [("cnn", {}), ("cnn", {"vocab": 6}), ("rnn", {}),
                                             ("rnn", {"readout": "last"})])
def test_padding_invariance(arch, overrides):
    model = module(arch, **overrides).eval()
    vocab = overrides.get("vocab", 20)
    ids = torch.randint(2, vocab, (1, 9))
    alone = model(ids, torch.tensor([9]))
    padded = torch.zeros((3, 27), dtype=torch.long)
    padded[0, :9] = ids[0]
    padded[1:, :] = torch.randint(2, vocab, (2, 27))
    batched = model(padded, torch.tensor([9, 27, 20]))[0]
    assert torch.allclose(alone[0], batched, atol=1e-5)


def test_folded_character_embedding_computes_the_same_convolutions():
    model = module("cnn", vocab=6)  # 5 characters + padding <= 8 dimensions: folded
    assert model.fold
    ids = torch.randint(1, 6, (4, 15))
    ids[1, 9:] = 0
    folded = model.convolve(ids)
    model.fold = False
    for a, b in zip(folded, model.convolve(ids)):
        assert torch.allclose(a, b, atol=1e-5)
    folded[0].sum().backward()
    assert model.embeddings.weight.grad[0].abs().sum() == 0  # padding stays zero


def test_token_dropout_hides_known_tokens_in_training_only():
    ids = torch.randint(2, 20, (50, 40))
    ids[:, 30:] = 0
    torch.manual_seed(0)
    dropped = drop_tokens(ids, 0.25)
    changed = dropped != ids
    assert (dropped[:, 30:] == 0).all() and (dropped[changed] == 1).all()
    assert 0.2 < changed[:, :30].float().mean() < 0.3
    model = module("rnn", token_dropout=0.5, dropout_p=0.0)  # the only randomness in training
    plain = module("rnn", token_dropout=0.0, dropout_p=0.0)  # the same weights (same seed)
    lengths = torch.full((50,), 30)
    assert torch.equal(plain.train()(ids, lengths), plain.eval()(ids, lengths))
    assert torch.equal(model.eval()(ids, lengths), plain(ids, lengths))
    assert not torch.equal(model.train()(ids, lengths), plain(ids, lengths))


@pytest.mark.parametrize("arch", ["cnn", "rnn"])
def test_one_step_lowers_the_loss(arch):
    tok = Vocabulary().fit(TEXTS)
    data = Encoded([tok.encode(t) for t in TEXTS], Y)
    model = module(arch, len(tok))
    trainer = Trainer(model, collate, [1.0, 1.0, 1.0], config(arch), RUN)
    batch, targets = collate(np.arange(len(TEXTS)), data)
    model.eval()  # no dropout, so the comparison is exact
    before = trainer.loss_fn(model(**batch), targets).item()
    trainer.optimizer.zero_grad()
    trainer.loss_fn(model(**batch), targets).backward()
    trainer.optimizer.step()
    assert trainer.loss_fn(model(**batch), targets).item() < before


def test_early_stopping_restores_the_best_state(monkeypatch):
    tok = Vocabulary().fit(TEXTS)
    data = Encoded([tok.encode(t) for t in TEXTS], Y)
    trainer = Trainer(module("cnn", len(tok)), collate, [1.0] * 3,
                      config(num_epochs=6, patience=2), RUN)
    losses = iter([0.5, 0.3, 0.4, 0.6, 0.7, 0.8])
    snapshots = []
    real_predict = trainer.predict

    def fake_predict(val):
        snapshots.append({k: v.clone() for k, v in trainer.net.state_dict().items()})
        return real_predict(val)[0], next(losses)

    monkeypatch.setattr(trainer, "predict", fake_predict)
    trainer.fit(data, data)
    assert len(trainer.history) == 4  # best at epoch 2, then 2 epochs without improvement
    best = snapshots[1]
    assert all(torch.equal(best[k], v) for k, v in trainer.net.state_dict().items())


def test_a_val_loss_that_is_never_a_number_is_one_clear_error(monkeypatch):
    tok = Vocabulary().fit(TEXTS)
    data = Encoded([tok.encode(t) for t in TEXTS], Y)
    trainer = Trainer(module("cnn", len(tok)), collate, [1.0] * 3,
                      config(num_epochs=3, patience=5), RUN)
    real_predict = trainer.predict
    monkeypatch.setattr(trainer, "predict", lambda val: (real_predict(val)[0], float("nan")))
    with pytest.raises(TagbenchError, match="not a number at epoch 1 .*lower model.lr"):
        trainer.fit(data, data)
    assert len(trainer.history) == 1  # it stops at once: a diverged model does not recover


def test_a_diverged_epoch_is_never_kept_as_the_best_even_with_a_good_f1(monkeypatch):
    """Monitoring val F1, an epoch whose loss is NaN but whose F1 looks perfect is skipped."""
    tok = Vocabulary().fit(TEXTS)
    data = Encoded([tok.encode(t) for t in TEXTS], Y)
    trainer = Trainer(module("cnn", len(tok)), collate, [1.0] * 3,
                      config(num_epochs=3, patience=5, monitor="val_f1"), RUN)
    half_right = 0.9 * Y * np.array([1, 1, 0])  # one tag never found
    outputs = iter([(half_right, 0.5), (0.9 * Y, float("nan")), (0.0 * Y, 0.6)])
    snapshots = []

    def fake_predict(val):
        snapshots.append({k: v.clone() for k, v in trainer.net.state_dict().items()})
        return next(outputs)

    monkeypatch.setattr(trainer, "predict", fake_predict)
    trainer.fit(data, data)
    assert all(torch.equal(snapshots[0][k], v) for k, v in trainer.net.state_dict().items())
    assert len(trainer.history) == 2  # stopped at the diverged epoch


def test_scoring_before_fit_is_one_clear_error():
    with pytest.raises(TagbenchError, match="this cnn is not fitted yet"):
        tagger("cnn").predict_scores(TEXTS)


@pytest.mark.parametrize("arch", ["cnn", "rnn"])
def test_fit_is_deterministic_and_reloads(arch, tmp_path):
    first = tagger(arch).fit(TEXTS, Y, val=(TEXTS, Y))
    second = tagger(arch).fit(TEXTS, Y, val=(TEXTS, Y))
    scores = first.predict_scores(TEXTS)
    assert scores.shape == Y.shape and ((scores >= 0) & (scores <= 1)).all()
    assert np.array_equal(scores, second.predict_scores(TEXTS))
    assert len(first.history) == 2
    first.save(tmp_path)
    assert np.array_equal(SequenceTagger.load(tmp_path).predict_scores(TEXTS), scores)


def test_training_uses_the_threads_param_not_the_core_count():
    before = torch.get_num_threads()
    try:
        tagger("cnn", threads=3).fit(TEXTS, Y, val=(TEXTS, Y))
        assert torch.get_num_threads() == 3
    finally:
        torch.set_num_threads(before)


def test_an_artifact_from_another_version_is_one_clear_line(tmp_path):
    tagger("cnn").fit(TEXTS, Y, val=(TEXTS, Y)).save(tmp_path)
    saved = json.loads((tmp_path / "model.json").read_text())
    del saved["config"]["token_dropout"]
    (tmp_path / "model.json").write_text(json.dumps(saved))
    with pytest.raises(TagbenchError, match="model.json: missing param 'token_dropout'.*dvc repro"):
        SequenceTagger.load(tmp_path)


def test_length_grouped_batches_cover_every_index_once():
    lengths = np.random.RandomState(0).randint(1, 100, size=103)
    batches = length_grouped_batches(lengths, 8, np.random.RandomState(1), chunk_batches=4)
    assert sorted(np.concatenate(batches).tolist()) == list(range(103))
    spread = np.mean([np.ptp(lengths[b]) for b in batches])
    assert spread < np.ptp(lengths) / 2  # grouped by length


def test_linear_schedule_warms_up_then_decays_to_zero():
    linear = config(scheduler="linear", warmup_ratio=0.25, num_epochs=2)
    trainer = Trainer(module("cnn"), collate, [1.0] * 3, linear, RUN)
    scheduler = make_scheduler(trainer.optimizer, linear, steps_per_epoch=4)
    rates = []
    for _ in range(8):
        rates.append(trainer.optimizer.param_groups[0]["lr"])
        trainer.optimizer.step()
        scheduler.step()
    assert rates[0] < rates[1] == pytest.approx(TRAINER["lr"])  # 2 warm-up steps of 8
    assert rates[1] > rates[4] > rates[7] > 0
    assert trainer.optimizer.param_groups[0]["lr"] == 0


def test_loss_weighting_modes():
    from tagbench.models.neural.trainer import loss_function

    cpu = torch.device("cpu")
    assert loss_function([1.0, 3.0], "pos_weight", cpu).pos_weight.tolist() == [1.0, 3.0]
    assert loss_function([1.0, 3.0], "pos_weight_normalized", cpu).pos_weight.tolist() == [
        0.5, 1.5]
    assert loss_function([1.0, 3.0], "weight", cpu).weight.tolist() == [0.5, 1.5]
    unweighted = loss_function([1.0, 3.0], "none", cpu)
    assert unweighted.weight is None and unweighted.pos_weight is None


def test_an_ensemble_of_k_seeds_averages_their_logits_and_reloads(tmp_path):
    """k = 2: two members, the first the plain baseline's own net, the logits their mean;
    saved and loaded as one model."""
    single = tagger("cnn").fit(TEXTS, Y, val=(TEXTS, Y))
    pair = tagger("cnn", ensemble=2).fit(TEXTS, Y, val=(TEXTS, Y))
    assert len(pair.module.nets) == 2 and len(pair.history) == 4
    with torch.no_grad():
        batch, _ = collate(np.arange(len(TEXTS)), pair.encode(TEXTS))
        logits = [net(**batch) for net in pair.module.nets]
        single_logits = single.module.eval()(**batch)
    assert torch.equal(logits[0], single_logits)  # member 0 is the baseline's own run
    expected = torch.sigmoid((logits[0] + logits[1]) / 2).numpy()
    assert np.allclose(pair.predict_scores(TEXTS), expected, atol=1e-6)
    pair.save(tmp_path)
    assert np.array_equal(SequenceTagger.load(tmp_path).predict_scores(TEXTS),
                          pair.predict_scores(TEXTS))


def test_a_moving_average_of_the_weights_is_what_val_judges_and_what_is_kept():
    plain = tagger("cnn").fit(TEXTS, Y, val=(TEXTS, Y))
    averaged = tagger("cnn", ema=0.9).fit(TEXTS, Y, val=(TEXTS, Y))
    assert not np.array_equal(plain.predict_scores(TEXTS), averaged.predict_scores(TEXTS))
    assert len(averaged.history) == 2
