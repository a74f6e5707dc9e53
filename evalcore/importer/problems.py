"""What is wrong with an import, said so that a person can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One reason to refuse: the file, the spreadsheet row (header = 1) and column, and why."""

    file: str
    reason: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"


@dataclass
class ImportRejected(Exception):
    """The file was refused; nothing was written."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"import refused, nothing was written ({len(self.problems)} problem(s)):"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])
