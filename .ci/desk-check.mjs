// The monthly update in the browser, as an officer does it: `tiendo serve` on a copy of
// the sample site, /_tiendo/ opened in Chromium, an .xlsx made here (title, two heading
// rows, STT, every unit, area totals) imported through the page, confirmed, and found in
// data/reports/ and in the preview; then a broken workbook whose problems are listed
// with their cells and nothing written; then publishing, with the output folder complete
// and its .zip. Screenshots of each step at 1280 and 360 px go to OUT.
// Usage: node .ci/desk-check.mjs SAMPLE_DIR WEBCHECK_DIR TIENDO_BINARY OUT
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const [sample, webcheck, tiendo, out] = process.argv.slice(2);
const require = createRequire(path.resolve(webcheck, "package.json"));
const { chromium } = require("playwright-core");
const axe = require("axe-core");
fs.mkdirSync(out, { recursive: true });

let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures += 1;
};

// --- an .xlsx as Excel writes one: a zip of XML parts -------------------------------
function zip(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, "utf8");
    const packed = zlib.deflateRawSync(data);
    const crc = zlib.crc32(data);
    const nameBuf = Buffer.from(name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8); local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBuf.length, 26);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(20, 6); head.writeUInt16LE(0x0800, 8);
    head.writeUInt16LE(8, 10); head.writeUInt32LE(crc >>> 0, 16); head.writeUInt32LE(packed.length, 20);
    head.writeUInt32LE(data.length, 24); head.writeUInt16LE(nameBuf.length, 28); head.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, packed);
    central.push(head, nameBuf);
    offset += 30 + nameBuf.length + packed.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const col = (c) => String.fromCharCode(65 + c);
function xlsx(rows, sheetName) {
  const cells = rows.map((row, r) => `<row r="${r + 1}">` + row.map((v, c) => {
    if (v === null || v === undefined) return "";
    const ref = `${col(c)}${r + 1}`;
    return typeof v === "number" ? `<c r="${ref}"><v>${v}</v></c>`
      : `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  }).join("") + "</row>").join("");
  return zip([
    ["[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`],
    ["_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ["xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${esc(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    ["xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`],
    ["xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cells}</sheetData></worksheet>`],
  ]);
}

// --- the site: a copy of the sample, and its units ------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), "tiendo-desk-"));
const site = path.join(work, "site");
fs.mkdirSync(site);
for (const entry of ["site.yaml", "data", "content", "templates"]) {
  fs.cpSync(path.join(sample, entry), path.join(site, entry), { recursive: true });
}
const units = [];
for (const line of fs.readFileSync(path.join(site, "data/localities.yaml"), "utf8").split("\n")) {
  const name = line.match(/\bname: "([^"]+)"/);
  const g = line.match(/\bgroup: "([^"]+)"/);
  const id = line.match(/\{ id: ([a-z0-9-]+)/);
  if (line.trimStart().startsWith("- ") && id && name) units.push({ id: id[1], name: name[1], group: g ? g[1] : null });
}
// October's figures: each unit's September figures and a little more.
const september = fs.readFileSync(path.join(site, "data/reports/2025-09.yaml"), "utf8");
const last = {};
for (const m of september.matchAll(/^\s+([a-z0-9-]+): \{ voluntary-si: (\d+)(?:, health-insurance: (\d+))? \}/gm)) {
  last[m[1]] = [Number(m[2]), Number(m[3] || 0)];
}
const october = Object.fromEntries(units.map((u, k) => {
  const [vsi, hi] = last[u.id] || [100, 10000];
  return [u.id, [vsi + 7 + (k % 5), hi + 40 + k]];
}));
function officeRows(broken) {
  const rows = [
    ["BẢO HIỂM XÃ HỘI THÀNH PHỐ CẦN THƠ"],
    ["BÁO CÁO KẾT QUẢ PHÁT TRIỂN NGƯỜI THAM GIA BHXH TỰ NGUYỆN, BHYT THÁNG 10/2025"],
    [],
    ["STT", "Đơn vị", "BHXH tự nguyện", null, "BHYT", null, "Ghi chú"],
    [null, null, "Kế hoạch", "Thực hiện", "Kế hoạch", "Thực hiện", null],
  ];
  const groups = [...new Set(units.map((u) => u.group))];
  let n = 0;
  for (const g of groups) {
    const members = units.filter((u) => u.group === g);
    rows.push([null, g, null, members.reduce((s, u) => s + october[u.id][0], 0), null,
      members.reduce((s, u) => s + october[u.id][1], 0), null]);
    for (const u of members) {
      n += 1;
      rows.push([n, u.name, 1500, october[u.id][0], 40000, october[u.id][1], null]);
    }
  }
  if (broken) {
    rows[6][3] = "khoảng 500";         // a figure that is no number
    rows.push([999, units[3].name, 1500, 12, 40000, 13, null]); // a unit twice, other figures
  }
  return rows;
}
const good = path.join(work, "BC thang 10-2025.xlsx");
fs.writeFileSync(good, xlsx(officeRows(false), "T10"));
const broken = path.join(work, "BC thang 11-2025.xlsx");
fs.writeFileSync(broken, xlsx(officeRows(true).map((r) => r.map((v) => (typeof v === "string" ? v.replace("THÁNG 10", "THÁNG 11") : v))), "T11"));

// --- serve, and the browser -------------------------------------------------------------
const server = spawn(tiendo, ["serve", "--root", site, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise((resolve, reject) => {
  const lines = readline.createInterface({ input: server.stdout });
  lines.on("line", (line) => {
    const m = line.match(/127\.0\.0\.1:(\d+)/);
    if (m) resolve(Number(m[1]));
  });
  server.on("exit", () => reject(new Error("serve ended")));
  setTimeout(() => reject(new Error("serve did not start")), 30000);
});
const base = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
// Each step's page as a person with a screen reader or a keyboard meets it: axe's WCAG 2.1
// A and AA rules, at both widths; serious or critical findings fail.
const accessible = async (page, name) => {
  await page.addScriptTag({ content: axe.source });
  const found = await page.evaluate(async () =>
    (await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })).violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
  check(found.length === 0, `${name} at ${page.viewportSize().width} px: no serious accessibility problem${found.length ? ` (${found.join("; ")})` : ""}`);
};
const shots = async (page, name) => {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(out, `${name}-${width}.png`), fullPage: true });
    if (page.url().includes("/_tiendo/")) await accessible(page, name);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
};
const until = async (done, what, seconds = 20) => {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > seconds * 1000) { check(false, what); return; }
    await new Promise((r) => setTimeout(r, 200));
  }
  check(true, what);
};

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/`);
  check(await page.locator(`a[href="/_tiendo/"]`).count() > 0, "the preview's pages link to /_tiendo/");
  await page.goto(`${base}/_tiendo/`);
  check((await page.textContent("main")).includes("2025-09.yaml"), "the update page shows the latest report");
  check(await page.inputValue("#as_of") === "2025-10-31", "the date is prefilled with the next month's end");
  await shots(page, "1-overview");

  // Import with the wrong month chosen: refused, naming the title's cell, with a button
  // that reads the stored file again as of the date it states.
  await page.fill("#as_of", "2025-11-30");
  await page.setInputFiles("#file", good);
  await page.click("form[action='/_tiendo/import'] button[type=submit]");
  await page.waitForSelector("section.bad");
  const wrong = await page.textContent("main");
  check(wrong.includes("ô A2") && wrong.includes("THÁNG 10/2025") && !wrong.includes("--as-of"),
    "a date the sheet contradicts is refused in the page's words, naming the cell");
  await shots(page, "2a-wrong-month");
  await page.click("form[action='/_tiendo/reread'] button[type=submit]");
  // Then: what was read, and confirm.
  await page.waitForSelector("h2");
  const read = await page.textContent("main");
  check(read.includes("BHXH tự nguyện: cột D") && read.includes("BHYT: cột F"), "the summary says which column became which indicator");
  check(/tổng của \d+ đơn vị, khớp/.test(read), "the summary says which totals agreed");
  check(!fs.existsSync(path.join(site, "data/reports/2025-10.yaml")), "reading writes nothing");
  await shots(page, "2-read");
  await page.click("button[value=new]");
  await page.waitForSelector("section.ok");
  await shots(page, "3-written");
  const report = path.join(site, "data/reports/2025-10.yaml");
  const written = fs.existsSync(report) ? fs.readFileSync(report, "utf8") : "";
  const [lv, lh] = october["long-my"];
  check(written.includes(`long-my: { voluntary-si: ${lv}, health-insurance: ${lh} }`), "data/reports/2025-10.yaml holds Long Mỹ's figures");
  check(written.includes("as_of: 2025-10-31"), "the report is dated as chosen");
  const shown = lv.toLocaleString("de-DE");
  await until(async () => {
    const r = await fetch(`${base}/localities/long-my/`);
    const html = await r.text();
    return html.includes("31/10/2025") && html.includes(shown);
  }, `the preview shows Long Mỹ's new figure (${shown}) as of 31/10/2025`);
  await page.goto(`${base}/localities/long-my/`);
  await shots(page, "4-preview");

  // A broken workbook: every problem with its cell, nothing written.
  await page.goto(`${base}/_tiendo/`);
  await page.fill("#as_of", "2025-11-30");
  await page.setInputFiles("#file", broken);
  await page.click("form[action='/_tiendo/import'] button[type=submit]");
  await page.waitForSelector("section.bad");
  const problems = await page.textContent("main");
  check(/ô D7/.test(problems) && problems.includes("khoảng 500"), "the figure that is no number is named by its cell");
  check(problems.includes(units[3].name) && problems.includes("đã có ở dòng"), "the unit given twice is named with both rows");
  check(problems.includes("Chưa ghi gì cả"), "the page says nothing was written");
  check(!fs.existsSync(path.join(site, "data/reports/2025-11.yaml")), "nothing was written for the broken workbook");
  check(await page.locator("button[value=new]").count() === 0, "no button writes a broken workbook");
  await shots(page, "5-problems");

  // Check.
  await page.goto(`${base}/_tiendo/check`);
  check(!(await page.textContent("main")).includes("Các lỗi"), "check finds no error after the import");
  await shots(page, "6-check");

  // Publish, and the .zip.
  await page.goto(`${base}/_tiendo/`);
  await page.click("form[action='/_tiendo/publish'] button[type=submit]");
  await page.waitForSelector("section.ok", { timeout: 120000 });
  const published = await page.textContent("main");
  check(published.includes("Đã xuất bản") && published.includes(path.join(site, "public")), "publishing says where the site is");
  const pub = path.join(site, "public");
  const count = (dir) => fs.readdirSync(dir, { withFileTypes: true })
    .reduce((n, e) => n + (e.isDirectory() ? count(path.join(dir, e.name)) : 1), 0);
  const localities = fs.existsSync(path.join(pub, "localities")) ? fs.readdirSync(path.join(pub, "localities"), { withFileTypes: true }).filter((e) => e.isDirectory()).length : 0;
  check(localities === units.length, `the output folder has a page for every unit (${localities} of ${units.length})`);
  const home = fs.existsSync(path.join(pub, "index.html")) ? fs.readFileSync(path.join(pub, "index.html"), "utf8") : "";
  check(home.includes("31/10/2025"), "the published home page is October's");
  await shots(page, "7-published");
  const zipReply = await fetch(`${base}/_tiendo/site.zip`);
  const body = Buffer.from(await zipReply.arrayBuffer());
  const entries = body.subarray(-22).readUInt16LE(10);
  check(zipReply.status === 200 && body.subarray(0, 2).toString() === "PK", "the .zip downloads");
  check(entries === count(pub), `the .zip holds every published file (${entries} of ${count(pub)})`);
} catch (e) {
  check(false, `the walk-through ran to its end: ${e.message}`);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  fs.rmSync(work, { recursive: true, force: true });
}
if (failures) {
  console.log(`${failures} desk check(s) failed`);
  process.exit(1);
}
