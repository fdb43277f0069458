"""How a file's bytes become rows of text cells: encoding, delimiter, Excel workbooks.

Encoding rule, in order (decided on the whole file, never guessed from a sample):
1. a byte-order mark says UTF-8, UTF-16 LE or UTF-16 BE;
2. no BOM but NUL bytes in every other position of the start → UTF-16 LE/BE (Excel's
   "Unicode text" without BOM, rare but seen);
3. the whole file decodes as strict UTF-8 → UTF-8;
4. otherwise Windows-1252 when every byte is defined in it, else Latin-1 (which decodes anything).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
# Bytes Windows-1252 leaves undefined: a file holding them is Latin-1, not Windows-1252.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")

FIELD_LIMIT = 10 * 1024 * 1024
csv.field_size_limit(FIELD_LIMIT)


class UnreadableFile(ValueError):
    """The file is not a CSV/TSV/Excel file we can read; the message says why, for the user."""


@dataclass
class Dialect:
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ","


@dataclass(slots=True)
class SourceRow:
    """One row as the user's spreadsheet numbers it (1-based, blank rows included)."""

    number: int
    cells: list[str]
    # Bytes of the file consumed so far (CSV only): progress and ETA.
    position: int = 0
    # Why the row could not be read (then ``cells`` is empty): a per-row error, not the file's.
    error: str = ""


def detect_encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = head[: 2 * (min(len(head), 4096) // 2)]
    if pairs:
        odd_nuls = pairs[1::2].count(0) / (len(pairs) / 2)
        even_nuls = pairs[0::2].count(0) / (len(pairs) / 2)
        if odd_nuls > 0.4 and even_nuls < 0.05:
            return "utf-16-le"
        if even_nuls > 0.4 and odd_nuls < 0.05:
            return "utf-16-be"
    if _decodes_as_utf8(path):
        return "utf-8"
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            if any(b in _CP1252_HOLES for b in set(block)):
                return "latin-1"
    return "cp1252"


def _decodes_as_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the most sample lines into the same number (> 1) of cells."""
    lines = sample.splitlines()[:50]
    if len(sample) >= SAMPLE_BYTES // 2 and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample may be partial
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths: dict[int, int] = {}
        for cells in csv.reader(lines, delimiter=delimiter):
            if len(cells) > 1:
                widths[len(cells)] = widths.get(len(cells), 0) + 1
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def detect(path: Path) -> Dialect:
    """Encoding and delimiter of a CSV/TSV, or the xlsx format; UnreadableFile when neither."""
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        return Dialect(file_format="xlsx")
    if not magic:
        raise UnreadableFile("The file is empty.")
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="", errors="replace") as fh:
        sample = fh.read(SAMPLE_BYTES // 2)
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if "\x00" in sample or controls > len(sample) * 0.05:
        raise UnreadableFile("This looks like a binary file, not a CSV or Excel file.")
    return Dialect(file_format="csv", encoding=encoding, delimiter=sniff_delimiter(sample))


class _CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it (progress without tell())."""

    def __init__(self, raw: io.BufferedReader):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = self.raw.readinto(buffer)
        self.count += n or 0
        return n or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


def read_rows(path: Path, dialect: Dialect) -> Iterator[SourceRow]:
    """Every row of the file, numbered as a spreadsheet numbers it, cells as text."""
    if dialect.file_format == "xlsx":
        yield from _xlsx_rows(path)
        return
    counter = _CountingReader(open(path, "rb"))  # noqa: SIM115 - closed below
    try:
        text = io.TextIOWrapper(
            io.BufferedReader(counter, 1 << 20), encoding=dialect.encoding, newline=""
        )
        for number, cells, error in _csv_records(text, dialect.delimiter):
            yield SourceRow(number, cells, counter.count, error)
    finally:
        counter.close()


class _Lines:
    """The physical lines of the current record, and whether the file ended inside one."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.source = lines
        self.current: list[str] = []
        self.ended = False

    def __iter__(self) -> Iterator[str]:
        for line in self.source:
            self.current.append(line)
            yield line
        self.ended = True


def _csv_records(lines: Iterator[str], delimiter: str) -> Iterator[tuple[int, list[str], str]]:
    """(row number, cells, error) of every record; a record that cannot be read is an error
    row and the lines after its first are read again as rows, so nothing after it is lost.

    Two ways a record cannot be read: a cell over FIELD_LIMIT (csv raises), and a quote that
    is never closed (csv, not strict, would make the rest of the file one cell: the record is
    seen to end only because the file did).
    """
    number = 0
    pending: list[Iterator[str]] = [iter(lines)]
    while pending:
        tracked = _Lines(pending.pop())
        reader = csv.reader(iter(tracked), delimiter=delimiter)
        while True:
            tracked.current = []
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                number += 1
                yield number, [], _unreadable(exc)
                # Its first line is the row; the lines a runaway quote took are rows again.
                pending += [tracked.source, iter(tracked.current[1:])]
                break
            number += 1
            if tracked.ended:
                # csv reached the end of the file inside a quoted cell.
                swallowed = len(tracked.current) - 1
                yield (
                    number,
                    [],
                    (
                        'A quote (") opens a cell that is never closed; this row was skipped'
                        + (
                            f" and the {swallowed} lines after it were read as rows again."
                            if swallowed
                            else "."
                        )
                    ),
                )
                pending.append(iter(tracked.current[1:]))
                break
            yield number, cells, ""


def _unreadable(exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return (
            f"A cell is larger than {FIELD_LIMIT // (1024 * 1024)} MiB (or a quote opened in this "
            "row is never closed); the row was skipped."
        )
    return f"This row cannot be read as CSV ({exc}); it was skipped."


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[SourceRow]:
    import openpyxl  # only Excel uploads pay for loading it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged zip
        raise UnreadableFile(f"This Excel file cannot be read ({exc}).") from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            yield SourceRow(number, cells)
    finally:
        book.close()


def xlsx_row_count(path: Path) -> int | None:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return book.worksheets[0].max_row
    finally:
        book.close()
