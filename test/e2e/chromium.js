// Debian's Chromium for the browser tests (a test tool's own browser download fails here).
import { execSync } from "node:child_process";
import { chromium } from "playwright-core";

export const chromiumPath = (() => {
  try {
    return execSync("which chromium", { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
})();

/** Headless Chromium with the flags this closed network needs. */
export function launchChromium() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
