"""A query that cannot be read: what is wrong, where (column and caret), and what to do."""

from __future__ import annotations


class QuerySyntaxError(ValueError):
    """Raised by parse(); str() is the full message with the query and a caret under it."""

    def __init__(self, message: str, query: str, position: int, length: int = 1, hint: str = ""):
        self.message = message
        self.query = query
        self.position = max(0, min(position, len(query)))
        self.length = max(1, length)
        self.hint = hint
        super().__init__(self.render())

    @property
    def column(self) -> int:
        """1-based, as editors count."""
        return self.position + 1

    def caret_lines(self) -> tuple[str, str]:
        """The query on one line and, under it, carets under the faulty spot."""
        line = self.query.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        return line, " " * self.position + "^" * self.length

    def render(self) -> str:
        line, carets = self.caret_lines()
        text = f"{self.message} (column {self.column})\n  {line}\n  {carets}"
        return text + (f"\nhint: {self.hint}" if self.hint else "")
