// Lines of at most 120 characters in the project's code (the formatter cannot break strings and
// comments; this check names what it finds). Run by `npm run lint`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOTS = ["src", "test", "web/src", "bench", "scripts", "assembly"];
const SKIP = [/node_modules/, /test\/examples\/\.run/, /test\/fixtures/, /test\/browser\/out/, /spec-validator\.ts$/];
const CODE = /\.(ts|js|mjs)$/;

const files = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (SKIP.some((r) => r.test(p))) return [];
    return statSync(p).isDirectory() ? files(p) : CODE.test(p) ? [p] : [];
  });

const long = ROOTS.flatMap(files).flatMap((file) =>
  readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line, i) => ([...line].length > 120 ? [`${file}:${i + 1}: ${[...line].length} characters`] : [])),
);
for (const l of long) console.error(l);
if (long.length) {
  console.error(`${long.length} lines longer than 120 characters`);
  process.exit(1);
}
