"""The README's numbers come from the metrics files, not from a keyboard."""

import pytest
import yaml

from conftest import REPO
from tagbench import report


def test_readme_results_table_matches_metrics(monkeypatch):
    monkeypatch.chdir(REPO)
    baselines = yaml.safe_load((REPO / "params.yaml").read_text())["baselines"]
    table = report.results_table(baselines)
    readme = (REPO / "README.md").read_text()
    assert report.replace_block(readme, "results", table) == readme, \
        "README results table is stale: run `tagbench readme`"


@pytest.mark.parametrize("block", sorted(report.README_COPIES))
def test_readme_copies_match_the_reports(block):
    path, _, document = report.README_COPIES[block]
    text = (REPO / document).read_text()
    assert report.replace_block(text, block, report.readme_copy(block, REPO)) == text, \
        f"{document}'s copy of {path} is stale: run `tagbench readme`"
