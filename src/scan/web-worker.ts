/**
 * The pool worker's entry in a browser: a module Web Worker,
 * `new Worker(new URL("bumpscan/dist/scan/web-worker.js", import.meta.url), { type: "module" })`.
 */
import * as Comlink from "comlink";
import { workerApi } from "./worker-api.js";

Comlink.expose(workerApi());
