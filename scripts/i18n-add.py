#!/usr/bin/env python3
"""Adds plain strings to the app: one field to the Strings struct (src/i18n/mod.rs) and its
value to each language's file (src/i18n/zh.rs, src/i18n/en.rs).

Usage: scripts/i18n-add.py FILE   where FILE has lines  name<TAB>zh<TAB>en
A development aid: the compiler then insists every string exists in both languages. A message
with values is a function with named arguments; write that field by hand."""
import json, sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]

def insert_before_end(path, opening, closing, text):
    src = open(path, encoding="utf-8").read()
    start = src.index(opening)
    end = src.index(closing, start)
    open(path, "w", encoding="utf-8").write(src[:end] + text + src[end:])

insert_before_end("src/i18n/mod.rs", "pub struct Strings {", "\n}\n", "".join(f"\n    pub {n}: &'static str," for n, _, _ in rows))
for path, const, col in (("src/i18n/zh.rs", "ZH", 1), ("src/i18n/en.rs", "EN", 2)):
    values = "".join(f"\n    {r[0]}: {json.dumps(r[col], ensure_ascii=False)}," for r in rows)
    insert_before_end(path, f"pub const {const}: Strings = Strings {{", "\n};", values)
print(f"added {len(rows)} strings")
