"""Read a CSV file as chunks of text columns, refusing what is not CSV text clearly.

Memory stays bounded by the chunk size whatever the file size. Every value is read as
text; typing and checking happen in ``validate``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pandas as pd
from django.utils.translation import gettext as _

from ingest.columns import HeaderCheck, check_header

SAMPLE_BYTES = 64 * 1024
DEFAULT_CHUNK_ROWS = 100_000
DELIMITERS = [",", ";", "\t", "|"]
#: What an undecodable byte becomes when read with errors="surrogateescape".
BAD_BYTE = re.compile("[\udc80-\udcff]")


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Chunk:
    frame: pd.DataFrame  # documented column names, text values, index = file row number
    bytes_read: int


@dataclass(frozen=True)
class CsvFile:
    header: HeaderCheck
    delimiter: str
    chunks: Iterator[Chunk]


def _utf16_without_bom(sample: bytes) -> bool:
    """UTF-16 text of mostly Latin characters has a NUL in every other byte (the odd
    ones little-endian, the even ones big-endian) and almost none in the others; a
    binary file's NULs follow no such pattern."""
    head = sample[:4096]
    pairs = len(head) // 2
    if pairs < 2:
        return False
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    return max(even, odd) > pairs // 2 and min(even, odd) <= pairs // 20


def _refuse_non_text(sample: bytes) -> None:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(sample):
        raise FileProblem(_("The file is UTF-16 text. Save it as “CSV UTF-8” and try again."))
    # A NUL in the header line says binary (a spreadsheet, an archive, UTF-16 without
    # its BOM); one in a later line is a bad value of that row, which the checks
    # report with its row and column while the other rows still count.
    if b"\x00" in sample.split(b"\n", 1)[0]:
        raise FileProblem(_("This is a binary file, not CSV text."))


def _is_utf8(sample: bytes) -> bool:
    """The sample decodes (a character cut at its end is not an error)."""
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _not_utf8(stream: BinaryIO, delimiter: str, header: list[str]) -> FileProblem:
    """The refusal of a file that is not UTF-8, naming the row (the header is row 1, blank
    lines are not counted, as everywhere else) and the column of its first bad byte.

    Runs only once decoding failed: it reads the file again from the start, so that the
    row is exact even where quoted values span lines. Undecodable bytes are read as lone
    surrogates (U+DC80 to U+DCFF), which valid UTF-8 never produces.
    """
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    hit = False

    def lines() -> Iterator[str]:
        nonlocal hit
        for line in text:
            hit = hit or BAD_BYTE.search(line) is not None
            yield line

    try:
        records = (fields for fields in csv.reader(lines(), delimiter=delimiter) if fields)
        for row, fields in enumerate(records, start=1):
            if not hit:
                continue
            for index, value in enumerate(fields):
                if found := BAD_BYTE.search(value):
                    # A bad byte in the header itself shows as U+FFFD in its name.
                    column = header[index] if index < len(header) else ""
                    return _not_utf8_problem(
                        row, BAD_BYTE.sub("\ufffd", column), ord(found.group()) - 0xDC00
                    )
    except csv.Error:
        pass
    finally:
        text.detach()
    return FileProblem(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))


def _not_utf8_problem(row: int, column: str, byte: int) -> FileProblem:
    values = {"row": row, "column": column, "byte": byte}
    if column:
        message = _(
            "Row %(row)d is not UTF-8 text: column “%(column)s” holds the byte 0x%(byte)02X. "
            "Save the file as “CSV UTF-8” and try again."
        )
    else:
        message = _(
            "Row %(row)d is not UTF-8 text: it holds the byte 0x%(byte)02X. "
            "Save the file as “CSV UTF-8” and try again."
        )
    return FileProblem(message % values)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most fields (comma on a tie)."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 1 else ","


def open_csv(stream: BinaryIO, *, kind: str, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> CsvFile:
    sample = stream.read(SAMPLE_BYTES)
    if not sample.strip():
        raise FileProblem(_("The file is empty."))
    _refuse_non_text(sample)
    # Undecodable bytes become lone surrogates here; the header is checked for them below.
    text = sample.decode("utf-8-sig", errors="surrogateescape")
    header_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = sniff_delimiter(header_line)
    header_names = next(csv.reader([header_line], delimiter=delimiter))
    if not _is_utf8(sample):
        raise _not_utf8(stream, delimiter, header_names)
    header = check_header(kind, header_names)
    stream.seek(0)
    return CsvFile(
        header=header,
        delimiter=delimiter,
        chunks=_chunks(stream, header, header_names, delimiter, chunk_rows),
    )


def _chunks(
    stream: BinaryIO, header: HeaderCheck, names: list[str], delimiter: str, chunk_rows: int
) -> Iterator[Chunk]:
    usecols = list(header.rename)
    try:
        # pandas decodes the whole file, the ignored columns too, a block ahead of the
        # rows it returns: a bad byte may surface while the reader is being built.
        with pd.read_csv(
            stream,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            usecols=lambda name: name in usecols,
            chunksize=chunk_rows,
            encoding="utf-8-sig",
            encoding_errors="strict",
            engine="c",
        ) as reader:
            for frame in reader:
                frame = frame.rename(columns=header.rename).fillna("")
                frame.index = frame.index + 2  # row 1 is the header
                yield Chunk(frame=frame, bytes_read=_position(stream))
    except UnicodeDecodeError:
        raise _not_utf8(stream, delimiter, names) from None
    except (pd.errors.ParserError, csv.Error) as exc:
        raise FileProblem(_("The CSV structure is broken: %(error)s") % {"error": exc}) from None


def _position(stream: BinaryIO) -> int:
    try:
        return stream.tell()
    except (OSError, io.UnsupportedOperation):
        return 0
