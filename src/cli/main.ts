#!/usr/bin/env node
/**
 * The bumpscan command: `--version` is answered before anything else loads; every other command
 * line goes to the program (cli/program.ts).
 */
const [first] = process.argv.slice(2);
if (first === "--version" || first === "-V") {
  const { VERSION } = await import("./version.js");
  console.log(VERSION);
} else {
  await import("./program.js");
}
