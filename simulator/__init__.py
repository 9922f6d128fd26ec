"""The feed simulator: writes an inbox that follows the contract of feeds.md
(ccus.feeds.contract), with realistic registries, rosters, work history, wages and 建退共
reports, the format variety the contract allows, and a few deliberately bad rows. One engine
for every scale (README.md).

    simulate(scale, out, start=None, days=None, seed=42) -> summary dict
    main(argv)                      the `ccus simulate` command line
    add_arguments(parser), run(args)  for wiring into the `ccus` command
    SCALES, ScaleParams             per-scale parameters (one dataclass; add a scale there)
    ASSOCIATIONS                    the association codes (code, name_ja, name_en) businesses carry
"""
from simulator.cli import add_arguments, main, run
from simulator.params import SCALES, ScaleParams
from simulator.reference import ASSOCIATIONS, Association
from simulator.simulate import simulate

__all__ = ["simulate", "main", "add_arguments", "run", "SCALES", "ScaleParams", "ASSOCIATIONS", "Association"]
