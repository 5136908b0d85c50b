// The last step of the build, on what tsc wrote to dist/:
// - dist/scan/web-worker.js, the pool's Web Worker, becomes one self-contained ES module (its
//   dependencies bundled in, for the browser): a bundler's dev server loads a worker's imports from
//   node_modules as they are, without the CommonJS conversion it gives the page (Vite's dev server
//   served ml-matrix's CommonJS file to the worker, which died on load), and a page without a
//   bundler needs no import map;
// - dist/model/spec-validator.js, the generated validator, loses the indentation tsc gave it
//   (13 MB of spaces in the package otherwise).
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { build, transform } from "esbuild";

const worker = "dist/scan/web-worker.js";
const result = await build({
  entryPoints: [worker],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  write: false,
  logLevel: "error",
  metafile: true,
});
const node = Object.keys(result.metafile.inputs).filter((i) => /^node:|platform\/node/.test(i));
if (node.length) throw new Error(`Node modules in the Web Worker bundle: ${node.join(", ")}`);
writeFileSync(worker, result.outputFiles[0].text);

const validator = "dist/model/spec-validator.js";
const before = statSync(validator).size;
const { code } = await transform(readFileSync(validator, "utf8"), { minifyWhitespace: true, format: "esm" });
writeFileSync(validator, code);
console.log(
  `dist: ${worker} bundled (${(statSync(worker).size / 1e3).toFixed(0)} kB); ${validator} ` +
    `${(before / 1e6).toFixed(1)} → ${(statSync(validator).size / 1e6).toFixed(1)} MB`,
);
