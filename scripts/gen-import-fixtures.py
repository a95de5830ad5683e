#!/usr/bin/env python3
"""Writes the sheets of tests/fixtures/import/: the monthly report of October 2025 for seven
units of the Cần Thơ sample, the way offices send it.

The office layout: two title rows, then headings on two rows (an indicator over
"Kế hoạch | Thực hiện | Tỷ lệ (%)", merged in the workbooks), an STT column, the
units' names and codes, a row per former province with its subtotal before its units,
a "Tổng cộng" row, a notes column and a footer. It is written as .xlsx, .xls and .ods,
as Excel's "CSV" in a Vietnamese locale (Windows-1258, ";", CRLF, "1.250" and "82,75")
and as its "Unicode Text" (UTF-16 with a byte-order mark, tabs). Beside them, the sheets
that must be refused or read with care: the heading row left over after deleting the
second one, a total that does not agree, the old TCVN3 and VNI codes, garbled UTF-8,
names in NFD, an Excel error value, a number dropped from a name, two sheets.

Needs openpyxl, xlwt and odfpy (pip install openpyxl xlwt odfpy). The tests read the
files this writes; run it again only to change them, and commit what it writes.

Usage: python3 scripts/gen-import-fixtures.py
"""

import unicodedata
from pathlib import Path

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import"

# (group, name, code, plan and figure of voluntary-si, plan and figure of health-insurance)
UNITS = [
    ("Cần Thơ cũ", "Phường Cái Khế", 31120, 1113, 560, 35652, 33100),
    ("Cần Thơ cũ", "Phường Tân An", 31147, 1508, 810, 35075, 32600),
    ("Cần Thơ cũ", "Phường Ô Môn", 31153, 1733, 900, 48880, 41900),
    ("Hậu Giang cũ", "Phường Vị Thanh", 31321, 957, 395, 35645, 32800),
    ("Hậu Giang cũ", "Xã Vị Thanh 1", 31465, 675, 380, 24689, 23900),
    ("Hậu Giang cũ", "Phường Long Mỹ", 31471, 1509, 1250, 38000, 35650),
    ("Sóc Trăng cũ", "Xã Mỹ Tú", 31567, 661, 370, 35398, 34900),
]
GROUPS = ["Cần Thơ cũ", "Hậu Giang cũ", "Sóc Trăng cũ"]
ROMAN = ["I", "II", "III"]
TITLE_ORG = "BẢO HIỂM XÃ HỘI THÀNH PHỐ CẦN THƠ"
TITLE = "BÁO CÁO KẾT QUẢ PHÁT TRIỂN NGƯỜI THAM GIA BHXH TỰ NGUYỆN, BHYT THÁNG 10/2025"


def rate(figure, plan):
    return round(figure * 100 / plan, 2)


def office_rows(total_off_by=0):
    """The office layout as rows of values (None for an empty cell)."""
    rows = [
        [TITLE_ORG] + [None] * 9,
        [TITLE] + [None] * 9,
        [None] * 10,
        ["STT", "Đơn vị", "Mã đơn vị", "BHXH tự nguyện", None, None, "BHYT", None, None, "Ghi chú"],
        [None, None, None, "Kế hoạch", "Thực hiện", "Tỷ lệ (%)", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)", None],
    ]

    def sums(units):
        p1, f1, p2, f2 = (sum(u[k] for u in units) for k in (3, 4, 5, 6))
        return [p1, f1, rate(f1, p1), p2, f2, rate(f2, p2)]

    n = 0
    for roman, group in zip(ROMAN, GROUPS):
        members = [u for u in UNITS if u[0] == group]
        rows.append([roman, group, None] + sums(members) + [None])
        for _, name, code, p1, f1, p2, f2 in members:
            n += 1
            rows.append([n, name, code, p1, f1, rate(f1, p1), p2, f2, rate(f2, p2), None])
    total = sums(UNITS)
    total[1] += total_off_by
    rows.append([None, "Tổng cộng", None] + total + [None])
    rows.append([None] * 10)
    rows.append([None, "Người lập biểu", None, None, None, None, None, "Giám đốc", None, None])
    return rows


def write_xlsx(path, sheets, merges=True):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if merges and name == "T10":
            for cells in ["A1:J1", "A2:J2", "A4:A5", "B4:B5", "C4:C5", "D4:F4", "G4:I4", "J4:J5"]:
                ws.merge_cells(cells)
    wb.save(path)


def write_xls(path, rows):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("T10")
    merged = {(0, 0): (0, 0, 0, 9), (1, 0): (1, 1, 0, 9), (3, 3): (3, 3, 3, 5), (3, 6): (3, 3, 6, 8)}
    skip = {(0, c) for c in range(1, 10)} | {(1, c) for c in range(1, 10)} | {(3, 4), (3, 5), (3, 7), (3, 8)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in skip or value is None:
                continue
            if (r, c) in merged:
                r1, r2, c1, c2 = merged[(r, c)]
                ws.write_merge(r1, r2, c1, c2, value)
            else:
                ws.write(r, c, value)
    wb.save(str(path))


def write_ods(path, rows):
    doc = OpenDocumentSpreadsheet()
    table = Table(name="T10")
    for row in rows:
        tr = TableRow()
        for value in row:
            if value is None:
                tr.addElement(TableCell())
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def formulas_unsaved(rows):
    """The sheet as a web application exports it: every figure a formula, no value saved
    with it (openpyxl, like those applications, writes formulas without their results)."""
    out = [r[:] for r in rows]
    for r, row in enumerate(out[5:], start=5):
        for c in (4, 7):
            if isinstance(row[c], (int, float)):
                row[c] = f"=ROUND({row[c]},0)"
    return out


def vi_number(value):
    """A number as Excel shows it in a Vietnamese locale: 1.250 and 82,75."""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def to_cp1258(text):
    """Windows-1258, as Excel writes it: a base letter (with its circumflex, breve or horn
    where the code page has it), then the tone mark as a combining character."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        # The base takes its circumflex, breve or horn (the code page has those letters);
        # the tone mark stays a combining character.
        shape = [m for m in marks if m in "\u0302\u0306\u031b"]
        if shape:
            base = unicodedata.normalize("NFC", base + shape[0])
            marks = [m for m in marks if m != shape[0]]
        out += base.encode("cp1258")
        for mark in marks:
            out += mark.encode("cp1258")
    return bytes(out)


def text_rows(rows, number=vi_number):
    return [["" if v is None else (number(v) if isinstance(v, (int, float)) else str(v)) for v in row] for row in rows]


# TCVN3 (ABC) and VNI codes of the letters in "Phường Long Mỹ", "Phường Ô Môn", "Xã Mỹ Tú".
TCVN3 = {"ư": "\u00ad", "ờ": "\u00ea", "ỹ": "\u00fc", "Ô": "\u00b4", "ô": "\u00ab", "ã": "\u00b7", "ú": "\u00f3"}
VNI = {"ư": "ö", "ờ": "ôø", "ỹ": "yõ", "Ô": "OÂ", "ô": "oâ", "ã": "aõ", "ú": "uù"}


def legacy(text, table):
    return "".join(table.get(ch, ch) for ch in text)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rows = office_rows()
    write_xlsx(OUT / "office.xlsx", [("T10", rows)])
    write_xls(OUT / "office.xls", rows)
    write_ods(OUT / "office.ods", rows)
    csv = "\r\n".join(";".join(r) for r in text_rows(rows)) + "\r\n"
    (OUT / "office-cp1258.csv").write_bytes(to_cp1258(csv))
    tsv = "\r\n".join("\t".join(r) for r in text_rows(rows, number=lambda v: f"{v:.2f}".replace(".", ",") if isinstance(v, float) else str(v))) + "\r\n"
    (OUT / "office-utf16.txt").write_bytes(b"\xff\xfe" + tsv.encode("utf-16-le"))

    # The second heading row deleted and the indicators' ids typed into the merged cells:
    # the ids now head the plans, and the figures are under no heading.
    leftover = [r[:] for r in rows[:3]] + [["STT", "Đơn vị", "Mã đơn vị", "voluntary-si", None, None, "health-insurance", None, None, "Ghi chú"]]
    leftover += [r[:] for r in rows[5:]]
    write_xlsx(OUT / "leftover-one-row.xlsx", [("T10", leftover)], merges=False)

    write_xlsx(OUT / "total-mismatch.xlsx", [("T10", office_rows(total_off_by=10))])

    errors = [r[:] for r in rows]
    errors[10][4] = "#N/A"  # Phường Vị Thanh's figure of voluntary-si, cell E11
    errors[11][7] = 23900.5  # Xã Vị Thanh 1's figure of health-insurance, cell H12
    write_xlsx(OUT / "excel-errors.xlsx", [("T10", errors)])

    mismatch = [r[:] for r in rows]
    mismatch[12][2] = 31153  # Phường Long Mỹ's code is Phường Ô Môn's: cell C13
    write_xlsx(OUT / "name-code-mismatch.xlsx", [("T10", mismatch)])

    write_xlsx(OUT / "formulas-unsaved.xlsx", [("T10", formulas_unsaved(rows))])

    notes = [["Ghi chú"], ["Số liệu do các phường, xã báo cáo."]]
    write_xlsx(OUT / "two-sheets.xlsx", [("Ghi chú", notes), ("T10", rows)])
    write_xlsx(OUT / "two-unit-sheets.xlsx", [("T9", rows), ("T10", rows)])

    simple = "Đơn vị,voluntary-si,health-insurance\r\nPhường Long Mỹ,1250,35650\r\nPhường Ô Môn,900,41900\r\nPhường Không Có,1,2\r\nXã Mỹ Tú,370,34900\r\n"
    (OUT / "simple-crlf.csv").write_text(simple, encoding="utf-8", newline="")
    (OUT / "nfd.csv").write_text(unicodedata.normalize("NFD", simple.replace("Phường Không Có,1,2\r\n", "")), encoding="utf-8", newline="")
    dropped = "Đơn vị;voluntary-si\nXã Vị Thanh;380\nPhường Long Mỹ;1250\n"
    (OUT / "dropped-number.csv").write_text(dropped, encoding="utf-8")

    lines = ["Đơn vị;voluntary-si", "Phường Long Mỹ;1250", "Phường Ô Môn;900", "Xã Mỹ Tú;370"]
    text = "\r\n".join(lines) + "\r\n"
    (OUT / "tcvn3.csv").write_bytes(legacy(text.replace("Đơn vị", "Don vi"), TCVN3).encode("cp1252"))
    (OUT / "vni.csv").write_bytes(legacy(text.replace("Đơn vị", "Don vi"), VNI).encode("cp1252"))
    (OUT / "garbled.csv").write_bytes(text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"))

    area_a = "Đơn vị;voluntary-si;health-insurance\nPhường Cái Khế;560;33100\nPhường Tân An;810;32600\n"
    area_b = "Đơn vị;voluntary-si;health-insurance\nPhường Long Mỹ;1250;35650\nXã Mỹ Tú;370;34900\n"
    (OUT / "area-a.csv").write_text(area_a, encoding="utf-8")
    (OUT / "area-b.csv").write_text(area_b, encoding="utf-8")
    print(f"wrote {len(list(OUT.iterdir()))} files into {OUT}")


if __name__ == "__main__":
    main()
