// The network: alliances, revolving-door links and who talked to whom (message counts as
// edge weights; public messages go to a "everyone" node, so public and private are told
// apart). Drawn with cytoscape (vendored); listed as a table too.
import cytoscape from "cytoscape";
import { html, useEffect, useRef } from "./html.js";
import { t } from "./i18n.js";
import { kindName } from "./describe.js";

const KIND_COLOURS = { state: "#1b6ca8", agency: "#8e44ad", ngo: "#2e8b57", think_tank: "#d35400" };
export const PUBLIC_NODE = "__public__";

/** Edges from the final state: [{source, target, type, weight}] with type alliance | link | private | public. */
export function networkEdges({ seats, alliances, links, messageCounts }) {
  const edges = [];
  const pairs = new Set();
  for (const alliance of alliances) {
    const members = [...alliance.members].sort();
    for (let i = 0; i < members.length; i += 1) {
      for (let j = i + 1; j < members.length; j += 1) {
        const key = `${members[i]}|${members[j]}`;
        if (!pairs.has(key)) {
          pairs.add(key);
          edges.push({ source: members[i], target: members[j], type: "alliance", weight: 1, label: alliance.name });
        }
      }
    }
  }
  for (const [a, b] of links) edges.push({ source: a, target: b, type: "link", weight: 1 });
  const talk = new Map();
  const ids = new Set(seats.map((s) => s.id));
  for (const [sender, counts] of Object.entries(messageCounts || {})) {
    for (const [to, count] of Object.entries(counts)) {
      if (to === "public") {
        edges.push({ source: sender, target: PUBLIC_NODE, type: "public", weight: count });
      } else if (ids.has(to)) {
        const key = [sender, to].sort().join("|");
        talk.set(key, (talk.get(key) || 0) + count);
      }
    }
  }
  for (const [key, weight] of talk) {
    const [source, target] = key.split("|");
    edges.push({ source, target, type: "private", weight });
  }
  return edges;
}

export function Network({ seats, edges, names }) {
  const box = useRef(null);
  const counts = { alliance: 0, link: 0, private: 0, public: 0 };
  for (const e of edges) counts[e.type] += 1;
  useEffect(() => {
    if (!box.current) return undefined;
    const maxWeight = Math.max(1, ...edges.filter((e) => e.type === "private" || e.type === "public").map((e) => e.weight));
    const elements = [
      ...seats.map((s) => ({ data: { id: s.id, label: s.name, colour: KIND_COLOURS[s.kind] || "#555" } })),
      { data: { id: PUBLIC_NODE, label: t("network.everyone"), colour: "#999" } },
      ...edges.map((e, i) => ({
        data: { id: `e${i}`, source: e.source, target: e.target, type: e.type, width: e.type === "private" || e.type === "public" ? 1.5 + (7 * e.weight) / maxWeight : 3 },
      })),
    ];
    const cy = cytoscape({
      container: box.current,
      elements,
      // The seats on a ring, "everyone" in the middle: public talk points inward, private talk across.
      layout: { name: "concentric", padding: 30, minNodeSpacing: 90, concentric: (node) => (node.id() === PUBLIC_NODE ? 2 : 1), levelWidth: () => 1 },
      userZoomingEnabled: false,
      userPanningEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
      style: [
        { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 13, "text-wrap": "wrap", "text-max-width": 130, color: "#1d2a36", "text-valign": "bottom", "text-margin-y": 5, width: 24, height: 24, "text-background-color": "#fbfcfd", "text-background-opacity": 0.9, "text-background-padding": 2, "text-background-shape": "roundrectangle", "z-index": 2 } },
        { selector: "edge", style: { width: "data(width)", "curve-style": "bezier", opacity: 0.8 } },
        { selector: 'edge[type = "alliance"]', style: { "line-color": "#2e8b57", width: 4 } },
        { selector: 'edge[type = "link"]', style: { "line-color": "#d35400", "line-style": "dashed", width: 3 } },
        { selector: 'edge[type = "private"]', style: { "line-color": "#1b6ca8" } },
        { selector: 'edge[type = "public"]', style: { "line-color": "#aaa", "line-style": "dotted" } },
      ],
    });
    return () => cy.destroy();
  }, [JSON.stringify(edges), seats.length]);
  const name = (id) => (id === PUBLIC_NODE ? t("network.everyone") : names(id));
  return html`<figure class="network" data-edges-alliance=${counts.alliance} data-edges-link=${counts.link}
      data-edges-private=${counts.private} data-edges-public=${counts.public}>
    <figcaption>${t("network.title")}</figcaption>
    <div class="network-box" ref=${box} role="img" aria-label=${t("network.summary", counts)}></div>
    <ul class="legend plain inline kinds">
      ${Object.entries(KIND_COLOURS).map(([kind]) => html`<li><span class=${`dot-swatch kind-${kind}`}></span>${kindName(kind)}</li>`)}
    </ul>
    <ul class="legend plain inline">
      <li><span class="swatch alliance"></span>${t("network.alliance", { count: counts.alliance })}</li>
      <li><span class="swatch link"></span>${t("network.link", { count: counts.link })}</li>
      <li><span class="swatch private"></span>${t("network.private", { count: counts.private })}</li>
      <li><span class="swatch public"></span>${t("network.public", { count: counts.public })}</li>
    </ul>
    <details class="chart-data">
      <summary>${t("network.list")}</summary>
      <div class="table-wrap" tabindex="0"><table class="edges">
        <thead><tr><th scope="col">${t("network.from")}</th><th scope="col">${t("network.to")}</th><th scope="col">${t("network.type")}</th><th scope="col" class="num">${t("network.weight")}</th></tr></thead>
        <tbody>${edges.map((e) => html`<tr data-edge=${e.type}><td>${name(e.source)}</td><td>${name(e.target)}</td><td>${t(`network.type.${e.type}`)}</td><td class="num">${e.weight}</td></tr>`)}</tbody>
      </table></div>
    </details>
  </figure>`;
}
