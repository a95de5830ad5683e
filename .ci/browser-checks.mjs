// Checks in a real browser what webcheck does not: the search over unit names, that a
// unit page prints on one A4 page, and that a unit's page in another site's frame shows its
// charts alone and is as tall as its code says. Uses the playwright-core that webcheck's
// `npm ci` installs, and Debian's Chromium.
// Usage: node .ci/browser-checks.mjs SITE_DIR WEBCHECK_DIR [TIENDO_BINARY]
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [site, webcheck, tiendo = "target/release/tiendo"] = process.argv.slice(2);
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

  // The code a unit's page gives for another site's article: its frame is as tall as the
  // unit's charts on a 360 px phone, so none is cut off (the README builds
  // public-shared, with a base URL, beside public).
  const shared = path.resolve(site, "../public-shared");
  for (const unit of ["long-my", "thanh-xuan"]) {
    const code = fs.readFileSync(path.join(shared, `localities/${unit}/index.html`), "utf8");
    const height = Number((code.match(/height=&quot;(\d+)&quot;/) || [])[1]);
    const p = await browser.newPage({ viewport: { width: 360, height: 800 } });
    // The unit's page, shown as the code shows it (its address ending in #embed): its
    // figures alone, no header, footer, comparisons or history.
    await p.goto(pathToFileURL(path.join(shared, `localities/${unit}/index.html`)).href + "#embed");
    const tall = await p.evaluate(() => document.documentElement.scrollHeight);
    check(height >= tall, `the embed code of ${unit} is ${height} px high, its page ${tall} px at 360 px`);
    const shown = await p.evaluate(() =>
      [".site-header", ".site-footer", ".compare", "#h-history", ".locator-box", ".embed-only", ".figures svg"].map(
        (s) => [s, [...document.querySelectorAll(s)].some((e) => e.getClientRects().length > 0)],
      ),
    );
    const expected = { ".embed-only": true, ".figures svg": true };
    for (const [s, visible] of shown) {
      check(visible === Boolean(expected[s]), `${unit}#embed: ${s} is ${visible ? "shown" : "hidden"}`);
    }
    // Accessible as shown: axe finds nothing against WCAG 2 A and AA (webcheck, which
    // checks every other page, takes no address with a fragment).
    await p.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const violations = await p.evaluate(async () =>
      (await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] })).violations.map((v) => v.id),
    );
    check(violations.length === 0, `${unit}#embed: no WCAG A or AA violation ${violations.join(" ")}`);
    // The address an older code gave forwards the frame to it.
    await p.goto(pathToFileURL(path.join(shared, `embed/localities/${unit}/index.html`)).href);
    await p.waitForURL(/#embed$/, { timeout: 5000 });
    check(p.url().endsWith(`localities/${unit}/index.html#embed`), `the old embed address of ${unit} forwards: ${p.url()}`);
    await p.close();
  }

  await checkServe();
} finally {
  await browser.close();
}

// `tiendo serve`: an edit reloads an open page; a broken edit shows the problems over
// the page, and fixing it takes them away.
async function checkServe() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tiendo-serve-check-"));
  fs.cpSync("tests/fixtures/small-en", dir, { recursive: true });
  const server = spawn(tiendo, ["serve", "--root", dir, "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = "";
      server.stdout.on("data", (d) => {
        out += d;
        const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
        if (m) resolve(m[0]);
      });
      server.on("exit", () => reject(new Error("serve exited")));
    });
    const page = await browser.newPage();
    await page.goto(url + "localities/north/");
    const note = path.join(dir, "content/localities/north.md");
    fs.appendFileSync(note, "\nNews typed a moment ago.\n");
    const t0 = Date.now();
    await page.waitForFunction(() => document.body.textContent.includes("News typed a moment ago."), null, { timeout: 10000 });
    check(true, `an edit reloads the open page (${Date.now() - t0} ms)`);
    const report = path.join(dir, "data/reports/2025-09.yaml");
    const good = fs.readFileSync(report, "utf8");
    fs.writeFileSync(report, good.replace("enrolment: 700", "enrolment: -700"));
    await page.waitForSelector("[role=alert]", { timeout: 10000 });
    const alert = await page.textContent("[role=alert]");
    check(alert.includes("-700 is negative"), "a broken edit shows its error over the page");
    check(alert.startsWith("tiendo: the last edit has errors"), "the box over the page says what it is, in the site's language");
    check((await page.textContent("main")).includes("News typed a moment ago."), "the last good build stays on screen");
    fs.writeFileSync(report, good);
    await page.waitForFunction(() => !document.querySelector("[role=alert]"), null, { timeout: 10000 });
    check(true, "fixing the error takes the overlay away");
  } catch (e) {
    check(false, `serve: ${e.message}`);
  } finally {
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(failures ? 1 : 0);
