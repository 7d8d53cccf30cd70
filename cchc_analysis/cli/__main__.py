"""``python -m cchc_analysis.cli`` runs the ``cchc`` command."""

import sys

from . import main

sys.exit(main())
