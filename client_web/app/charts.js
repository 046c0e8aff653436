// Charts over rounds (uPlot, vendored). Each chart also carries its numbers as a table for
// screen readers and for print, so nothing is only in the picture.
import uPlot from "uplot";
import { html, useEffect, useRef } from "./html.js";
import { t, formatNumber } from "./i18n.js";

export const PALETTE = ["#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b", "#34495e", "#e84393"];

const LINE_DASHES = [[6, 4], [2, 4]];

/**
 * rounds: [1, 2, ...]; series: [{label, values}]; bands: [{label, value}] drawn as dashed
 * lines across (the ripeness threshold and floor); max: the y-axis top.
 */
export function RoundChart({ id, title, rounds, series, bands = [], max = 100, step = false }) {
  const box = useRef(null);
  useEffect(() => {
    if (!box.current || rounds.length === 0) return undefined;
    const width = Math.max(280, Math.min(box.current.clientWidth || 600, 900));
    const all = [...series, ...bands.map((b, i) => ({ label: b.label, values: rounds.map(() => b.value), dash: LINE_DASHES[i % 2] }))];
    const options = {
      width,
      height: 240,
      scales: { x: { time: false }, y: { range: [0, max] } },
      axes: [
        { label: t("debrief.round_axis"), values: (u, ticks) => ticks.map((v) => (Number.isInteger(v) ? String(v) : "")) },
        {},
      ],
      series: [
        { label: t("debrief.round_axis") },
        ...all.map((s, i) => ({
          label: s.label,
          stroke: s.dash ? "#555" : PALETTE[i % PALETTE.length],
          width: s.dash ? 1.5 : 2.5,
          dash: s.dash || undefined,
          points: { show: !s.dash },
          paths: step && !s.dash ? uPlot.paths.stepped({ align: 1 }) : undefined,
        })),
      ],
      legend: { show: true, live: false },
    };
    const chart = new uPlot(options, [rounds, ...all.map((s) => s.values)], box.current);
    return () => chart.destroy();
  }, [JSON.stringify([rounds, series, bands])]);
  return html`<figure class="chart" data-chart=${id} data-series=${series.length} data-points=${rounds.length}>
    <figcaption>${title}</figcaption>
    <div class="chart-box" ref=${box} role="img" aria-label=${title}></div>
    <details class="chart-data">
      <summary>${t("debrief.chart_numbers")}</summary>
      <div class="table-wrap" tabindex="0"><table>
        <thead><tr><th scope="col">${t("debrief.series")}</th>${rounds.map((r) => html`<th scope="col" class="num">${t("round.short", { round: r })}</th>`)}</tr></thead>
        <tbody>${series.map((s) => html`<tr><th scope="row">${s.label}</th>${s.values.map((v) => html`<td class="num">${v == null ? "–" : formatNumber(v)}</td>`)}</tr>`)}
        ${bands.map((b) => html`<tr><th scope="row">${b.label}</th>${rounds.map(() => html`<td class="num">${formatNumber(b.value)}</td>`)}</tr>`)}</tbody>
      </table></div>
    </details>
  </figure>`;
}
