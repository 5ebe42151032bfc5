"""The file import connector: CSV, JSONL and XLSX exports into mentions.

Columns are recognised by their header in French or English (see FIELD_NAMES), and
`mapping` ({field: header}) overrides that. A bad row does not stop the import: the good
rows are kept and each bad one becomes a warning that names the file, the row and the
column ("export.csv, row 12, column 'date': '31/02/2026' is not a date"); with
`strict=True` the first bad row fails the import instead. A file that cannot be read at
all, or has no text column, is a CollectError.

Imports read local files only. The cursor holds the file's size, modification time and
SHA-256, so that importing an unchanged file again is `not_modified`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zipfile import BadZipFile

from veille.collect.base import Batch, CollectError, RawMention
from veille.collect.dates import parse_date

if TYPE_CHECKING:
    from veille.core.models import Source

FIELDS = (
    "text",
    "date",
    "author",
    "url",
    "title",
    "id",
    "kind",
    "parent",
    "platform",
    "language",
)
# Header names recognised for each field, compared without case, accents or punctuation.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "texte", "message", "content", "contenu", "body", "corps", "mention"),
    "date": (
        "date",
        "published",
        "published at",
        "published_at",
        "created_at",
        "created",
        "created at",
        "publie le",
        "date de publication",
        "timestamp",
        "time",
        "heure",
    ),
    "author": ("author", "auteur", "user", "username", "utilisateur", "screen_name", "handle"),
    "url": ("url", "lien", "link", "permalink", "permalien"),
    "title": ("title", "titre", "subject", "sujet"),
    "id": ("id", "identifiant", "external_id", "post_id", "message_id"),
    "kind": ("kind", "type", "genre"),
    "parent": ("parent", "in_reply_to", "in reply to", "reply_to", "en reponse a", "parent_id"),
    "platform": ("platform", "plateforme", "source", "network", "reseau", "site"),
    "language": ("language", "langue", "lang"),
}
KINDS = frozenset({"post", "comment", "reply", "trackback", "share"})
SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
SUFFIXES |= {".xlsx": "xlsx", ".xlsm": "xlsx"}
MAX_WARNINGS = 50
_ENCODINGS = ("utf-8-sig", "cp1252")


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(name).strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace("-", " ").replace(".", " ").split())


_KNOWN = {_fold(alias): field for field, names in FIELD_NAMES.items() for alias in names}


@dataclass(slots=True)
class Row:
    """One record of the file: its number as the user sees it, and its cells by header."""

    number: int
    cells: dict[str, Any]


class RowError(ValueError):
    """One cell that cannot be read; the message names the column."""


def file_state(path: Path) -> dict[str, Any]:
    """Size, modification time and SHA-256 of a file: what the import cursor keeps."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    stat = path.stat()
    return {"size": stat.st_size, "mtime": stat.st_mtime, "sha256": digest.hexdigest()}


def resolve_columns(
    headers: list[str], mapping: dict[str, str] | None, where: str
) -> dict[str, str]:
    """{field: header} from the file's headers, the defaults and the user's mapping."""
    columns: dict[str, str] = {}
    for header in headers:
        field = _KNOWN.get(_fold(header))
        if field and field not in columns:
            columns[field] = header
    for field, header in (mapping or {}).items():
        if field not in FIELDS:
            raise CollectError(
                f"{where}: unknown field {field!r} in the mapping (known: {', '.join(FIELDS)})"
            )
        if header not in headers:
            raise CollectError(
                f"{where}: the mapping names column {header!r} for {field}, "
                f"but the file's columns are: {', '.join(map(repr, headers))}"
            )
        columns[field] = header
    if "text" not in columns:
        raise CollectError(
            f"{where}: no text column (looked for {', '.join(FIELD_NAMES['text'])}); "
            "name it with a mapping such as text=<column>"
        )
    return columns


# -- readers ---------------------------------------------------------------------------


def _decode(content: bytes, name: str) -> str:
    for encoding in _ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CollectError(f"{name}: cannot be decoded as UTF-8 or Windows-1252")


def _read_csv(path: Path) -> tuple[list[str], Iterator[Row]]:
    text = _decode(path.read_bytes(), path.name)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        first = sample.split("\n", 1)[0]
        dialect = csv.excel_tab if first.count("\t") > first.count(",") else csv.excel
        if first.count(";") > max(first.count(","), first.count("\t")):
            dialect = _Semicolon
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CollectError(f"{path.name}: empty file") from None
    except csv.Error as exc:
        raise CollectError(f"{path.name}: not a readable CSV file ({exc})") from None

    def rows() -> Iterator[Row]:
        try:
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                # Row 1 is the header line, so data rows are numbered as a spreadsheet shows.
                yield Row(reader.line_num, dict(zip(headers, values, strict=False)))
        except csv.Error as exc:
            raise CollectError(
                f"{path.name}, row {reader.line_num}: not readable CSV ({exc})"
            ) from None

    return headers, rows()


class _Semicolon(csv.excel):
    delimiter = ";"


def _read_jsonl(path: Path, bad: list[str]) -> tuple[list[str], Iterator[Row]]:
    records: list[Row] = []
    headers: dict[str, None] = {}
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad.append(f"{path.name}, line {number}: not valid UTF-8 (byte {exc.start})")
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append(f"{path.name}, line {number}: not valid JSON ({exc.msg})")
                continue
            if not isinstance(value, dict):
                bad.append(f"{path.name}, line {number}: not a JSON object")
                continue
            headers.update(dict.fromkeys(value))
            records.append(Row(number, value))
    return list(headers), iter(records)


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[Row]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise CollectError(f"{path.name}: not a readable XLSX workbook ({exc})") from None
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    try:
        header_cells = next(lines)
    except StopIteration:
        workbook.close()
        raise CollectError(f"{path.name}: the first sheet is empty") from None
    headers = ["" if cell is None else str(cell).strip() for cell in header_cells]

    def rows() -> Iterator[Row]:
        try:
            for number, values in enumerate(lines, start=2):
                if all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield Row(number, dict(zip(headers, values, strict=False)))
        finally:
            workbook.close()

    return headers, rows()


# -- cells -----------------------------------------------------------------------------


def _cell(row: Row, columns: dict[str, str], field: str) -> str:
    header = columns.get(field)
    if header is None:
        return ""
    value = row.cells.get(header)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def _date(row: Row, columns: dict[str, str]) -> datetime | None:
    header = columns.get("date")
    if header is None:
        return None
    value = row.cells.get(header)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):  # XLSX cells are already dates
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise RowError(f"column {header!r}: {value!r} is not a date") from None
    parsed = parse_date(str(value))
    if parsed is None:
        raise RowError(f"column {header!r}: {str(value)!r} is not a date")
    return parsed


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def _mention(row: Row, columns: dict[str, str], imported_at: datetime) -> RawMention:
    text = _cell(row, columns, "text")
    if not text:
        raise RowError(f"column {columns['text']!r}: the text is empty")
    published = _date(row, columns) or imported_at
    url = _cell(row, columns, "url")
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise RowError(f"column {columns['url']!r}: {url!r} is not an http(s) URL")
    parent = _cell(row, columns, "parent")
    kind = _cell(row, columns, "kind").lower() or ("reply" if parent else "post")
    if kind not in KINDS:
        raise RowError(
            f"column {columns['kind']!r}: {kind!r} is not a kind ({', '.join(sorted(KINDS))})"
        )
    author = _cell(row, columns, "author")
    title = _cell(row, columns, "title")
    external_id = _cell(row, columns, "id") or url
    if not external_id:
        content = "\x1f".join((author, published.isoformat(), title, text))
        external_id = "sha256:" + hashlib.sha256(content.encode()).hexdigest()[:32]
    return RawMention(
        external_id=external_id,
        url=url,
        published_at=published,
        text=text,
        title=title,
        kind=kind,
        platform=_cell(row, columns, "platform") or _host(url),
        author_handle=author,
        author_name=author,
        in_reply_to_url=parent if parent.startswith(("http://", "https://")) else "",
        language=_cell(row, columns, "language").lower()[:8],
    )


# -- public API ------------------------------------------------------------------------


def file_format(path: Path) -> str:
    """csv, jsonl or xlsx, from the file's suffix."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(SUFFIXES))
        raise CollectError(f"{path.name}: unknown file type {path.suffix!r} (known: {known})")
    return kind


def import_file(
    path: Path,
    mapping: dict[str, str] | None = None,
    *,
    strict: bool = False,
    imported_at: datetime | None = None,
) -> Batch:
    """The mentions in an export file; bad rows become warnings (or, if strict, an error).

    The cursor of the returned batch describes the file (see file_state()).
    """
    path = Path(path)
    if not path.is_file():
        raise CollectError(f"{path}: not a regular file")
    kind = file_format(path)
    when = imported_at or datetime.now(UTC)
    bad: list[str] = []
    if kind == "csv":
        headers, rows = _read_csv(path)
    elif kind == "jsonl":
        headers, rows = _read_jsonl(path, bad)
    else:
        headers, rows = _read_xlsx(path)
    if strict and bad:
        raise CollectError(bad[0])
    if not headers:
        detail = f" ({bad[0]})" if bad else ""
        raise CollectError(f"{path.name}: no records found{detail}")
    columns = resolve_columns(headers, mapping, path.name)
    mentions: list[RawMention] = []
    for row in rows:
        try:
            mentions.append(_mention(row, columns, when))
        except RowError as exc:
            message = f"{path.name}, row {row.number}, {exc}"
            if strict:
                raise CollectError(message) from None
            bad.append(message)
    if not mentions and bad:
        raise CollectError(f"{path.name}: no row could be imported; first problem: {bad[0]}")
    warnings = bad[:MAX_WARNINGS]
    if len(bad) > MAX_WARNINGS:
        warnings.append(f"{path.name}: {len(bad) - MAX_WARNINGS} more bad rows not listed")
    return Batch(mentions, file_state(path), warnings=warnings)


def collect_import(source: Source) -> Batch:
    """The import connector: source.params["path"], mapping and strict; unchanged → not_modified."""
    params = source.params or {}
    raw_path = params.get("path")
    if not raw_path:
        raise CollectError(f"source {source.pk}: an import source needs params['path']")
    path = Path(raw_path).expanduser()
    if not path.is_file():
        raise CollectError(f"{path}: not a regular file (an import reads a local file)")
    cursor = dict(source.cursor or {})
    state = file_state(path)
    if cursor.get("sha256") == state["sha256"] and cursor.get("size") == state["size"]:
        return Batch([], {**cursor, **state}, not_modified=True)
    mapping = params.get("mapping") or None
    return import_file(path, mapping, strict=bool(params.get("strict", False)))
