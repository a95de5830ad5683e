// Checks in a real browser what webcheck does not: the search over unit names, and
// that a unit page prints on one A4 page. Uses the playwright-core that webcheck's
// `npm ci` installs, and Debian's Chromium.
// Usage: node .ci/browser-checks.mjs SITE_DIR WEBCHECK_DIR
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [site, webcheck] = process.argv.slice(2);
const require = createRequire(path.resolve(webcheck, "package.json"));
const { chromium } = require("playwright-core");

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures += 1;
};

try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.resolve(site, "localities/index.html")).href);
  const visible = () => page.$$eval("table.units tbody tr", (rows) =>
    rows.filter((r) => !r.hidden).map((r) => r.cells[0].textContent.trim()));
  check((await visible()).length === 103, "all 103 units listed before searching");
  for (const [query, expected] of [["long my", "Phường Long Mỹ"], ["PHUONG O MON", "Phường Ô Môn"], ["mỹ tú", "Xã Mỹ Tú"]]) {
    await page.fill("#unit-search", query);
    const rows = await visible();
    check(rows.includes(expected) && rows.length <= 3, `search "${query}" finds ${expected} (${rows.length} shown)`);
  }
  await page.fill("#unit-search", "");
  check((await visible()).length === 103, "clearing the search shows every unit again");

  for (const unit of ["long-my", "o-mon", "my-tu"]) {
    const p = await browser.newPage();
    await p.goto(pathToFileURL(path.resolve(site, `localities/${unit}/index.html`)).href);
    const pdf = await p.pdf({ format: "A4", printBackground: true });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    check(pages === 1, `localities/${unit} prints on ${pages} A4 page(s)`);
    await p.close();
  }
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
