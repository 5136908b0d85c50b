// The web app: the library's own sources, with the browser side of #platform; served and built from web/.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";
import { offline } from "./offline-plugin.js";

const repo = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  resolve: { alias: { "#platform": fileURLToPath(new URL("../src/platform/browser.ts", import.meta.url)) } },
  server: { fs: { allow: [repo] } },
  worker: { format: "es" },
  plugins: [offline()], // sw.js: the built files cached for offline use
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 2000 },
});
