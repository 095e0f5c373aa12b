"""The README's numbers come from the metrics files, not from a keyboard."""

import pytest
import yaml

from conftest import REPO
from tagbench import report


def test_readme_results_table_matches_metrics():
    baselines = yaml.safe_load((REPO / "params.yaml").read_text())["baselines"]
    table = report.results_table(baselines, REPO / "metrics")
    readme = (REPO / "README.md").read_text()
    assert report.replace_block(readme, "results", table) == readme, \
        "README results table is stale: run `tagbench readme`"


@pytest.mark.parametrize("block", sorted(report.README_COPIES))
def test_readme_copies_match_the_reports(block):
    readme = (REPO / "README.md").read_text()
    assert report.replace_block(readme, block, report.readme_copy(block, REPO)) == readme, \
        f"README's copy of {report.README_COPIES[block][0]} is stale: run `tagbench readme`"
