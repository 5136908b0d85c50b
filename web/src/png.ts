/**
 * PNG copies of the plots, made in the page: the SVG drawn on a canvas through an <img> of a blob:
 * URL (allowed by the app's Content-Security-Policy, which restricts scripts only; a policy with
 * `img-src` must allow `blob:`), at the SVG's own width and height.
 */
import { BumpscanError } from "../../src/browser.js";

/** The width and height an SVG document declares on its root (else its viewBox's). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = svg.match(/<svg\b[^>]*>/)?.[0] ?? "";
  const attr = (name: string) => Number(root.match(new RegExp(`\\s${name}="([\\d.]+)(px)?"`))?.[1]);
  const box = root.match(/viewBox="[\d.\s-]*?([\d.]+)\s+([\d.]+)"/);
  const width = attr("width") || Number(box?.[1]);
  const height = attr("height") || Number(box?.[2]);
  if (!(width > 0 && height > 0)) throw new BumpscanError("the plot has no size: no PNG of it");
  return { width: Math.round(width), height: Math.round(height) };
}

/**
 * The SVG document as a PNG image of its size.
 * @example
 * const png = await svgToPng(brazilPlot(result)); // a Blob, image/png, 760 × 460
 */
export async function svgToPng(svg: string): Promise<Blob> {
  const { width, height } = svgSize(svg);
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image(width, height);
    img.src = url;
    await img.decode().catch(() => {
      throw new BumpscanError("the plot could not be drawn as an image (is blob: allowed in img-src?)");
    });
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new BumpscanError("this browser gives no canvas to draw the PNG on");
    ctx.fillStyle = "white"; // no transparent corners in slides
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new BumpscanError("the PNG could not be encoded"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * The row for PNG links right after the element `id` (`#<id>-png`), made on first use.
 * @example
 * void offerPngs(pngRowAfter("fit-download"), [{ name: "fit.png", svg }], showError);
 */
export function pngRowAfter(id: string): HTMLElement {
  const existing = document.getElementById(`${id}-png`);
  if (existing) return existing;
  const row = document.createElement("div");
  row.id = `${id}-png`;
  row.className = "row downloads";
  document.getElementById(id)!.after(row);
  return row;
}

/** The latest call per box. */
const latest = new WeakMap<HTMLElement, number>();
let calls = 0;

/**
 * Put download links of the plots as PNG in `box` (replacing its links), once all are drawn; a later
 * call on the same box wins over one still drawing. A plot that cannot be drawn is left out, and `onProblem` says why.
 * @example
 * void offerPngs(byId("png-downloads"), [{ name: "brazil.png", svg }], showError);
 */
export async function offerPngs(
  box: HTMLElement,
  plots: { name: string; svg: string }[],
  onProblem: (message: string) => void,
): Promise<void> {
  const mine = ++calls;
  latest.set(box, mine);
  for (const a of box.querySelectorAll("a")) URL.revokeObjectURL(a.href);
  box.replaceChildren();
  const links: HTMLAnchorElement[] = [];
  for (const { name, svg } of plots) {
    try {
      const a = document.createElement("a");
      a.href = URL.createObjectURL(await svgToPng(svg));
      a.download = a.textContent = name;
      links.push(a);
    } catch (e) {
      onProblem(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (latest.get(box) === mine) box.replaceChildren(...links);
  else for (const a of links) URL.revokeObjectURL(a.href);
}
