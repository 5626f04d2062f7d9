"""How long the command line takes to start: ``placewise --help`` and a one-line error, over several runs.

    .venv/bin/python bench/cli.py [--runs 10]

Prints the minimum, median and maximum wall time of each, after one warm-up run.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

PLACEWISE = Path(sys.executable).with_name("placewise")
COMMANDS = {"placewise --help": ["--help"], "a one-line error (missing child file)": ["shortlist", "--child",
                                                                                    "/nonexistent.json"]}


def timed(arguments: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(PLACEWISE), *arguments], capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    for name, arguments in COMMANDS.items():
        timed(arguments)
        times = [timed(arguments) for _ in range(runs)]
        print(f"{name}: median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}) over "
              f"{runs} runs")


if __name__ == "__main__":
    main()
