"""``python -m cchc_analysis`` runs the ``cchc`` command (same arguments, same exit status)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
