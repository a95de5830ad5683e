// Reads pages as a phone shows them: at 360 px wide in Chromium, with Noto Sans. Fails
// when anything in `main` hides content sideways (a box that scrolls or clips, or an
// element that sticks out of `main`), when chart text is drawn under 12 px, when a status
// word breaks over two lines, or when chart text does not grow with the reader's text size.
// Usage: node .ci/phone-check.mjs SITE_DIR WEBCHECK_DIR [--screenshots DIR] PAGE...
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const shotsAt = args.indexOf("--screenshots");
const shots = shotsAt >= 0 ? args.splice(shotsAt, 2)[1] : null;
const [site, webcheck, ...pages] = args;
const require = createRequire(path.resolve(webcheck, "package.json"));
const { chromium } = require("playwright-core");

const PHONE = 360;
const MIN_CHART_TEXT = 12;

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let failures = 0;
const report = (problems, what) => {
  console.log(`${problems.length ? "FAIL" : "ok  "} ${what}`);
  for (const p of problems.slice(0, 8)) console.log(`       ${p}`);
  if (problems.length > 8) console.log(`       … and ${problems.length - 8} more`);
  if (problems.length) failures += 1;
};
if (shots) fs.mkdirSync(shots, { recursive: true });

// Runs in the page: every problem a reader at this width would meet.
function inspect({ minChartText }) {
  const problems = [];
  const main = document.querySelector("main");
  if (!main) return { problems: ["no <main>"], chartText: [] };
  const describe = (el) => {
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${cls}> "${text}"`;
  };
  // Hidden from sight: in a closed <details>, or clipped away as "visually hidden" text
  // for screen readers is (a table's headings on a phone).
  const hidden = (el) => {
    if (el.closest("[hidden], details:not([open]) > :not(summary)")) return true;
    for (let a = el; a && a !== main; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.position === "absolute" && cs.clip.startsWith("rect(0")) return true;
    }
    return false;
  };
  const docWidth = document.documentElement.scrollWidth;
  if (docWidth > window.innerWidth) problems.push(`the page is ${docWidth} px wide and scrolls sideways`);
  const box = main.getBoundingClientRect();
  const reported = [];
  for (const el of main.querySelectorAll("*")) {
    // One problem per box: what is inside a box already named is left out.
    if (hidden(el) || reported.some((r) => r.contains(el))) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > box.right + 1 || r.left < box.left - 1) {
      problems.push(`${describe(el)} sticks out of main (${Math.round(r.left)}–${Math.round(r.right)} px)`);
      reported.push(el);
      continue;
    }
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== "visible" && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describe(el)} hides ${el.scrollWidth - el.clientWidth} px sideways (overflow-x: ${overflow})`);
      reported.push(el);
    }
  }
  // A status word on two lines: an inline element whose text runs over more than one line.
  for (const el of main.querySelectorAll(".status-word")) {
    if (!hidden(el) && el.getClientRects().length > 1) problems.push(`${describe(el)} breaks over two lines`);
  }
  // Chart text: SVG text as drawn (its font size times the drawing's scale), and the text
  // of charts made of HTML.
  const chartText = [];
  for (const t of main.querySelectorAll("svg text")) {
    if (hidden(t)) continue;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
    chartText.push(px);
    if (px < minChartText - 0.01) problems.push(`chart text ${describe(t)} is drawn at ${px.toFixed(1)} px`);
  }
  for (const chart of main.querySelectorAll(".chart")) {
    const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || el.closest("svg") || hidden(el)) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      chartText.push(px);
      if (px < minChartText - 0.01) problems.push(`chart text ${describe(el)} is ${px.toFixed(1)} px`);
    }
  }
  return { problems, chartText };
}

try {
  const phone = await browser.newPage({ viewport: { width: PHONE, height: 780 }, deviceScaleFactor: 1 });
  const desk = shots ? await browser.newPage({ viewport: { width: 1280, height: 800 } }) : null;
  for (const name of pages) {
    const url = pathToFileURL(path.resolve(site, name)).href;
    await phone.goto(url);
    const { problems, chartText } = await phone.evaluate(inspect, { minChartText: MIN_CHART_TEXT });
    // The reader's text size: at 150 %, chart text must be larger too.
    if (chartText.length) {
      await phone.addStyleTag({ content: "html { font-size: 150% !important }" });
      const larger = (await phone.evaluate(inspect, { minChartText: 0 })).chartText;
      const before = Math.min(...chartText);
      const after = Math.min(...larger);
      if (after < before * 1.3) {
        problems.push(`chart text does not follow the reader's text size (smallest ${before.toFixed(1)} px, ${after.toFixed(1)} px at 150 %)`);
      }
    }
    const smallest = chartText.length ? `, chart text ≥ ${Math.min(...chartText).toFixed(1)} px` : "";
    report(problems, `${name} at ${PHONE} px${smallest}`);
    if (shots) {
      const base = path.join(shots, name.replace(/\/index\.html$|\.html$/, "").replace(/\//g, "_") || "home");
      await phone.goto(url);
      await phone.screenshot({ path: `${base}.360.png`, fullPage: true });
      await desk.goto(url);
      await desk.screenshot({ path: `${base}.1280.png`, fullPage: true });
    }
  }
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
