"""How long each lesson takes in class, estimated from its own content (issue 17, item 5).

    .venv/bin/python tests/notebooks/lesson_timing.py          # the table, per lesson

The rates, stated once here and in docs/teaching-guide.md ("Timing"):

- prose: 130 words a minute (all Markdown text of the class part, code examples in it too);
- code to read and run: 10 lines a minute (non-empty, non-comment lines of code cells; a
  self-check cell and an empty exercise cell count 0 lines: students run them, not read them);
- a **Predict:** prompt: 1 minute to think and write a guess;
- a multiple-choice or one-number **Question**: 1 minute (read the options, answer, check);
- a code exercise (**Your turn (exercise N)**): 4 minutes (write, run, read the check, fix once).

Only the class part counts: a lesson's cells from its ``## Homework`` heading to its end are
homework or optional, and the optional lesson (10_) is not in the 90 minutes at all. The class
is 90 minutes: 5 minutes of set-up (open the site or Binder, open lesson 1) plus the lessons.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PROSE_WORDS_PER_MINUTE = 130
CODE_LINES_PER_MINUTE = 10
MINUTES_PER_PREDICT = 1.0
MINUTES_PER_QUESTION = 1.0
MINUTES_PER_CODE_EXERCISE = 4.0
SETUP_MINUTES = 5
CLASS_MINUTES = 90
HOMEWORK = re.compile(r"^## Homework", re.M)
CHECK = re.compile(r"^check\(", re.M)
STUB = "# Your code here"


@dataclass(frozen=True)
class LessonTime:
    name: str
    prose_words: int
    code_lines: int
    predicts: int
    questions: int
    code_exercises: int

    @property
    def minutes(self) -> float:
        return (
            self.prose_words / PROSE_WORDS_PER_MINUTE
            + self.code_lines / CODE_LINES_PER_MINUTE
            + self.predicts * MINUTES_PER_PREDICT
            + self.questions * MINUTES_PER_QUESTION
            + self.code_exercises * MINUTES_PER_CODE_EXERCISE
        )


def class_cells(nb: Any) -> list[Any]:
    """The cells before the lesson's ``## Homework`` heading (all of them when it has none)."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and HOMEWORK.search(cell.source):
            break
        cells.append(cell)
    return cells


def lesson_time(path: Path) -> LessonTime:
    """The estimate for one student notebook (``notebooks/NAME.ipynb``)."""
    import nbformat

    cells = class_cells(nbformat.read(path, as_version=4))
    markdown = [cell.source for cell in cells if cell.cell_type == "markdown"]
    code = [cell.source for cell in cells if cell.cell_type == "code"]
    lines = sum(
        1
        for source in code
        if source.strip() != STUB and not CHECK.search(source)
        for line in source.splitlines()
        if line.strip() and not line.strip().startswith("#")
    )
    return LessonTime(
        name=path.name,
        prose_words=sum(len(text.split()) for text in markdown),
        code_lines=lines,
        predicts=sum(text.count("**Predict:**") for text in markdown),
        questions=sum(text.count("**Question ") for text in markdown),
        code_exercises=sum(text.count("**Your turn (exercise") for text in markdown),
    )


def main(argv: list[str]) -> int:
    folder = ROOT / "notebooks"
    paths = [folder / name for name in argv] or sorted(folder.glob("0[0-9]_*.ipynb"))
    total = float(SETUP_MINUTES)
    print(f"{'lesson':45} words  lines  predict  question  exercise  minutes")
    print(f"{'set-up (open the site or Binder, lesson 1)':45} {'':49}{SETUP_MINUTES:5.1f}")
    for path in paths:
        t = lesson_time(path)
        total += t.minutes
        print(f"{t.name:45} {t.prose_words:5}  {t.code_lines:5}  {t.predicts:7}  {t.questions:8}  "
              f"{t.code_exercises:8}  {t.minutes:7.1f}")  # fmt: skip
    print(f"{'total':45} {'':49}{total:5.1f} of {CLASS_MINUTES}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
