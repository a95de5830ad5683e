#!/usr/bin/env python3
"""Writes the sample site's data files (the Cần Thơ sample at the repository root).

The 103 units, their names, codes and kinds are real (../shared/data/vn-divisions-2025.json).
The figures published by Báo Cần Thơ on 25/10/2025 are reproduced exactly:

- Phường Long Mỹ: 1,215 of 1,509 voluntary participants (80.52 %); health-insurance coverage
  88.25 % of its population, 92.89 % of its 95 % target rate.
- Phường Ô Môn: 50.89 % of its voluntary target; coverage 80.09 %.
- The city on 30/9/2025: just over 75,600 voluntary participants with just over 43,000 still
  needed; just over 2.94 million insured with just over 154,000 still needed.

Every other number is illustrative, drawn from a fixed seed so the output never changes.
The commentary in content/ is written by hand and is not touched.

Usage: python3 scripts/gen-sample.py [path/to/vn-divisions-2025.json]
"""

import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIVISIONS = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "vn-divisions-2025.json"

rng = random.Random(20251025)

# City totals to hit (within 1 % above the article's "more than" figures).
VOL_VALUE = 75_650
VOL_REMAINING = 43_060
HI_VALUE = 2_941_800
HI_REMAINING = 154_300


def group_of(code):
    # Ward codes keep the range of the former province they come from.
    if code <= 31318:
        return "Cần Thơ cũ"
    if code <= 31506:
        return "Hậu Giang cũ"
    return "Sóc Trăng cũ"


def people(rate, base):
    """⌈rate × base / 100⌉ exactly, with the rate in hundredths of a percent."""
    return -(-(round(rate * 100) * base) // 10_000)


def units():
    data = json.loads(DIVISIONS.read_text(encoding="utf-8"))
    city = next(p for p in data if p["code"] == 92)
    out = []
    for w in sorted(city["wards"], key=lambda w: w["code"]):
        out.append({
            "id": w["short_codename"].replace("_", "-"),
            "name": " ".join(w["name"].split()),
            "kind": {"phường": "ward", "xã": "commune"}[w["division_type"]],
            "code": w["code"],
            "group": group_of(w["code"]),
        })
    ids = [u["id"] for u in out]
    assert len(ids) == len(set(ids)) == 103, "ids must be unique"
    return out


def adjust_to_total(values, total, fixed, limits):
    """Changes the values not in `fixed` by whole people until they sum to `total`."""
    free = [i for i in range(len(values)) if i not in fixed]
    diff = total - sum(values)
    while diff != 0:
        i = rng.choice(free)
        step = max(-abs(diff), min(abs(diff), max(1, abs(diff) // 40))) * (1 if diff > 0 else -1)
        lo, hi = limits(i)
        new = min(hi, max(lo, values[i] + step))
        diff -= new - values[i]
        values[i] = new


def main():
    us = units()
    n = len(us)
    idx = {u["id"]: i for i, u in enumerate(us)}
    long_my, o_mon = idx["long-my"], idx["o-mon"]
    fixed = {long_my, o_mon}

    # Voluntary social insurance: targets and September figures.
    vol_target = [rng.randint(800, 1700) if u["kind"] == "ward" else rng.randint(650, 1500) for u in us]
    vol_target[long_my] = 1509
    # Ô Môn: a target for which some whole figure is 50.89 % when rounded to two decimals.
    for t in range(1700, 2100):
        v = math.ceil(0.50885 * t)
        if v / t < 0.50895:
            vol_target[o_mon], o_mon_vol = t, v
            break
    adjust_to_total(vol_target, VOL_VALUE + VOL_REMAINING, fixed, lambda i: (500, 2400))
    share = [rng.choice([rng.uniform(0.42, 0.62), rng.uniform(0.55, 0.8), rng.uniform(0.75, 1.08)]) for _ in us]
    vol_sep = [round(t * s) for t, s in zip(vol_target, share)]
    vol_sep[long_my], vol_sep[o_mon] = 1215, o_mon_vol
    adjust_to_total(vol_sep, VOL_VALUE, fixed, lambda i: (round(vol_target[i] * 0.35), round(vol_target[i] * 1.1)))

    # Health insurance: populations, target rates and September figures.
    base = [rng.randint(26_000, 46_000) if u["kind"] == "ward" else rng.randint(22_000, 40_000) for u in us]
    rate = [rng.choice([93.0, 93.5, 94.0, 94.5, 95.0, 95.5]) for _ in us]
    base[long_my], rate[long_my] = 40_000, 95.0
    base[o_mon], rate[o_mon] = 52_000, 94.0
    goal_total = HI_VALUE + HI_REMAINING
    for _ in range(20):
        total = sum(people(r, b) for r, b in zip(rate, base))
        if abs(total - goal_total) < 50:
            break
        factor = goal_total / total
        base = [b if i in fixed else round(b * factor) for i, b in enumerate(base)]
    # Land exactly: move single people of base on units with a 95 % rate.
    while True:
        total = sum(people(r, b) for r, b in zip(rate, base))
        if total == goal_total:
            break
        i = rng.choice([k for k in range(n) if k not in fixed])
        base[i] += 1 if total < goal_total else -1
    hi_target = [people(r, b) for r, b in zip(rate, base)]
    hi_sep = [round(t * rng.uniform(0.9, 1.0)) for t in hi_target]
    hi_sep[long_my] = 35_300
    hi_sep[o_mon] = 41_647  # 80.09 % of 52,000
    adjust_to_total(hi_sep, HI_VALUE, fixed, lambda i: (round(hi_target[i] * 0.85), min(base[i], hi_target[i] + 200)))

    # Monthly paths: from the end of 2024 to September 2025, rising steadily.
    months = list(range(1, 10))
    vol_dec = [round(s * rng.uniform(0.78, 0.9)) for s in vol_sep]
    hi_dec = [round(s * rng.uniform(0.965, 0.99)) for s in hi_sep]

    def path(start, end, k, curve):
        return round(start + (end - start) * (k / 9) ** curve)

    vol_curve = [rng.uniform(0.8, 1.3) for _ in us]
    hi_curve = [rng.uniform(0.8, 1.3) for _ in us]
    # One commune did not report in June: its page says so, and the city carries it forward.
    missing_june = idx["thanh-xuan"]

    reports = {}
    for k in months:
        figures = {}
        for i, u in enumerate(us):
            if k == 6 and i == missing_june:
                continue
            figures[u["id"]] = (path(vol_dec[i], vol_sep[i], k, vol_curve[i]), path(hi_dec[i], hi_sep[i], k, hi_curve[i]))
        reports[(2025, k)] = figures

    # 2024: quarterly reports and targets, for the history and the expected-path baseline.
    vol_target_2024 = [max(400, round(d * rng.uniform(0.95, 1.12))) for d in vol_dec]
    base_2024 = [round(b * 0.99) for b in base]
    rate_2024 = [r - 1.0 for r in rate]
    for q, frac in ((3, 0.8), (6, 0.86), (9, 0.93), (12, 1.0)):
        figures = {}
        for i, u in enumerate(us):
            vol = vol_dec[i] if q == 12 else round(vol_dec[i] * frac * rng.uniform(0.99, 1.0))
            hi = hi_dec[i] if q == 12 else round(hi_dec[i] * (0.97 + 0.03 * frac))
            figures[u["id"]] = (vol, min(hi, base_2024[i]))
        reports[(2024, q)] = figures

    write_localities(us)
    write_targets(2025, us, vol_target, rate, base)
    write_targets(2024, us, vol_target_2024, rate_2024, base_2024)
    reports_dir = ROOT / "data" / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    for (year, month), figures in sorted(reports.items()):
        write_report(reports_dir, year, month, figures)

    vol_city = sum(vol_sep)
    hi_city = sum(hi_sep)
    print(f"voluntary: {vol_city} of {sum(vol_target)}, {sum(vol_target) - vol_city} needed")
    print(f"health insurance: {hi_city} of {sum(hi_target)} people, {sum(hi_target) - hi_city} needed")
    print(f"Ô Môn: {o_mon_vol} of {vol_target[o_mon]} = {100 * o_mon_vol / vol_target[o_mon]:.2f} %")


def q(text):
    return json.dumps(text, ensure_ascii=False)


def write_localities(us):
    lines = [
        "# The city and its 103 wards (phường) and communes (xã), as reorganised in July 2025.",
        "# Names and codes are the national statistics office's; ids are the short code names.",
        "# group: the former province each unit belonged to before the 2025 merger.",
        "city: { id: can-tho, name: \"Thành phố Cần Thơ\" }",
        "localities:",
    ]
    for u in us:
        lines.append(
            f"  - {{ id: {u['id']}, name: {q(u['name'])}, kind: {u['kind']}, code: {u['code']}, group: {q(u['group'])} }}"
        )
    (ROOT / "data").mkdir(exist_ok=True)
    (ROOT / "data" / "localities.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_targets(year, us, vol, rate, base):
    path = ROOT / "data" / "targets" / f"{year}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# Targets assigned for {year}. Illustrative, except Long Mỹ's ({year == 2025 and '1,509 participants, 95 % coverage' or 'none published'}).",
        "# voluntary-si: people; health-insurance: target rate (%) and the population it is a share of.",
        f"year: {year}",
        f"due: {year}-12-31",
        "targets:",
    ]
    for i, u in enumerate(us):
        lines.append(f"  {u['id']}: {{ voluntary-si: {vol[i]}, health-insurance: {{ rate: {rate[i]:.1f}, base: {base[i]} }} }}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_report(directory, year, month, figures):
    last_day = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)
    if year == 2025 and month == 9:
        source = ("Số liệu minh hoạ; số liệu của phường Long Mỹ, phường Ô Môn và tổng toàn thành phố "
                  "khớp với số liệu Báo Cần Thơ công bố ngày 25/10/2025")
    else:
        source = "Số liệu minh hoạ"
    lines = [
        f"# Figures reported as of {year}-{month:02d}-{last_day}. Counts of people; a unit left out has no figure that month.",
        f"as_of: {year}-{month:02d}-{last_day}",
        f"source: {q(source)}",
        "figures:",
    ]
    for uid, (vol, hi) in figures.items():
        lines.append(f"  {uid}: {{ voluntary-si: {vol}, health-insurance: {hi} }}")
    (directory / f"{year}-{month:02d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
