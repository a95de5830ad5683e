// Fails when any page of a built site weighs more than a phone should download: the page
// gzipped as a host sends it, plus the stylesheet and script it loads; or, with MAX_HTML_KB,
// when its HTML is more than a phone should parse and lay out.
// Usage: node .ci/page-weight.mjs SITE_DIR MAX_KIB [MAX_HTML_KB]
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const [site, maxKib, maxHtmlKb] = process.argv.slice(2);
const limit = Number(maxKib) * 1024;
if (!site || !(limit > 0)) {
  console.error("usage: node .ci/page-weight.mjs SITE_DIR MAX_KIB");
  process.exit(2);
}

const sent = new Map();
const gzipped = (file) => {
  if (!sent.has(file)) sent.set(file, zlib.gzipSync(fs.readFileSync(file)).length);
  return sent.get(file);
};

const pages = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith(".html")) pages.push(full);
  }
};
walk(site);

const weights = pages.map((page) => {
  const html = fs.readFileSync(page, "utf8");
  let bytes = gzipped(page);
  // The theme's own stylesheet and script, as the page links them.
  for (const m of html.matchAll(/(?:href|src)="([^"]+\.(?:css|js))"/g)) {
    const file = path.resolve(path.dirname(page), m[1]);
    if (fs.existsSync(file)) bytes += gzipped(file);
  }
  return { page: path.relative(site, page), bytes, html: Buffer.byteLength(html) };
});
weights.sort((a, b) => b.bytes - a.bytes);
const over = weights.filter((w) => w.bytes > limit);
const kib = (b) => (b / 1024).toFixed(1);
console.log(`${weights.length} pages; the heaviest as sent (gzip):`);
for (const w of weights.slice(0, 5)) console.log(`  ${kib(w.bytes)} KiB  ${w.page}`);
let failed = false;
if (over.length) {
  console.log(`FAIL ${over.length} page(s) over ${maxKib} KiB, e.g. ${over[0].page} (${kib(over[0].bytes)} KiB)`);
  failed = true;
} else {
  console.log(`ok   no page over ${maxKib} KiB`);
}
if (maxHtmlKb) {
  const largest = weights.reduce((a, b) => (b.html > a.html ? b : a));
  const kb = (b) => (b / 1000).toFixed(1);
  const ok = largest.html <= Number(maxHtmlKb) * 1000;
  console.log(`${ok ? "ok  " : "FAIL"} the largest HTML is ${kb(largest.html)} KB (${largest.page}), limit ${maxHtmlKb} KB`);
  failed ||= !ok;
}
if (failed) process.exit(1);
