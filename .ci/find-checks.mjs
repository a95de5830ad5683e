// Finding one's ward, as a resident does it in Chromium: the maps at 360 px and 1280 px
// (every area a link the accessibility tree names, reached by Tab in ranking order, with a
// visible focus), a unit page's first screen (its figures' date and where it lies), the
// list search hiding rows at 360 px, a unit found by an old name with and without
// diacritics, and, on the national site, the compact index and a province's page.
// Usage: node .ci/find-checks.mjs SAMPLE_DIR NATIONAL_DIR WEBCHECK_DIR [--screenshots DIR]
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const shotsAt = args.indexOf("--screenshots");
const shots = shotsAt >= 0 ? args.splice(shotsAt, 2)[1] : null;
const [sample, national, webcheck] = args;
const require = createRequire(path.resolve(webcheck, "package.json"));
const { chromium } = require("playwright-core");

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures += 1;
};
if (shots) fs.mkdirSync(shots, { recursive: true });

const SCREEN = { width: 360, height: 740 };
async function open(site, page, width = 360) {
  const p = await browser.newPage({ viewport: { width, height: width === 360 ? SCREEN.height : 900 } });
  await p.goto(pathToFileURL(path.resolve(site, page)).href);
  return p;
}
async function shot(p, name, selector) {
  if (!shots) return;
  const target = selector ? p.locator(selector).first() : p;
  await target.screenshot({ path: path.join(shots, name) });
}
// Rows a reader sees: rendered, not only not [hidden].
const shown = (p, selector) => p.$$eval(selector, (rows) =>
  rows.filter((r) => r.getClientRects().length > 0).map((r) => r.textContent.trim().replace(/\s+/g, " ")));
async function search(p, query) {
  await p.fill("#unit-search", query);
  return p.textContent(".search [role=status]");
}

try {
  // The maps of the sample: the whole city on the home page, a group's units on its page.
  for (const [page, maps] of [["index.html", 2], ["groups/soc-trang-cu/index.html", 2], ["indicators/voluntary-si/index.html", 1]]) {
    for (const width of [360, 1280]) {
      const p = await open(sample, page, width);
      const boxes = await p.$$eval("svg.map", (svgs) => svgs.map((s) => s.getBoundingClientRect().toJSON()));
      const fits = boxes.length === maps && boxes.every((b) => b.width > 0.8 * Math.min(width, 500) && b.right <= width && b.height > 150);
      check(fits, `${page} at ${width} px: ${boxes.length} map(s), ${boxes.map((b) => `${Math.round(b.width)}×${Math.round(b.height)}`).join(", ")} px`);
      // What a screen reader announces for one area, from Chromium's accessibility tree.
      const named = await p.getByRole("link", { name: /^Phường Sóc Trăng: đạt [\d,]+ % chỉ tiêu, / }).count();
      check(named === maps, `${page} at ${width} px: Phường Sóc Trăng is a link named by its figure and status on each map (${named})`);
      if (width === 360 && page === "index.html") await shot(p, "map-home-360.png", ".map-box");
      if (width === 1280 && page === "index.html") await shot(p, "map-home-1280.png", ".maps");
      await p.close();
    }
  }

  // Keyboard: Tab goes from one area to the next in ranking order, and shows where it is.
  {
    const p = await open(sample, "indicators/voluntary-si/index.html", 1280);
    const order = await p.$$eval("svg.map a", (links) => links.map((a) => a.getAttribute("href")));
    const ranked = await p.$$eval("table.ranking tbody tr a, ol.bars li a", (links) => links.map((a) => a.getAttribute("href")));
    await p.locator("svg.map a").first().focus();
    const reached = [];
    const strokes = [];
    for (let k = 0; k < 3; k += 1) {
      reached.push(await p.evaluate(() => document.activeElement.getAttribute("href")));
      strokes.push(await p.evaluate(() => getComputedStyle(document.activeElement.querySelector("use")).strokeWidth));
      await p.keyboard.press("Tab");
    }
    check(reached.join() === order.slice(0, 3).join(), `Tab reaches the map's areas in order: ${reached.join(", ")}`);
    check(ranked.length === 0 || reached[0] === ranked[0], `the first area Tab reaches is the first of the ranking (${ranked[0]})`);
    check(strokes.every((s) => s === "3px"), `the focused area is outlined (${strokes.join(", ")})`);
    await p.close();
  }

  // A unit page's first screen on a phone: its name, where it lies, and the date of its figures.
  {
    const p = await open(sample, "localities/long-my/index.html");
    const at = await p.evaluate(() => ({
      date: document.querySelector(".as-of")?.getBoundingClientRect().bottom,
      locator: document.querySelector(".locator")?.getBoundingClientRect().toJSON(),
    }));
    check(at.date > 0 && at.date <= SCREEN.height, `long-my at 360 px: the figures' date ends ${Math.round(at.date)} px down, in the first screen`);
    check(at.locator && at.locator.bottom <= SCREEN.height && at.locator.width >= 100,
      `long-my at 360 px: the locator (${Math.round(at.locator?.width)} px wide) is in the first screen`);
    const formed = await p.textContent(".formed-from");
    check(formed.includes("Xã Long Trị"), `long-my says what it was formed from: ${formed}`);
    await shot(p, "unit-long-my-360.png");
    await p.close();
  }

  // The list search on a phone hides what it does not find; old names find the unit they became.
  for (const page of ["localities/index.html", "localities/by-area.html"]) {
    const p = await open(sample, page);
    const rows = `table.units tbody tr`;
    check((await shown(p, rows)).length === 103, `${page} at 360 px: 103 rows before searching`);
    for (const [query, expected, was] of [
      ["long my", "Phường Long Mỹ", null],
      ["Thuận An", "Phường Long Mỹ", "trước đây: Phường Thuận An"],
      ["long tri", "Phường Long Mỹ", "trước đây: Xã Long Trị"],
      ["LONG TRỊ A", "Phường Long Mỹ", "trước đây: Xã Long Trị A"],
      ["thoi an", "Phường Ô Môn", "trước đây: Phường Thới An"],
    ]) {
      const status = await search(p, query);
      const seen = await shown(p, rows);
      const row = seen.find((r) => r.startsWith(expected));
      const ok = row && seen.length <= 4 && (!was || row.includes(was)) && status.includes(String(seen.length));
      check(ok, `${page} at 360 px: "${query}" shows ${seen.length} row(s), "${row?.slice(0, 80)}"; says "${status}"`);
    }
    await search(p, "");
    check((await shown(p, rows)).length === 103, `${page} at 360 px: clearing the search shows every row again`);
    if (page === "localities/index.html") {
      await search(p, "long tri");
      await shot(p, "search-old-name-360.png");
    }
    await p.close();
  }
  {
    // On the home page the names are folded away; a search opens them.
    const p = await open(sample, "index.html");
    await search(p, "Long Tri");
    const seen = await shown(p, "ul.names li");
    check(seen.length >= 1 && seen.length <= 3 && seen[0].startsWith("Phường Long Mỹ"),
      `index.html at 360 px: "Long Tri" shows ${seen.length}: ${seen.join(" | ").slice(0, 120)}`);
    await p.close();
  }

  // The national site: the light index's find box loads the compact index as one types.
  {
    const p = await open(national, "localities/index.html");
    const status = await search(p, "tan thanh");
    await p.waitForSelector(".found li", { timeout: 10000 });
    const found = await shown(p, ".found li");
    const withProvince = found.filter((f) => /^Xã Tân Thành, /.test(f));
    check(withProvince.length >= 2 && found.length <= 20,
      `national index at 360 px: "tan thanh" lists ${found.length}, ${withProvince.length} named with their province (${found.slice(0, 2).join(" | ")}); ${await p.textContent(".search [role=status]")}`);
    await search(p, "Long Trị");
    await p.waitForFunction(() => document.querySelector(".found li"), null, { timeout: 5000 });
    const old = await shown(p, ".found li");
    check(old.some((f) => f.startsWith("Phường Long Mỹ") && f.includes("trước đây: Xã Long Trị")),
      `national index: "Long Trị" finds what it became: ${old.slice(0, 3).join(" | ")}`);
    await shot(p, "national-find-360.png");
    await p.close();
    void status;
  }
  {
    // A province's page: its find box and ward list in the first screens, its map of wards.
    const p = await open(national, "groups/thanh-pho-ha-noi/index.html");
    const top = await p.evaluate(() => document.querySelector("#unit-search")?.getBoundingClientRect().top);
    check(top > 0 && top <= 2 * SCREEN.height, `Hà Nội's page at 360 px: its find box is ${Math.round(top)} px down`);
    const rows = "table.units tbody tr";
    const all = (await shown(p, rows)).length;
    await search(p, "hoan kiem");
    const seen = await shown(p, rows);
    check(all > 100 && seen.length >= 1 && seen.length <= 3 && seen[0].startsWith("Phường Hoàn Kiếm"),
      `Hà Nội's page at 360 px: "hoan kiem" shows ${seen.length} of ${all} rows: ${seen[0]?.slice(0, 60)}`);
    const maps = await p.$$eval("svg.map", (svgs) => svgs.map((s) => s.querySelectorAll("a").length));
    check(maps.length >= 1 && maps.every((n) => n === all), `Hà Nội's page: ${maps.length} map(s) of ${maps[0]} wards and communes`);
    await p.close();
  }
  for (const width of [360, 1280]) {
    // The country's home page: the provinces, with the archipelagos.
    const p = await open(national, "index.html", width);
    const links = await p.$$eval("svg.map", (svgs) => svgs.map((s) => s.querySelectorAll("a").length));
    const islands = await p.$$eval("svg.map .island", (paths) => paths.length);
    const labels = await p.$$eval(".map-inset-label", (ls) => ls.map((l) => l.textContent));
    check(links.length >= 1 && links.every((n) => n === 34), `national home at ${width} px: ${links.length} map(s) of ${links[0]} provinces`);
    check(islands > 0 && labels.includes("Quần đảo Hoàng Sa") && labels.includes("Quần đảo Trường Sa"),
      `national home at ${width} px: Hoàng Sa and Trường Sa drawn and named (${islands} island paths)`);
    await shot(p, `national-map-${width}.png`, ".map-box");
    await p.close();
  }
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
