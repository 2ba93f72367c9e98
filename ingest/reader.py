"""Read a CSV file as chunks of text columns, refusing what is not CSV text clearly.

Memory stays bounded by the chunk size whatever the file size. Every value is read as
text; typing and checking happen in ``validate``.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pandas as pd
from django.utils.translation import gettext as _

from ingest.columns import HeaderCheck, check_header

SAMPLE_BYTES = 64 * 1024
DEFAULT_CHUNK_ROWS = 100_000
DELIMITERS = [",", ";", "\t", "|"]


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


def _decode_sample(sample: bytes) -> str:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(_("The file is UTF-16 text. Save it as “CSV UTF-8” and try again."))
    # A NUL in the header line says binary (a spreadsheet, an archive, UTF-16 without
    # its BOM); one in a later line is a bad value of that row, which the checks
    # report with its row and column while the other rows still count.
    if b"\x00" in sample.split(b"\n", 1)[0]:
        raise FileProblem(_("This is a binary file, not CSV text."))
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        return decoder.decode(sample, final=False)
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _(
                "The file is not UTF-8 text (byte 0x%(byte)02X at position %(position)d). "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"byte": sample[exc.start], "position": exc.start}
        ) from None


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most fields (comma on a tie)."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 1 else ","


def open_csv(stream: BinaryIO, *, kind: str, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> CsvFile:
    sample = stream.read(SAMPLE_BYTES)
    if not sample.strip():
        raise FileProblem(_("The file is empty."))
    text = _decode_sample(sample)
    header_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = sniff_delimiter(header_line)
    header_names = next(csv.reader([header_line], delimiter=delimiter))
    header = check_header(kind, header_names)
    stream.seek(0)
    return CsvFile(
        header=header,
        delimiter=delimiter,
        chunks=_chunks(stream, header, delimiter, chunk_rows),
    )


def _chunks(stream: BinaryIO, header: HeaderCheck, delimiter: str, chunk_rows: int):
    usecols = list(header.rename)
    reader = pd.read_csv(
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
    )
    try:
        for frame in reader:
            frame = frame.rename(columns=header.rename).fillna("")
            frame.index = frame.index + 2  # row 1 is the header
            yield Chunk(frame=frame, bytes_read=_position(stream))
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _("The file is not UTF-8 text past its beginning (%(error)s). Save it as UTF-8.")
            % {"error": exc.reason}
        ) from None
    except (pd.errors.ParserError, csv.Error) as exc:
        raise FileProblem(_("The CSV structure is broken: %(error)s") % {"error": exc}) from None


def _position(stream: BinaryIO) -> int:
    try:
        return stream.tell()
    except (OSError, io.UnsupportedOperation):
        return 0
