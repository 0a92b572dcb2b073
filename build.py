"""Build the archive: `python build.py [build|check|serve|import] ...` (see README.md)."""

import os
import sys

from archive.cli import main

if __name__ == "__main__":
    status = main(sys.argv[1:])
    # Everything is written and closed by now. A large archive leaves a few hundred thousand
    # objects, and freeing them one by one on the way out takes longer than a small rebuild.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
