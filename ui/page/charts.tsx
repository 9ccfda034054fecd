/**
 * The charts, drawn as SVG by hand: a few hundred points per line need no chart library, and the
 * page stays small. Each chart has a text alternative (its role and label) for screen readers.
 */
import type { Point } from './model.ts';
import { ms, rate } from './format.ts';

const W = 520;
const H = 140;
const PAD = { left: 56, right: 8, top: 10, bottom: 20 };

interface Series {
  name: string;
  className: string;
  values: [number, number | null][];
}

/** A line chart over time; null values break the line. */
function LineChart(props: { title: string; site: string; series: Series[]; format: (v: number) => string }) {
  const all = props.series.flatMap((s) => s.values);
  const ts = all.map(([t]) => t);
  const vs = all.map(([, v]) => v).filter((v): v is number => v !== null);
  if (ts.length < 2 || vs.length === 0) {
    return (
      <figure class="chart">
        <figcaption>{props.title}</figcaption>
        <p class="empty">waiting for data…</p>
      </figure>
    );
  }
  const t0 = Math.min(...ts);
  const t1 = Math.max(...ts);
  const vmax = Math.max(...vs) || 1;
  const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - v / vmax) * (H - PAD.top - PAD.bottom);
  const last = props.series.map((s) => `${s.name} ${format(s.values.at(-1)?.[1] ?? null, props.format)}`).join(', ');
  return (
    <figure class="chart">
      <figcaption>
        {props.title}
        <span class="legend">
          {props.series.map((s) => (
            <span key={s.name} class={`key ${s.className}`}>
              {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title} of ${props.site}: latest ${last}`}>
        <line class="axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
        <line class="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
        <text class="tick" x={PAD.left - 4} y={PAD.top + 8} text-anchor="end">
          {props.format(vmax)}
        </text>
        <text class="tick" x={PAD.left - 4} y={H - PAD.bottom} text-anchor="end">
          0
        </text>
        <text class="tick" x={W - PAD.right} y={H - 4} text-anchor="end">
          {`${Math.round((t1 - t0) / 1000)} s`}
        </text>
        {props.series.map((s) => (
          <path key={s.name} class={`line ${s.className}`} d={path(s.values, x, y)} />
        ))}
      </svg>
    </figure>
  );
}

/** Hit rate, and p50/p99 latency, of one site over time. */
export function SiteCharts(props: { site: string; points: Point[] }) {
  const { points } = props;
  return (
    <>
      <LineChart
        title="Hit rate"
        site={props.site}
        series={[{ name: 'hits/s', className: 's-rate', values: points.map((p) => [p.t, p.rate]) }]}
        format={rate}
      />
      <LineChart
        title="Latency"
        site={props.site}
        series={[
          { name: 'p50', className: 's-p50', values: points.map((p) => [p.t, p.p50]) },
          { name: 'p99', className: 's-p99', values: points.map((p) => [p.t, p.p99]) },
        ]}
        format={ms}
      />
    </>
  );
}

/**
 * The latency histogram of a site: the durations of its traced calls in power-of-two buckets of
 * microseconds (a latency exit reports percentiles, not buckets; the trace stream has each call).
 */
export function Histogram(props: { site: string; durations: number[] }) {
  const { durations } = props;
  if (durations.length === 0) {
    return (
      <figure class="chart">
        <figcaption>Latency histogram</figcaption>
        <p class="empty">no traced calls with a duration yet (attach a trace exit to this site)</p>
      </figure>
    );
  }
  const buckets = new Map<number, number>();
  for (const d of durations) {
    const b = Math.max(0, Math.ceil(Math.log2(Math.max(1, d * 1000))));
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  const lo = Math.min(...buckets.keys());
  const hi = Math.max(...buckets.keys());
  const bars: { label: string; n: number }[] = [];
  for (let b = lo; b <= hi; b++) bars.push({ label: `≤${ms(2 ** b / 1000)}`, n: buckets.get(b) ?? 0 });
  const top = Math.max(...bars.map((b) => b.n));
  const bw = (W - PAD.left - PAD.right) / bars.length;
  return (
    <figure class="chart">
      <figcaption>Latency histogram ({durations.length} traced calls)</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Latency histogram of ${props.site}: ${bars.map((b) => `${b.label} ${b.n}`).join(', ')}`}>
        <line class="axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
        <text class="tick" x={PAD.left - 4} y={PAD.top + 8} text-anchor="end">
          {top}
        </text>
        {bars.map((b, i) => {
          const h = (b.n / top) * (H - PAD.top - PAD.bottom);
          return (
            <g key={b.label}>
              <rect class="bar" x={PAD.left + i * bw + 1} y={H - PAD.bottom - h} width={Math.max(1, bw - 2)} height={h}>
                <title>{`${b.label}: ${b.n}`}</title>
              </rect>
              {bars.length <= 12 || i % 2 === 0 ? (
                <text class="tick" x={PAD.left + i * bw + bw / 2} y={H - 6} text-anchor="middle">
                  {b.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function path(values: [number, number | null][], x: (t: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const [t, v] of values) {
    if (v === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

function format(v: number | null, f: (v: number) => string): string {
  return v === null ? 'none' : f(v);
}
