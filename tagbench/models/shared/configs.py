"""Every baseline's hyper-parameters, declared once: one frozen dataclass per kind of model,
each field with the check its value must pass (nanoGPT's GPTConfig, with scikit-learn's
validation). params.yaml holds the values; the model reads its config, and params
validation, saved models and the sweeps check against the same declaration.

A new hyper-parameter is one line here plus its value in params.yaml.
"""

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import ClassVar

from tagbench.core.checks import (
    BOOL,
    INT_OR_NULL,
    LIST,
    POSITIVE,
    SHARE,
    STR,
    STR_OR_NULL,
    Choice,
    Int,
    Num,
    validate,
)

INPUT = Choice("cleaned", "stemmed")  # which text a baseline reads
ENCODER_INPUT = Choice("raw", "cleaned", "stemmed")  # a pretrained encoder may read it as written


def hp(check, module=False):
    """A hyper-parameter and the check its value passes; module=True: also an argument of the
    torch nn.Module."""
    return field(metadata={"check": check, "module": module})


def nested(config):
    """A group of hyper-parameters with its own dataclass."""
    return field(metadata={"check": config, "module": False})


def schema(config):
    """{name: Check, or a nested schema} of a config class: what params validation reads."""
    return {f.name: schema(f.metadata["check"]) if is_dataclass(f.metadata["check"])
            else f.metadata["check"] for f in fields(config)}


def parse(config, values, prefix="", source="params.yaml"):
    """A config built from a mapping after checking every value against the declaration;
    source names the file (params.yaml, or a trained model's model.json) in errors."""
    validate(values, schema(config), prefix, source)
    return _build(config, values)


def _build(config, values):
    return config(**{f.name: _build(f.metadata["check"], values[f.name])
                     if is_dataclass(f.metadata["check"]) else values[f.name]
                     for f in fields(config)})


def module_args(config):
    """The hyper-parameters the nn.Module takes (fields declared with module=True)."""
    return {f.name: getattr(config, f.name) for f in fields(config) if f.metadata["module"]}


def as_dict(config):
    return asdict(config)


@dataclass(frozen=True)
class Budget:
    """What every baseline has: a training budget and a seed. Over the budget, the train
    stage trains on a seeded random sample of that many train rows and says so (rows, not
    seconds: a time budget would make the result depend on the machine's speed). The seed
    moves this baseline's own random choices and nothing else (the split stays), which is
    what `tagbench compare --seeds` replicates over."""
    max_train_rows: int = hp(Int(0))  # 0 = every train row
    seed: int | None = hp(INT_OR_NULL)  # null: params.yaml's seed


@dataclass(frozen=True)
class RandomConfig(Budget):
    strategy: str = hp(Choice("uniform", "weighted"))  # p = 0.5, or train's share of positives


@dataclass(frozen=True)
class RuleBasedConfig(Budget):
    input: str = hp(INPUT)  # stemmed: the aliases are stemmed too
    match: str = hp(Choice("token", "substring"))
    mine_min_count: int = hp(Int(0))  # > 0: aliases mined from train (RuleBasedTagger.mine)
    mine_min_precision: float = hp(SHARE)
    mine_max_words: int = hp(Int(1))


@dataclass(frozen=True)
class VectorizerConfig:
    analyzer: str = hp(Choice("word", "char", "char_wb"))
    ngram_min: int = hp(Int(1))
    ngram_max: int = hp(Int(1))
    min_df: int = hp(Int(1))
    max_df: float = hp(Num(0, 1, open_low=True))
    sublinear_tf: bool = hp(BOOL)
    max_features: int = hp(Int(0))


@dataclass(frozen=True)
class TfidfConfig(Budget):
    """A TF-IDF vectorizer fitted on train feeding one scikit-learn classifier (which one:
    the subclass's `classifier`)."""
    classifier: ClassVar[str]
    input: str = hp(INPUT)
    vectorizer: VectorizerConfig = nested(VectorizerConfig)


@dataclass(frozen=True)
class LogregConfig(TfidfConfig):
    classifier: ClassVar[str] = "logreg"
    C: float = hp(POSITIVE)
    class_weight: str = hp(STR_OR_NULL)
    max_iter: int = hp(Int(1))


@dataclass(frozen=True)
class KnnConfig(TfidfConfig):
    classifier: ClassVar[str] = "knn"
    n_neighbors: int = hp(Int(1))
    weights: str = hp(Choice("uniform", "distance"))
    metric: str = hp(Choice("cosine", "euclidean", "minkowski"))


@dataclass(frozen=True)
class ForestConfig(TfidfConfig):
    classifier: ClassVar[str] = "rf"
    n_estimators: int = hp(Int(1))
    max_depth: int = hp(INT_OR_NULL)
    min_samples_leaf: int = hp(Int(1))
    class_weight: str = hp(STR_OR_NULL)


@dataclass(frozen=True)
class BoostingConfig(TfidfConfig):
    classifier: ClassVar[str] = "gbm"
    n_estimators: int = hp(Int(1))
    learning_rate: float = hp(POSITIVE)
    max_depth: int = hp(Int(1))


@dataclass(frozen=True)
class SvmConfig(TfidfConfig):
    classifier: ClassVar[str] = "svm"
    C: float = hp(POSITIVE)
    class_weight: str = hp(STR_OR_NULL)


@dataclass(frozen=True)
class NaiveBayesConfig(TfidfConfig):
    """Complement naive Bayes (Rennie et al. 2003), made for imbalanced text classes."""
    classifier: ClassVar[str] = "nb"
    alpha: float = hp(POSITIVE)  # additive smoothing


@dataclass(frozen=True)
class TrainerConfig(Budget):
    """The shared trainer's settings (tagbench.models.neural.trainer)."""
    lr: float = hp(POSITIVE)
    weight_decay: float = hp(Num(0))
    batch_size: int = hp(Int(1))
    num_epochs: int = hp(Int(1))
    patience: int = hp(Int(1))  # epochs without a better monitored number before stopping
    monitor: str = hp(Choice("val_loss", "val_f1"))
    scheduler: str = hp(Choice("plateau", "linear"))
    scheduler_patience: int = hp(Int(0))
    warmup_ratio: float = hp(SHARE)
    loss_weighting: str = hp(Choice("weight", "pos_weight", "pos_weight_normalized", "none"))
    ema: float = hp(Num(0, 1, open_high=True))  # 0: off; else the weights' moving-average decay
    ensemble: int = hp(Int(1))  # k nets trained from k seeds, their logits averaged
    device: str = hp(Choice("auto", "cpu", "cuda"))


@dataclass(frozen=True)
class TokensConfig:
    """How the CNN and the GRU turn text into token ids (a tokenizer fitted on train)."""
    input: str = hp(INPUT)
    tokenizer_level: str = hp(Choice("char", "word"))
    min_freq: int = hp(Int(1))
    max_len: int = hp(Int(1))


@dataclass(frozen=True)
class CNNConfig(TrainerConfig, TokensConfig):
    embedding_dim: int = hp(Int(1), module=True)
    num_filters: int = hp(Int(1), module=True)
    filter_sizes: list = hp(LIST, module=True)
    hidden_dim: int = hp(Int(1), module=True)
    dropout_p: float = hp(SHARE, module=True)
    token_dropout: float = hp(SHARE, module=True)


@dataclass(frozen=True)
class RNNConfig(TrainerConfig, TokensConfig):
    embedding_dim: int = hp(Int(1), module=True)
    rnn_hidden_dim: int = hp(Int(1), module=True)
    readout: str = hp(Choice("last", "last_max"), module=True)
    hidden_dim: int = hp(Int(1), module=True)
    dropout_p: float = hp(SHARE, module=True)
    token_dropout: float = hp(SHARE, module=True)


@dataclass(frozen=True)
class EncoderConfig(Budget):
    """A pretrained encoder: minilm (packaged), a local folder or a hub id."""
    input: str = hp(ENCODER_INPUT)
    encoder: str = hp(STR)
    pooling: str = hp(Choice("mean", "cls"))
    max_len: int = hp(Int(1))  # WordPiece tokens kept per text


@dataclass(frozen=True)
class TransformerConfig(TrainerConfig, EncoderConfig):
    freeze_layers: int = hp(Int(0))  # encoder layers (from the bottom) kept frozen
    dropout_p: float = hp(SHARE)
    head_lr: float = hp(POSITIVE)  # the new classification head's learning rate


@dataclass(frozen=True)
class EmbeddingConfig(EncoderConfig):
    normalize: bool = hp(BOOL)  # scale each text's vector to length 1
    batch_size: int = hp(Int(1))  # texts encoded at once
    device: str = hp(Choice("auto", "cpu", "cuda"))
    C: float = hp(POSITIVE)
    class_weight: str = hp(STR_OR_NULL)
    max_iter: int = hp(Int(1))


@dataclass(frozen=True)
class HybridConfig:
    """A learned baseline and keyword rules together, from their trained artifacts (no
    retraining): the rules' hits raise the model's scores, by how much chosen on val."""
    model: str = hp(STR)  # the learned member: a baseline in `baselines` with scores
    rules: str = hp(STR)  # the rules member: a rule_based_* baseline in `baselines`
    boosts: list = hp(LIST)  # raises tried on val beside the union and the model alone,
    #                          each a share of the model's val score range
