/**
 * Offline use: the built app registers its service worker (sw.js, written by web/offline-plugin.ts
 * with the list of every built file), which caches the page, its chunks, the workers' scripts and
 * the WASM cores on the first visit; later visits work without a network. Not in the dev server
 * (no sw.js there), nor on file: URLs or where the browser has no service workers.
 */

/** What the page says about offline use (shown in #offline-status), and the registration. */
export async function registerOffline(show: (text: string) => void): Promise<ServiceWorkerRegistration | undefined> {
  // import.meta.hot: the dev server (which has no sw.js)
  if (import.meta.hot || !/^https?:$/.test(location.protocol) || !("serviceWorker" in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register("./sw.js", { scope: "./" });
    await navigator.serviceWorker.ready; // installed: every file cached
    show("Available offline: the app's files are cached in this browser.");
    return registration;
  } catch (e) {
    // a private window, a policy, an insecure origin: the app works, only not offline
    show(`Not available offline (${e instanceof Error ? e.message : String(e)}).`);
    return undefined;
  }
}
