"""Check the committed notebooks: outputs stripped, and every lesson's previous/next links current.

    python scripts/check_notebooks.py          # exit status 1 and one line per problem if any

Rules, for every notebook in notebooks/, solutions/ and exercises/:

* code cells carry no outputs and a null execution count, and the notebook no saved widget state
  (fix: ``python scripts/nbtools.py strip``);

and for the lessons in notebooks/:

* every lesson file is in the course map (``sysdesign.course.LESSONS``) and every lesson of the map
  has its file, so the links follow the map's order;
* the second and the last cell are markdown cells tagged ``nav`` (previous | course map | next);
* a dry run of ``nbtools.refresh_nav`` would change nothing (fix: ``python scripts/nbtools.py nav``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from nbtools import course, refresh_nav  # noqa: E402

FOLDERS = ("notebooks", "solutions", "exercises")


def notebooks(root: Path) -> list[Path]:
    """Every notebook under the course folders of ``root`` (checkpoints excluded), sorted."""
    found = (p for folder in FOLDERS for p in (root / folder).rglob("*.ipynb"))
    return sorted(p for p in found if ".ipynb_checkpoints" not in p.parts)


def output_problems(path: Path, nb: dict) -> list[str]:
    """Outputs, execution counts and saved widget state left in one notebook."""
    found = []
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {i} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {i} has execution count {cell['execution_count']}")
    if "widgets" in nb.get("metadata", {}):
        found.append("the notebook metadata holds saved widget state")
    return [f"{path}: {p} (run: python scripts/nbtools.py strip)" for p in found]


def nav_problems(folder: Path) -> list[str]:
    """Lessons missing from the course map or from disk, misplaced nav cells, and stale links."""
    found = []
    name = folder.name  # problems name files relative to the course root, as output_problems does
    on_disk = {p.stem for p in folder.glob("*.ipynb")}
    in_map = [lesson.slug for lesson in course.LESSONS]
    found += [
        f"{name}/{s}.ipynb: not in the course map (sysdesign/course.py LESSONS)"
        for s in sorted(on_disk - set(in_map))
    ]
    found += [f"{name}/{s}.ipynb: in the course map but missing" for s in in_map if s not in on_disk]
    for slug in in_map:
        path = folder / f"{slug}.ipynb"
        if not path.exists():
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        tagged = [i for i, c in enumerate(cells) if "nav" in c.get("metadata", {}).get("tags", [])]
        if (
            len(cells) < 3
            or tagged != [1, len(cells) - 1]
            or any(cells[i]["cell_type"] != "markdown" for i in tagged)
        ):
            found.append(
                f"{name}/{slug}.ipynb: nav cells must be the second and last, markdown (found at {tagged})"
            )
    found += [
        f"{name}/{p.name}: previous/next links are stale (run: python scripts/nbtools.py nav)"
        for p in refresh_nav(folder, write=False)
    ]
    return found


def problems(root: Path = ROOT) -> list[str]:
    """Every rule broken under ``root``, one line each."""
    found = []
    for path in notebooks(root):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            found.append(f"{path}: not valid JSON ({error})")
            continue
        found += output_problems(path.relative_to(root), nb)
    return found + nav_problems(root / "notebooks")


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    print(f"check_notebooks: {len(notebooks(ROOT))} notebooks, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
