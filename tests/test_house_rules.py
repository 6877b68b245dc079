"""House rules a reviewer would otherwise check by hand."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("game", "brushes", "models", "art", "bench", "tests")


def python_files():
    files = [ROOT / "main.py"]
    for folder in SOURCE_DIRS:
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def test_lines_under_100_characters():
    long_lines = [f"{path.relative_to(ROOT)}:{n}"
                  for path in python_files()
                  for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if len(line) >= 100]
    assert long_lines == []


def test_no_tensorflow_in_game_or_brushes():
    pattern = re.compile(r"^\s*(import|from)\s+(tensorflow|tensorflow_hub|keras|tf_keras)\b",
                         re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in python_files()
                 if p.parts[len(ROOT.parts)] in ("game", "brushes") or p.name == "main.py"
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_brushes_never_import_pygame():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "brushes").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+pygame", p.read_text(), re.MULTILINE)]
    assert offenders == []


def test_models_and_brushes_never_import_game():
    pattern = re.compile(r"^\s*(import|from)\s+game\b", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT))
                 for folder in ("models", "brushes") for p in (ROOT / folder).rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_game_reaches_the_models_only_through_its_nst_room():
    """game/nst/ is the NST client (service, workers, machines, result cache): the rest of
    the game imports nothing from models/ but the launcher's check of installed files and
    the image loader's decoding core (models.safe_image, shared with the render farm)."""
    pattern = re.compile(r"^\s*(import|from)\s+models\b", re.MULTILINE)
    allowed = {ROOT / "game" / "launcher.py", ROOT / "game" / "image_loader.py"}
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "game").rglob("*.py")
                 if (ROOT / "game" / "nst") not in p.parents and p not in allowed
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_nst_client_draws_nothing():
    pattern = re.compile(r"^\s*(import|from)\s+pygame\b", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "game" / "nst").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
