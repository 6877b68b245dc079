"""`python -m models ...`: the same commands as `python main.py models ...`."""

import sys

from models.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
