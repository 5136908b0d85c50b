declare module "comlink/dist/esm/node-adapter.mjs" {
  import type { Endpoint } from "comlink";
  /** comlink's adapter from a Node MessagePort/Worker to a comlink Endpoint. */
  export default function nodeEndpoint(nep: unknown): Endpoint;
}
