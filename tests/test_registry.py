"""The baseline registry and the config dataclasses: one declaration per baseline."""

import dataclasses

import pytest

from conftest import REPO
from tagbench.core.errors import TagbenchError
from tagbench.evaluation import params
from tagbench.models.shared import configs, registry


def test_every_registered_baseline_has_a_valid_section_and_is_in_the_pipeline():
    p = params.load(REPO / "params.yaml")
    assert list(p["baselines"]) == list(registry.BASELINES)
    for name in registry.BASELINES:
        config = registry.config(name, p)
        assert dataclasses.is_dataclass(config)
        assert configs.as_dict(config) == p[name]  # every key declared, every one read


def test_a_config_is_checked_against_its_declaration():
    section = {**params.load(REPO / "params.yaml")["cnn"], "lr": 0}
    with pytest.raises(TagbenchError, match="params.yaml: cnn.lr = 0 is out of range"):
        configs.parse(configs.CNNConfig, section, prefix="cnn.")


def test_module_arguments_are_the_fields_marked_for_the_module():
    cnn = registry.config("cnn", params.load(REPO / "params.yaml"))
    assert set(configs.module_args(cnn)) == {"embedding_dim", "num_filters", "filter_sizes",
                                             "hidden_dim", "dropout_p", "token_dropout"}


def test_rng_streams_replay_the_lessons_order():
    assert registry.stream("random_weighted") == ("random_uniform", "random_weighted")
    assert registry.stream("cnn") == ("cnn",)
    with pytest.raises(TagbenchError, match="unknown baseline 'bert'"):
        registry.get("bert")
