// A QR code drawn as SVG elements by Preact (no markup strings), from the vendored encoder.
import { encode } from "uqr";
import { html, useMemo } from "./html.js";

export function QrCode({ text, size = 160, label }) {
  const path = useMemo(() => {
    const { data } = encode(text, { ecc: "M", border: 2 });
    let d = "";
    data.forEach((row, y) =>
      row.forEach((on, x) => {
        if (on) d += `M${x},${y}h1v1h-1z`;
      }),
    );
    return { d, modules: data.length };
  }, [text]);
  return html`<svg class="qr" role="img" aria-label=${label} width=${size} height=${size}
      viewBox=${`0 0 ${path.modules} ${path.modules}`} shape-rendering="crispEdges" data-qr=${text}>
    <rect width=${path.modules} height=${path.modules} fill="#fff" />
    <path d=${path.d} fill="#000" />
  </svg>`;
}

let publicOrigin = "";

/** The address students reach the server at: the server's public URL when it says one (v2's
 * /api/server), else the address this page was opened at. */
export function setPublicOrigin(url) {
  publicOrigin = (url || "").replace(/\/+$/, "");
}

export function joinOrigin() {
  return publicOrigin || location.origin;
}

/** Is the join address one that only this computer can reach (localhost)? */
export function isLoopback() {
  const host = new URL(joinOrigin()).hostname;
  return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
}

export function joinLink(code) {
  return `${joinOrigin()}/join/${encodeURIComponent(code)}`;
}
