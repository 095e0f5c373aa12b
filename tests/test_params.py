import pytest
import yaml

from conftest import REPO, set_params
from tagbench.core.errors import TagbenchError
from tagbench.evaluation import params


def test_repo_params_are_valid():
    params.load(REPO / "params.yaml")


@pytest.mark.parametrize("key, value, message", [
    ("split.train_size", 1.5, "split.train_size = 1.5 is out of range (0, 1)"),
    ("split.train_size", 0, "split.train_size = 0 is out of range"),
    ("dataset.format", "xml", "dataset.format = 'xml' must be one of"),
    ("dataset.text", [], "dataset.text = []: expected a non-empty list of field names"),
    ("dataset.files", {"train": "a.csv"}, "a given split names one file for each of train, val"),
    ("dataset.label_format", "ids", "dataset.labels_file = None: label_format ids needs"),
    ("dataset.unlabeled", "keep", "dataset.unlabeled = 'keep' must be one of"),
    ("data.min_tag_freq", "thirty", "data.min_tag_freq = 'thirty' must be an integer"),
    ("tfidf_svm.C", -1.0, "tfidf_svm.C = -1.0 is out of range"),
    ("tfidf_knn.n_neighbors", 0, "tfidf_knn.n_neighbors = 0 is out of range"),
    ("tfidf_svm.vectorizer.analyzer", "chars",
     "tfidf_svm.vectorizer.analyzer = 'chars' must be one of"),
    ("cnn.dropout_p", 1.0, "cnn.dropout_p = 1.0 is out of range [0, 1)"),
    ("embed_logreg.pooling", "max", "embed_logreg.pooling = 'max' must be one of"),
    ("cnn.new_knob", 1, "unknown param 'cnn.new_knob'"),
    ("baselines", {"cnn": "neural", "bert": "neural"},
     "baselines names an unknown baseline 'bert'"),
    ("baselines", {"cnn": "tfidf"},
     "baselines.cnn = 'tfidf': cnn is built by tagbench/models/neural/, so its family is"),
    ("baselines", ["cnn"], "baselines = ['cnn'] must be a mapping of baseline -> family"),
    ("baselines", {}, "baselines is empty"),
    ("noise.baselines", ["bert"], "noise.baselines names an unknown baseline 'bert'"),
    ("noise.baselines", "cnn", "noise.baselines = 'cnn' must be a list"),
    ("text.lower", "yes", "text.lower = 'yes' must be true or false"),
    ("split.method", "random", "split.method = 'random' must be one of"),
    ("hybrids", {"cnn": {"model": "cnn", "rules": "rule_based_stemmed", "boosts": []}},
     "hybrids.cnn: cnn is a baseline's name"),
    ("hybrids", {"h": ["tfidf_svm"]}, "hybrids.h must be a mapping"),
    ("hybrids.hybrid_svm.rules", "tfidf_logreg",
     "hybrids.hybrid_svm.rules = 'tfidf_logreg': expected a rule_based baseline of `baselines`"),
    ("hybrids.hybrid_svm.model", "rule_based_unstemmed",
     "hybrids.hybrid_svm.model = 'rule_based_unstemmed': expected a learned baseline"),
    ("baselines", {"rule_based_stemmed": "simple", "tfidf_logreg": "tfidf"},
     "hybrids.hybrid_svm.model = 'tfidf_svm': expected a learned baseline of `baselines` (a "
     "run without it leaves the hybrid out too: -S '~hybrids.hybrid_svm')"),
    ("hybrids.hybrid_svm.boosts", [0.5, 2.0], "hybrids.hybrid_svm.boosts = 2.0 is out of range"),
    ("hybrids.hybrid_svm.weight", 1, "unknown param 'hybrids.hybrid_svm.weight'"),
    ("data.newkey", 1, "unknown param 'data.newkey'"),
])
def test_bad_params_name_the_key(workdir, key, value, message):
    set_params("params.yaml", **{key: value})
    with pytest.raises(TagbenchError) as error:
        params.load()
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_and_malformed_params_file(workdir):
    (workdir / "params.yaml").write_text("seed: [1,\n")
    with pytest.raises(TagbenchError, match="params.yaml: malformed YAML"):
        params.load()
    (workdir / "params.yaml").unlink()
    with pytest.raises(TagbenchError, match="params.yaml: file not found"):
        params.load()


def test_values_written_by_dvc_exp_run_are_numbers(tmp_path):
    text = (REPO / "params.yaml").read_text().replace("  lr: 0.00005", "  lr: 5e-05", 1)
    assert "lr: 5e-05" in text
    (tmp_path / "params.yaml").write_text(text)
    assert params.load(tmp_path / "params.yaml")["transformer"]["lr"] == 5e-05


def test_noise_and_cv_name_baselines_and_are_off_by_default(workdir):
    """Each names its baselines (one stage each, on its own section): none by default, so
    `dvc repro` has no cv@ or noise@ stage; a hybrid has no noise stage (its member's floor)."""
    p = params.load()
    assert p["noise"]["baselines"] == [] and p["cv"]["baselines"] == []
    with pytest.raises(TagbenchError, match="noise.baselines names an unknown baseline "
                                            "'hybrid_svm'"):
        params.validate({**p, "noise": {**p["noise"], "baselines": ["hybrid_svm"]}})


def test_a_narrowed_noise_run_replaces_only_its_rows():
    from tagbench.studies import noise

    row = {"seed": None, "split_seed": None, "seconds": 1.0}
    kept = {"source": "old (1)", "seeds": [1], "split_seeds": [], "baselines": {
        "cnn": row, "embed_logreg": row}}
    run = {"seeds": [1, 2], "split_seeds": [3], "baselines": {"embed_logreg": {
        **row, "seconds": 2.0}}}
    merged = noise.merge(kept, run, "new (2)")
    assert merged["baselines"]["cnn"] == {**row, "source": "old (1)"}
    assert merged["baselines"]["embed_logreg"] == {**row, "seconds": 2.0, "source": "new (2)"}
    assert merged["seeds"] == [1, 2]
    assert "| embed_logreg |  |  |  |  |  |  |  |  | 2 | `new (2)` |" in noise.markdown(merged)
    runs = [{"val": 0.6, "test": f} for f in (0.60, 0.62, 0.61, 0.63, 0.59)]
    seeded = {**row, "seed": noise.spread(runs), "source": "s (3)"}
    table = noise.markdown({**merged, "baselines": {"cnn": seeded}})
    assert "| cnn | 5 | 0.600 ± 0.000 [0.600, 0.600] | 0.610 ± 0.016 [0.590, 0.630] | 0.193 |" \
        in table  # 8.61 * sqrt(2) * 0.0158: two runs' 99.9% bound


def test_only_narrows_a_run_to_the_baselines_named():
    """DVC's -S merges a mapping and replaces a list: `baselines` and `hybrids` are deleted and
    added anew, with the hybrids whose members are both in; the others are said."""
    from tagbench.runs import flags

    p = yaml.safe_load((REPO / "params.yaml").read_text())
    given, notes = flags.only(["rule_based_stemmed", "tfidf_svm"], p)
    assert given == ["-S", "~baselines", "-S",
                     "+baselines={rule_based_stemmed:simple,tfidf_svm:tfidf}", "-S", "~hybrids",
                     "-S", "+hybrids={hybrid_svm:{model:tfidf_svm,rules:rule_based_stemmed,"
                     "boosts:[0.1,0.25,0.5]}}"]
    assert notes == ["hybrid_logreg left out: its member tfidf_logreg is not in this run",
                     "hybrid_transformer left out: its member transformer is not in this run",
                     "hybrid_mined_logreg left out: its members rule_based_mined and "
                     "tfidf_logreg are not in this run",
                     "hybrid_mined_transformer left out: its members rule_based_mined and "
                     "transformer are not in this run"]
    given, _ = flags.only(["hybrid_svm"], p)  # a hybrid named brings its members
    assert "+baselines={rule_based_stemmed:simple,tfidf_svm:tfidf}" in given
    with pytest.raises(TagbenchError, match="unknown baseline 'svm'; known: random_uniform"):
        flags.only(["svm"], p)


def test_a_preset_can_name_its_baselines(tmp_path, workdir):
    from tagbench.runs import flags

    (workdir / "mine.yaml").write_text("data: {min_tag_freq: 10}\n"
                                       "baselines: [rule_based_stemmed, tfidf_logreg]\n")
    given, notes = flags.set_flags(workdir / "mine.yaml")
    assert given[:2] == ["-S", "data.min_tag_freq=10"] and "~baselines" in given
    assert "+hybrids={hybrid_logreg:{model:tfidf_logreg,rules:rule_based_stemmed," \
           "boosts:[0.1,0.25,0.5]}}" in given and len(notes) == 4


def test_a_baseline_added_in_params_alone_is_built_like_a_registered_one():
    """A section with `like: tfidf_svm` and every value of tfidf_svm's declaration is a new
    baseline, checked as tfidf_svm's section is; a name with no such section is refused."""
    from tagbench.models.shared import registry

    p = yaml.safe_load((REPO / "params.yaml").read_text())
    char = {**p["tfidf_svm"], "like": "tfidf_svm",
            "vectorizer": {**p["tfidf_svm"]["vectorizer"], "analyzer": "char_wb"}}
    added = {**p, "baselines": {**p["baselines"], "tfidf_svm_char": "tfidf"},
             "tfidf_svm_char": char}
    params.validate(added)
    assert registry.kind("tfidf_svm_char", added) == "tfidf_svm"
    assert registry.config("tfidf_svm_char", added).vectorizer.analyzer == "char_wb"
    model = registry.build("tfidf_svm_char", added, ["a", "b"])
    assert registry.implementation(model) == registry.get("tfidf_svm").implementation
    with pytest.raises(TagbenchError, match="tfidf_svm_char.C = -1.0 is out of range"):
        params.validate({**added, "tfidf_svm_char": {**char, "C": -1.0}})
    with pytest.raises(TagbenchError, match="unknown param 'tfidf_svm_char.alpha'"):
        params.validate({**added, "tfidf_svm_char": {**char, "alpha": 1.0}})
    with pytest.raises(TagbenchError, match="baselines.tfidf_svm_char = 'neural': tfidf_svm_char "
                                            "is built by tagbench/models/tfidf/"):
        params.validate({**added, "baselines": {**added["baselines"], "tfidf_svm_char": "neural"}})
    with pytest.raises(TagbenchError, match=r"unknown baseline 'svm2'.*\(or add one: a section "
                                            r"svm2: \{like: <a known one>"):
        params.validate({**p, "baselines": {**p["baselines"], "svm2": "tfidf"}})
