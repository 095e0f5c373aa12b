import pytest

from conftest import REPO, set_params
from tagbench.errors import TagbenchError
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
    ("noise.baselines", "cnn", "noise.baselines = 'cnn' must be a list or null"),
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


def test_a_noise_run_covers_every_baseline_unless_narrowed(workdir):
    from tagbench.evaluation import noise

    p = params.load()
    assert p["noise"]["baselines"] is None
    assert noise.baselines(p) == [*p["baselines"], *p["hybrids"]]  # hybrids are baselines too
    assert "embed_logreg" in noise.baselines(p)
    assert noise.baselines({**p, "noise": {**p["noise"], "baselines": ["cnn"]}}) == ["cnn"]


def test_a_narrowed_noise_run_replaces_only_its_rows():
    from tagbench.evaluation import noise

    row = {"seed": None, "split_seed": None, "seconds": 1.0}
    kept = {"source": "old (1)", "seeds": [1], "split_seeds": [], "baselines": {
        "cnn": row, "embed_logreg": row}}
    run = {"seeds": [1, 2], "split_seeds": [3], "baselines": {"embed_logreg": {
        **row, "seconds": 2.0}}}
    merged = noise.merge(kept, run, "new (2)")
    assert merged["baselines"]["cnn"] == {**row, "source": "old (1)"}
    assert merged["baselines"]["embed_logreg"] == {**row, "seconds": 2.0, "source": "new (2)"}
    assert merged["seeds"] == [1, 2]
    assert "| embed_logreg |  |  |  |  |  |  | 2 | `new (2)` |" in noise.markdown(merged)
    runs = [{"val": 0.6, "test": f} for f in (0.60, 0.62, 0.61, 0.63, 0.59)]
    seeded = {**row, "seed": noise.spread(runs), "source": "s (3)"}
    table = noise.markdown({**merged, "baselines": {"cnn": seeded}})
    assert "| cnn | 5 | 0.600 ± 0.000 [0.600, 0.600] | 0.610 ± 0.016 [0.590, 0.630] | 0.193 |" \
        in table  # 8.61 * sqrt(2) * 0.0158: two runs' 99.9% bound
