#!/usr/bin/env python3
"""Adds strings to src/i18n.rs: one field to the Strings struct and its value to ZH and EN.

Usage: scripts/i18n-add.py FILE   where FILE has lines  name<TAB>zh<TAB>en
A development aid: the compiler then insists every string exists in both languages."""
import json, sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
path = "src/i18n.rs"
src = open(path, encoding="utf-8").read()
struct_end = src.index("\n}\n\npub const ZH")
fields = "".join(f"\n    pub {n}: &'static str," for n, _, _ in rows)
src = src[:struct_end] + fields + src[struct_end:]
for const, col in (("ZH", 1), ("EN", 2)):
    start = src.index(f"pub const {const}: Strings = Strings {{")
    end = src.index("\n};", start)
    values = "".join(f"\n    {r[0]}: {json.dumps(r[col], ensure_ascii=False)}," for r in rows)
    src = src[:end] + values + src[end:]
open(path, "w", encoding="utf-8").write(src)
print(f"added {len(rows)} strings")
