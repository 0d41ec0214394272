"""``python -m simlab`` runs the command line."""

import sys

from simlab.cli import main

sys.exit(main())
