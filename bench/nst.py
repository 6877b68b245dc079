"""Neural style transfer speed: JSON list of {name, figure, unit} on stdout.

Each engine is a section: a module beside this file with `measure(quick) -> list[dict]`
(bench/nst_magenta.py; a `gatys` section joins by giving bench/nst_gatys.py a `measure`).

    python bench/nst.py [--quick] [--only magenta]
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SECTIONS = {"magenta": "nst_magenta", "gatys": "nst_gatys"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs per figure")
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append",
                        help="run only this section (repeatable)")
    args = parser.parse_args()
    figures = []
    for section in args.only or list(SECTIONS):
        try:
            module = importlib.import_module(SECTIONS[section])
        except Exception as error:  # noqa: BLE001 - one broken section must not stop the rest
            print(f"{section}: cannot be imported ({error}), skipped", file=sys.stderr)
            continue
        measure = getattr(module, "measure", None)
        if measure is None:
            print(f"{section}: no measure(quick) yet, skipped", file=sys.stderr)
            continue
        figures += measure(quick=args.quick)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
