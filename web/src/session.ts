/**
 * The session — the spec and the run options, never the data — kept in localStorage and in the
 * page's URL (`#s=` and the base64url of its JSON), so that a reload restores it and a copied link
 * opens the same model elsewhere. On load the link wins over localStorage; with neither, the demo.
 */
import { byId, messageOf } from "./dom.js";

/** What is kept: the spec as its JSON (valid or not: nothing typed is lost) and the options' values. */
export interface Session {
  spec: unknown;
  options: Record<string, string>;
}

/** The inputs kept beside the spec (the fit's mass, the workers, how to read a file). */
export const OPTION_IDS = [
  "fit-mass",
  "workers",
  "lee-toys",
  "expected-toys",
  "column",
  "weights",
  "tree",
  "expr",
  "cut",
];
const KEY = "bumpscan.session";
const PREFIX = "#s=";

/**
 * The session as a URL fragment's value: base64url of its UTF-8 JSON.
 * @example
 * encodeSession({ spec: { scan: { step: 1 } }, options: {} }); // => "eyJzcGVjIjp7…"
 */
export function encodeSession(s: Session): string {
  const bytes = new TextEncoder().encode(JSON.stringify(s));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The session a fragment's value holds; throws a one-line message when it is not one. */
export function decodeSession(text: string): Session {
  let s: unknown;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    s = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  } catch {
    throw new Error("it is not a bumpscan session (cut short when copied?)");
  }
  const o = s as Partial<Session> | null;
  if (!o || typeof o !== "object" || !o.spec || typeof o.spec !== "object") throw new Error("it holds no spec");
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.options ?? {})) if (typeof v === "string") options[k] = v;
  return { spec: o.spec, options };
}

/** The session on the page now, or undefined while the spec's JSON does not parse. */
function current(): Session | undefined {
  let spec: unknown;
  try {
    spec = JSON.parse(byId<HTMLTextAreaElement>("spec-json").value);
  } catch {
    return undefined;
  }
  const options = Object.fromEntries(OPTION_IDS.map((id) => [id, byId<HTMLInputElement>(id).value]));
  return { spec, options };
}

/** The link that opens this session. */
function link(s: Session): string {
  return `${location.href.split("#")[0]}${PREFIX}${encodeSession(s)}`;
}

/**
 * Keep the page's session: in localStorage (where allowed) and in the URL, replaced in place (no
 * history entry per keystroke). Called on every change of the spec or an option.
 */
export function saveSession(): void {
  const s = current();
  if (!s) return;
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // storage off (a private window, a policy, full): the URL still holds it
  }
  history.replaceState(history.state, "", link(s));
}

/** The session to start with: the link's, else the stored one; with the link's problem, if any. */
function restore(): { session?: Session; problem?: string } {
  let problem: string | undefined;
  if (location.hash.startsWith(PREFIX)) {
    try {
      return { session: decodeSession(location.hash.slice(PREFIX.length)) };
    } catch (e) {
      problem = `The link's session was not restored: ${messageOf(e)}.`;
    }
  }
  try {
    const stored = localStorage.getItem(KEY);
    if (stored) return { session: decodeSession(encodeSession(JSON.parse(stored))), problem };
  } catch {
    // nothing usable stored
  }
  return { problem };
}

/**
 * Start the page with the restored session (or `fallback`, the demo's spec), keep it on every
 * change, and wire the "Copy link" button; `setSpec` puts a spec into the editor.
 * @example
 * startSession(demoSpec(), (spec) => editor.set(spec));
 */
export function startSession(fallback: object, setSpec: (spec: object) => void): void {
  const { session, problem } = restore();
  for (const [id, value] of Object.entries(session?.options ?? {})) {
    const input = OPTION_IDS.includes(id) ? (document.getElementById(id) as HTMLInputElement | null) : null;
    if (!input) continue;
    // a select takes only a value it offers (more workers than this machine's cores: the default)
    if (input instanceof HTMLSelectElement && ![...input.options].some((o) => o.value === value)) continue;
    input.value = value;
  }
  setSpec((session?.spec as object) ?? fallback);
  const status = byId("link-status");
  status.textContent = problem ?? "";
  for (const id of OPTION_IDS) byId(id).addEventListener("change", saveSession);
  saveSession();
  byId("copy-link").addEventListener("click", async () => {
    const s = current();
    if (!s) {
      status.textContent = "Fix the spec's JSON first: the link holds it.";
      return;
    }
    const url = link(s);
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = "Link copied: it opens this spec and these options (not the data).";
    } catch {
      status.textContent = `Copy this link: ${url}`; // no clipboard here (permission, insecure page)
    }
  });
}
