"""Stage noise: one baseline of noise.baselines retrained under each of noise.seeds (same
split) and noise.split_seeds (other splits). noise.baselines is empty by default, so the
stage is not in the DAG; `make noise` runs it as an experiment and keeps the result in
reports/noise_floor.json. Usage: python stages/noise.py <baseline>"""

import sys

from tagbench.core.errors import exits_cleanly
from tagbench.core.io import write_json
from tagbench.data import artifacts
from tagbench.evaluation import params
from tagbench.studies import noise


@exits_cleanly
def main(name):
    write_json(artifacts.noise_path(name), noise.noise_floor(name, params.load()))


if __name__ == "__main__":
    main(sys.argv[1])
