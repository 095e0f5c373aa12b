from tagbench.runs.lockcheck import stale_stages


def test_missing_upstream_outputs_are_not_stale_but_edits_are():
    status = {
        "stem": [{"changed deps": {"data/processed/projects.json": "deleted"}},
                 {"changed outs": {"data/processed/projects_stemmed.json": "not in cache"}}],
        "split": [{"changed deps": {"tagbench/data/split.py": "modified"}}],
        "train@tfidf_svm": [{"changed deps": {"params.yaml": {"tfidf_svm": "modified"}}}],
        "random": ["always changed"],
    }
    assert stale_stages(status) == {
        "split": ["tagbench/data/split.py modified"],
        "train@tfidf_svm": ["param tfidf_svm modified"],
    }
