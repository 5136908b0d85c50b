import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  // the sources' Node platform module (the package maps #platform to the built one)
  resolve: { alias: { "#platform": fileURLToPath(new URL("./src/platform/node.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
