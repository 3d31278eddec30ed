"""The SQLite file's 100-byte header: a file cut short is seen before anything reads it.

O(1): the page size and the page count the header holds against the file's size (unless a
write-ahead log beside it still holds the pages a checkpoint had yet to copy). Used on
every open (``reception.location.check_file``) and by ``reception check``.
"""

from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


def header_problem(path: Path) -> str | None:
    """A message key when the file's header already shows it is damaged, else None.

    An empty file or one that is not SQLite at all is someone else's business (said
    elsewhere, in their own words)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError:
        return None
    if not header.startswith(SQLITE_HEADER):
        return None
    if len(header) < 100:
        return "db.damaged"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        return "db.damaged"
    if size % page_size or lost_pages(path, header, size):
        return "db.damaged"
    return None


def checkpoint_pending(path: Path) -> bool:
    """Whether a write-ahead log with pages in it lies beside the file.

    A checkpoint copies the log's pages into the file in page order, the header's page
    first. A process killed in between leaves a file shorter than its header says. That
    file is whole: SQLite reads those pages from the log, and the next checkpoint copies
    them in. Only a file cut short with no log behind it has lost pages."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > WAL_HEADER_SIZE
    except OSError:
        return False


#: A log of this size or less holds no page.
WAL_HEADER_SIZE = 32


def lost_pages(path: Path, header: bytes, size: int) -> tuple[int, int] | None:
    """``cut_short``, unless the log beside the file still holds the missing pages."""
    short = cut_short(header, size)
    return None if short is None or checkpoint_pending(path) else short


def cut_short(header: bytes, size: int) -> tuple[int, int] | None:
    """(pages there, pages the header counts) when the file is shorter than its header says."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid when the "version valid for" number equals the change counter.
    if page_size and pages and header[92:96] == header[24:28] and pages * page_size > size:
        return size // page_size, pages
    return None
