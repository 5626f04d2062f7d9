"""Fit the national travel model on the routed matrix and write the table packaged with the code,
``matcher/travel/national_fit.json`` (``scenarios.travel_calibration``).

Run: ``python tools/fit_travel.py [--data ../shared/data] [--out matcher/travel/national_fit.json]`` (about a minute
on two cores). The held-out calibration of the same procedure is ``bench/travel.py``'s.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from matcher.travel.national_formula import FIT_FILE
    from scenarios.travel_calibration import fit_source, fit_travel, load_evidence, write_fit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("PLACEWISE_DATA", ROOT.parent / "shared"
                                                                          / "data")))
    parser.add_argument("--out", type=Path, default=FIT_FILE)
    arguments = parser.parse_args()
    if not (arguments.data / "travel").is_dir():
        sys.exit(f"the routed matrix is not at {arguments.data / 'travel'}; give --data")
    evidence = load_evidence(arguments.data)
    fit = fit_travel(evidence, source=fit_source(evidence))
    print(f"wrote {write_fit(fit, arguments.out)}: {fit.source}")


if __name__ == "__main__":
    main()
