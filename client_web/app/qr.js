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

export function joinLink(code) {
  return `${location.origin}/join/${encodeURIComponent(code)}`;
}
