/** The pool worker's entry under Node (worker_threads). */
import { parentPort } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { workerApi } from "./worker-api.js";

Comlink.expose(workerApi(), nodeEndpoint(parentPort));
