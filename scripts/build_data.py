"""Rebuild the bundled tables in data/ from ../shared/reference-data.

    python scripts/build_data.py [--reference PATH]

See cchc_analysis/build.py for what is read and the rules applied.
"""

import argparse

from cchc_analysis.build import build_all

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", help="folder of the original files (default: ../shared/reference-data)")
    args = parser.parse_args()
    build_all(args.reference)
