"""What is wrong with an import, said so that a person can find and fix it, in their language.

A report lists the first MAX_PROBLEMS problems and counts the rest in one last line: a file
with a mistake in every cell gives a readable report, and collecting it takes bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from evalcore.importer.limits import MAX_PROBLEMS
from evalcore.messages import Message, render

OMITTED = "problems_omitted"


@dataclass(frozen=True)
class Problem:
    """One reason to refuse: the file, the spreadsheet row (header = 1) and column, and why
    (a Message, rendered in the reader's language by `render(lang)`; `str()` is English)."""

    file: str
    message: Message
    row: int | None = None
    column: str | None = None

    @property
    def code(self) -> str:
        return self.message.code

    def reason(self, lang: str) -> str:
        """Why, without where (for a table with file, row and column of their own)."""
        return render(self.message, lang)

    def render(self, lang: str) -> str:
        """Where and why: 'f.csv, row 3, column A1: 4.5 is above the maximum 4'."""
        where = {"file": self.file, "reason": self.message}
        if self.row is not None and self.column is not None:
            return render(Message("problem_at_cell", {**where, "row": self.row,
                                                      "column": self.column}), lang)
        if self.row is not None:
            return render(Message("problem_at_row", {**where, "row": self.row}), lang)
        if self.column is not None:
            return render(Message("problem_at_column", {**where, "column": self.column}), lang)
        return render(Message("problem_in_file", where), lang)

    def __str__(self) -> str:
        return self.render("en")


def _omitted(problem: Problem) -> int:
    return int(problem.message.params["n"]) if problem.code == OMITTED else 0


def problem_count(problems: Iterable[Problem]) -> int:
    """How many problems a (capped) list stands for: those listed and those counted."""
    return sum(_omitted(p) or 1 for p in problems)


class ProblemLog:
    """Problems as they are found: the first `limit` kept, the rest only counted."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.items: list[Problem] = []
        self.omitted = 0
        self.limit = limit
        self._file: str | None = None

    def add(self, problem: Problem) -> None:
        self._file = self._file or problem.file
        if problem.code == OMITTED:
            self.omitted += _omitted(problem)
        elif len(self.items) < self.limit:
            self.items.append(problem)
        else:
            self.omitted += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __len__(self) -> int:
        return len(self.items) + self.omitted

    def listed(self) -> list[Problem]:
        """The problems kept, then (if any were not) one saying how many more there are."""
        if not self.omitted:
            return list(self.items)
        summary = Message("problems_omitted", {"n": self.omitted})  # code OMITTED
        return [*self.items, Problem(self._file or "", summary)]


def capped(problems: Iterable[Problem]) -> list[Problem]:
    log = ProblemLog()
    log.extend(problems)
    return log.listed()


@dataclass
class ImportRejected(Exception):
    """The file was refused; nothing was written. `problems` lists at most MAX_PROBLEMS, then
    one line counting the rest (`count` is the total)."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = capped(self.problems)

    @property
    def count(self) -> int:
        return problem_count(self.problems)

    def render(self, lang: str) -> str:
        head = render(Message("import_refused_head", {"n": self.count}), lang)
        return "\n".join([head, *(f"  - {p.render(lang)}" for p in self.problems)])

    def __str__(self) -> str:
        return self.render("en")
