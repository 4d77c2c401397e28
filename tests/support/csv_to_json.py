#!/usr/bin/env python3
"""Reads a CSV file with Python's csv module and prints its records as JSON.

The CSV tests read their files back through this script so that what the C++ writer produced is
judged by an independent, widely used RFC 4180 reader rather than by the project's own code.

Usage: csv_to_json.py [--summary] FILE
Prints {"count": N, "records": [[cell, ...], ...]} on stdout: every record, or with --summary
only the first and the last (a file of hundreds of thousands of records is still parsed whole,
but the test need not decode all of it). ASCII only (non-ASCII as \\u escapes), so the output
does not depend on the locale's encoding. Exits non-zero, with the reason on stderr, when the
file is not valid UTF-8 or not well-formed CSV: strict mode rejects a stray quote instead of
guessing.
"""

import csv
import json
import sys


def main() -> int:
    args = sys.argv[1:]
    summary = bool(args) and args[0] == "--summary"
    if summary:
        args = args[1:]
    if len(args) != 1:
        print("usage: csv_to_json.py [--summary] FILE", file=sys.stderr)
        return 2
    path = args[0]
    # The default limit of 128 Ki characters a field is a guard for untrusted input; the tests
    # write longer cells on purpose and want them back whole.
    csv.field_size_limit(sys.maxsize)
    count = 0
    first = last = None
    records = []
    try:
        # newline="" hands line breaks inside quoted fields to the csv module untouched, as its
        # documentation requires; errors="strict" makes invalid UTF-8 an error, not U+FFFD.
        with open(path, encoding="utf-8", errors="strict", newline="") as file:
            for record in csv.reader(file, dialect="excel", strict=True):
                count += 1
                if not summary:
                    records.append(record)
                elif first is None:
                    first = record
                last = record
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        print(f"csv_to_json.py: {path}: {error}", file=sys.stderr)
        return 1
    if summary:
        records = [first, last] if count > 1 else ([first] if count else [])
    json.dump({"count": count, "records": records}, sys.stdout, ensure_ascii=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
