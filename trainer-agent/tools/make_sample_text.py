#!/usr/bin/env python3
"""Makes the char-LM sample text from Debian's jargon-text package (The Jargon File 4.4.7,
Eric S. Raymond, public domain: see /usr/share/doc/jargon-text/copyright).

Keeps the first ~300 KB of lexicon entries (from the first `:` entry on), strips the leading
indentation, drops characters outside printable ASCII and writes it gzipped next to digits.

  apt-get install -y jargon-text && tools/make_sample_text.py
"""
import gzip

SOURCE = "/usr/share/doc/jargon-text/jargon.txt.gz"
TARGET = "src/main/resources/io/lrscope/agent/data/jargon-sample.txt.gz"
LIMIT = 300_000

with gzip.open(SOURCE, "rt", encoding="utf-8") as f:
    lines = f.read().splitlines()
start = next(i for i, line in enumerate(lines) if line.startswith("   :(TM):"))
out, size = [], 0
for line in lines[start:]:
    text = "".join(c for c in line.strip() if 32 <= ord(c) < 127)
    out.append(text)
    size += len(text) + 1
    if size >= LIMIT and text == "":
        break
with gzip.GzipFile(TARGET, "wb", mtime=0) as f:
    f.write(("\n".join(out) + "\n").encode("ascii"))
print("wrote", TARGET, size, "characters")
