"""The README's numbers come from the metrics files, not from a keyboard."""

import pytest
import yaml

from conftest import REPO
from tagbench.report import readme


def test_readme_results_table_matches_metrics(monkeypatch):
    monkeypatch.chdir(REPO)
    p = yaml.safe_load((REPO / "params.yaml").read_text())
    table = readme.results_table([*p["baselines"], *p["hybrids"]])  # hybrids are rows too
    document = (REPO / "README.md").read_text()
    assert readme.replace_block(document, "results", table) == document, \
        "README results table is stale: run `tagbench readme`"


@pytest.mark.parametrize("block", sorted(readme.README_COPIES))
def test_readme_copies_match_the_reports(block):
    path, _, document = readme.README_COPIES[block]
    text = (REPO / document).read_text()
    assert readme.replace_block(text, block, readme.readme_copy(block, REPO)) == text, \
        f"{document}'s copy of {path} is stale: run `tagbench readme`"
