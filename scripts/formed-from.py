#!/usr/bin/env python3
"""Fills `formed_from` in a site's data/localities.yaml from the national lineage list.

    python3 scripts/formed-from.py ../shared/data/vn-lineage-2025.json data/localities.yaml

vn-lineage-2025.json lists, for each of the 3,321 units of the reorganisation of 1 July
2025, its statistics code and the units it was formed from. For every unit of the site
written on one line as `- { id: …, code: 31471, … }`, this adds (or replaces)
`formed_from: [ … ]` with those names, matched by code as a number (`"00004"` is 4).
Units kept as they were get none. Everything else in the file (comments, order, other
keys) is left as it is; units written over several lines, or without a code, are listed
at the end for you to fill by hand. Run `tiendo check` afterwards.
"""
import json
import re
import sys


def quoted(name):
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(lineage_path, localities_path):
    with open(lineage_path, encoding="utf-8") as f:
        lineage = {int(u["code"]): u["formed_from"] for u in json.load(f)}
    with open(localities_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    filled, by_hand = 0, []
    for k, line in enumerate(lines):
        if not re.match(r"\s*- \{", line):
            if re.match(r"\s*- id:", line):
                by_hand.append(line.strip())
            continue
        code = re.search(r"\bcode:\s*\"?(\d+)\"?", line)
        if not code or not line.rstrip().endswith("}"):
            by_hand.append(line.strip())
            continue
        names = lineage.get(int(code.group(1)))
        line = re.sub(r",\s*formed_from:\s*\[[^\]]*\]", "", line)
        if names:
            body = line.rstrip()[:-1].rstrip()
            line = body + ", formed_from: [" + ", ".join(quoted(n) for n in names) + "] }"
            filled += 1
        lines[k] = line
    with open(localities_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"formed_from written for {filled} units")
    for line in by_hand:
        print(f"fill by hand: {line}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
