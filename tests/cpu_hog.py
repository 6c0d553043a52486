"""Runs a command beside processes that keep every core busy, as another job on a
developer's machine or CI does: ``make test-under-load`` runs the test suite so, and
the suite must pass.

    python tests/cpu_hog.py [--procs N] COMMAND...

Exits with the command's exit code. The hogs end with it, and with this process if it
is killed.
"""

import argparse
import multiprocessing
import os
import subprocess
import sys

from indexer.indexing.processes import die_with_parent


def burn(parent):
    die_with_parent(parent)
    while True:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procs", type=int, default=os.cpu_count() or 1, help="busy processes (default: every core)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if not args.command:
        parser.error("give the command to run beside the hogs")
    hogs = [multiprocessing.Process(target=burn, args=(os.getpid(),), daemon=True) for _ in range(args.procs)]
    for hog in hogs:
        hog.start()
    try:
        returncode = subprocess.call(args.command)
    finally:
        for hog in hogs:
            hog.kill()
            hog.join()
    print(f"cpu_hog: {args.procs} busy processes beside {' '.join(args.command)}: exit {returncode}", file=sys.stderr)
    sys.exit(returncode)


if __name__ == "__main__":
    main()
