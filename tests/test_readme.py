"""The README's numbers come from the metrics files, not from a keyboard."""

import yaml

from conftest import REPO
from tagbench import report


def test_readme_results_table_matches_metrics():
    baselines = yaml.safe_load((REPO / "params.yaml").read_text())["baselines"]
    table = report.results_table(baselines, REPO / "metrics")
    readme = (REPO / "README.md").read_text()
    assert report.replace_block(readme, "results", table) == readme, \
        "README results table is stale: run `tagbench readme`"


def test_readme_tradeoffs_match_the_report():
    block = report.readme_tradeoffs(REPO / "reports" / "tradeoffs.md")
    readme = (REPO / "README.md").read_text()
    assert report.replace_block(readme, "tradeoffs", block) == readme, \
        "README tradeoff tables are stale: run `tagbench readme`"
