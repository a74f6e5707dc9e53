"""What is wrong with an import, said so that a person can find and fix it, in their language."""

from __future__ import annotations

from dataclasses import dataclass, field

from evalcore.messages import Message, render


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


@dataclass
class ImportRejected(Exception):
    """The file was refused; nothing was written."""

    problems: list[Problem] = field(default_factory=list)

    def render(self, lang: str) -> str:
        head = render(Message("import_refused_head", {"n": len(self.problems)}), lang)
        return "\n".join([head, *(f"  - {p.render(lang)}" for p in self.problems)])

    def __str__(self) -> str:
        return self.render("en")
