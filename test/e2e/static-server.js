// A static file server on 127.0.0.1 (a free port) for the browser tests and bench.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";

const TYPES = {
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".html": "text/html",
  ".css": "text/css",
  ".json": "application/json",
};

/**
 * Serve the file `fileFor(urlPath)` names (404 when it cannot be read), with `headers` on every
 * answer (a Content-Security-Policy, say).
 * @example
 * const { url, close } = await serveFiles((p) => join("web/dist", p === "/" ? "index.html" : p));
 */
export async function serveFiles(fileFor, { headers = {} } = {}) {
  const server = createServer(async (req, res) => {
    const file = fileFor(decodeURIComponent(req.url.split("?")[0]));
    let body;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  // close: the open (keep-alive) connections too, as a server that went away
  const close = () => {
    server.close();
    server.closeAllConnections();
  };
  return { url: `http://127.0.0.1:${server.address().port}/`, close };
}
