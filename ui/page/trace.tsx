/** The live trace stream of every program, newest last, with a filter over site, program and values. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { brief, clock, ms } from './format.ts';
import type { PageTrace } from './model.ts';

/** Lines rendered at most (the model keeps more for the filter). */
const SHOWN = 200;

export function TraceStream(props: { traces: PageTrace[]; dropped: number }) {
  const [filter, setFilter] = useState('');
  const [paused, setPaused] = useState<PageTrace[] | null>(null);
  const source = paused ?? props.traces;
  const needle = filter.trim().toLowerCase();
  const matching = needle === '' ? source : source.filter((r) => line(r).toLowerCase().includes(needle));
  const shown = matching.slice(-SHOWN);
  // Follow the newest line while the reader is at the bottom; stay put when they scrolled up.
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    if (atBottom.current && list.current !== null) list.current.scrollTop = list.current.scrollHeight;
  });
  const onScroll = () => {
    const el = list.current;
    if (el !== null) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };
  return (
    <section class="trace" aria-labelledby="trace-title">
      <h2 id="trace-title">Trace stream</h2>
      <div class="toolbar">
        <label>
          Filter trace
          <input type="search" value={filter} placeholder="site, pid or value" onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <button type="button" aria-pressed={paused !== null} onClick={() => setPaused(paused === null ? [...props.traces] : null)}>
          {paused === null ? 'Pause' : 'Resume'}
        </button>
        <span class="dim">
          {matching.length} of {source.length} lines{props.dropped > 0 ? `, ${props.dropped} dropped to keep up` : ''}
        </span>
      </div>
      {shown.length === 0 ? (
        <p class="empty">no trace records{needle === '' ? ' yet (attach a trace exit)' : ' match'}</p>
      ) : (
        <ol class="lines" aria-live="off" ref={list} onScroll={onScroll} tabIndex={0} aria-label="Trace lines, newest last">
          {shown.map((r) => (
            <li key={r.seq} class={r.error === undefined ? '' : 'bad'}>
              {line(r)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Each record's line, made once (the filter reads every kept record on each render). */
const lines = new WeakMap<PageTrace, string>();

function line(r: PageTrace): string {
  let text = lines.get(r);
  if (text === undefined) lines.set(r, (text = render(r)));
  return text;
}

function render(r: PageTrace): string {
  const outcome = r.error !== undefined ? ` threw ${r.error.name}: ${r.error.message}` : r.event === 'call' ? ` -> ${brief(r.result, 80)}` : '';
  const took = r.durationMs === undefined ? '' : ` (${ms(r.durationMs)})`;
  return `${clock(r.time)} [${r.pid}] ${r.site} ${r.event} ${brief(r.args)}${outcome}${took}`;
}
