/** Small DOM helpers shared by the app's modules. */

/** The element with this id (the page is ours: a missing one is a bug). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

/** Show a problem in the page's alert line (or clear it with undefined). */
export function showError(message?: string): void {
  const box = byId("error");
  box.hidden = !message;
  box.textContent = message ?? "";
}

/** The message of anything thrown: bumpscan's errors already name the file, line or field. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Escape text for HTML. */
export function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
