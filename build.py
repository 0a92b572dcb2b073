"""Build the archive: `python build.py [build|check|serve|import] ...` (see README.md)."""

import sys

from archive.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
