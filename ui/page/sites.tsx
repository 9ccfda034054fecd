/** The sites table (hooks and probes, their exits in order) and the attachments table, with their controls. */
import type { AttachmentInfo } from '../../src/control/protocol.ts';
import { count, ms, rate } from './format.ts';
import type { SiteRow } from './model.ts';

/** What the controls do; each resolves when the program has answered. */
export interface Actions {
  setSite(site: string, armed: boolean): void;
  setExit(site: string, exit: string, armed: boolean): void;
  setAttachment(name: string, armed: boolean): void;
  remove(name: string): void;
  select(site: string): void;
}

/**
 * An on/off switch: a real button with role switch, named for what pressing it does. A press asks
 * for the opposite of the state the button shows at that moment (its aria-checked), not of the
 * model's: a state change that has not been drawn yet must not turn an "Arm" press into a disarm.
 */
function Switch(props: { on: boolean; label: string; disabled?: boolean; onSet: (on: boolean) => void }) {
  return (
    <button
      type="button"
      role="switch"
      class="switch"
      aria-checked={props.on}
      aria-label={`${props.on ? 'Disarm' : 'Arm'} ${props.label}`}
      disabled={props.disabled}
      onClick={(event) => props.onSet(event.currentTarget.getAttribute('aria-checked') !== 'true')}
    >
      <span class="knob" aria-hidden="true" />
      <span class="state">{props.on ? 'armed' : 'idle'}</span>
    </button>
  );
}

export function SitesTable(props: { rows: SiteRow[]; selected: string | undefined; actions: Actions }) {
  if (props.rows.length === 0) return <p class="empty">no hooks or probes yet</p>;
  return (
    <table class="sites">
      <caption>Hooks and probes</caption>
      <thead>
        <tr>
          <th scope="col">site</th>
          <th scope="col">kind</th>
          <th scope="col">state</th>
          <th scope="col">hits</th>
          <th scope="col">rate</th>
          <th scope="col">p50</th>
          <th scope="col">p99</th>
          <th scope="col">faults</th>
          <th scope="col">missed</th>
          <th scope="col">exits (in order)</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.site} class={r.site === props.selected ? 'selected' : ''} data-site={r.site}>
            <th scope="row">
              <button type="button" class="link" aria-pressed={r.site === props.selected} onClick={() => props.actions.select(r.site)}>
                {r.site}
              </button>
            </th>
            <td>
              {r.kind}
              {r.breakpoint === undefined ? null : (
                <span class="badge warn" title={`${r.breakpoint.where}: ${r.breakpoint.cost}`}>
                  breakpoint
                </span>
              )}
            </td>
            <td>
              {r.kind === 'pending' ? (
                <span class="badge warn">pending</span>
              ) : (
                <Switch on={r.armed} label={r.site} disabled={!r.switchable} onSet={(on) => props.actions.setSite(r.site, on)} />
              )}
              {r.sealed ? <span class="badge">sealed</span> : null}
            </td>
            <td class="num">{count(r.hits)}</td>
            <td class="num">{rate(r.rate)}</td>
            <td class="num">{ms(r.p50Ms)}</td>
            <td class="num">{ms(r.p99Ms)}</td>
            <td class={`num ${r.faults > 0 ? 'bad' : ''}`}>{r.faults}</td>
            <td class={`num ${r.missed > 0 ? 'warn' : ''}`}>{r.missed}</td>
            <td>
              <ol class="exits">
                {r.exits.map((e) => (
                  <li key={e.name}>
                    <span class="order" title="order">
                      {String(e.order)}
                    </span>{' '}
                    <span class={e.armed ? '' : 'dim'}>{e.name}</span> <span class="dim">{count(e.hits)} hits</span>
                    {r.exits.length > 1 && !r.sealed ? (
                      <Switch on={e.armed} label={`exit ${e.name} of ${r.site}`} onSet={(on) => props.actions.setExit(r.site, e.name, on)} />
                    ) : null}
                  </li>
                ))}
              </ol>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AttachmentsTable(props: { attachments: AttachmentInfo[]; actions: Actions }) {
  if (props.attachments.length === 0) return <p class="empty">no attachments (attach one below)</p>;
  return (
    <table class="attachments">
      <caption>Attachments made from outside the program</caption>
      <thead>
        <tr>
          <th scope="col">name</th>
          <th scope="col">type</th>
          <th scope="col">status</th>
          <th scope="col">armed</th>
          <th scope="col">hits</th>
          <th scope="col">faults</th>
          <th scope="col">missed</th>
          <th scope="col">
            <span class="visually-hidden">remove</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.attachments.map((a) => (
          <tr key={a.name}>
            <th scope="row">{a.name}</th>
            <td>{a.type}</td>
            <td>{a.status === 'pending' ? <span class="badge warn">pending</span> : a.status}</td>
            <td>
              <Switch on={a.armed} label={a.name} onSet={(on) => props.actions.setAttachment(a.name, on)} />
            </td>
            <td class="num">{count(a.stats.hits)}</td>
            <td class={`num ${a.stats.faults > 0 ? 'bad' : ''}`}>{a.stats.faults}</td>
            <td class={`num ${a.stats.missed > 0 ? 'warn' : ''}`}>{a.stats.missed}</td>
            <td>
              <button type="button" class="danger" aria-label={`Remove ${a.name}`} onClick={() => props.actions.remove(a.name)}>
                Remove
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
