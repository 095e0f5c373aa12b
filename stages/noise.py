"""Stage noise: every baseline in noise.baselines retrained under each of noise.seeds (same
split) and noise.split_seeds (other splits). Both empty (the default) writes a stub at no
cost; `make noise` runs it as an experiment and keeps the result in reports/noise_floor.json."""

from tagbench import artifacts
from tagbench.errors import exits_cleanly
from tagbench.evaluation import noise, params
from tagbench.io import write_json


@exits_cleanly
def main():
    write_json(artifacts.NOISE, noise.noise_floor(params.load()))


if __name__ == "__main__":
    main()
