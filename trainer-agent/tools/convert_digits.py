#!/usr/bin/env python3
"""Converts scikit-learn's bundled copy of the UCI optdigits test set into the agent's resource.

Run once with /usr/bin/python3 (Debian's python3-sklearn provides the source file):

  tools/convert_digits.py [SOURCE.csv.gz] [TARGET.csv.gz]

The target is gzip'd CSV with a header `p0,...,p63,label`: 1,797 rows of 64 pixel counts
(0..16, row-major 8x8) and the digit. The gzip header carries no timestamp or file name, so
re-running the script gives byte-identical output.
"""
import csv
import gzip
import io
import sys

SOURCE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"
TARGET = "src/main/resources/io/lrscope/agent/data/digits.csv.gz"


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    target = sys.argv[2] if len(sys.argv) > 2 else TARGET
    with gzip.open(source, "rt") as f:
        rows = [[int(float(v)) for v in row] for row in csv.reader(f) if row]
    if len(rows) != 1797:
        sys.exit("expected 1797 rows, found %d" % len(rows))
    for i, row in enumerate(rows):
        if len(row) != 65 or not all(0 <= v <= 16 for v in row[:64]) or not 0 <= row[64] <= 9:
            sys.exit("row %d is not 64 pixels in 0..16 plus a label 0..9" % i)

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["p%d" % i for i in range(64)] + ["label"])
    writer.writerows(rows)
    with open(target, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
            out.write(text.getvalue().encode("ascii"))
    print("wrote %s: %d rows" % (target, len(rows)))


if __name__ == "__main__":
    main()
