/**
 * Attaching a catalogue exit: a target (a hook the program declares, or a probe spec), an exit
 * type from the catalogue the server lists, and optional JSON options. The page builds the
 * control protocol's attach request; the server checks it as the CLI does.
 */
import { useState } from 'preact/hooks';
import type { AttachRequest } from '../../src/control/protocol.ts';

/** What each exit type's options look like (docs/exits.md has them all). */
const OPTION_HINTS: Record<string, string> = {
  trace: '{"every":10}',
  assert: '{"predicate":{"arg":0,"op":">","value":0}}',
};

export function AttachForm(props: { exitTypes: string[]; sites: string[]; onAttach: (request: AttachRequest) => Promise<void> }) {
  const [target, setTarget] = useState('');
  const [type, setType] = useState('latency');
  const [options, setOptions] = useState('');
  const [name, setName] = useState('');
  const [disarmed, setDisarmed] = useState(false);
  const [problem, setProblem] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem('');
    let exit: Record<string, unknown> = { type };
    if (options.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(options);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('options must be a JSON object');
        exit = { ...(parsed as Record<string, unknown>), type };
      } catch (error) {
        setProblem(`Options: ${(error as Error).message}`);
        return;
      }
    }
    const request: AttachRequest = { target: target.trim(), exit };
    if (name.trim() !== '') request.name = name.trim();
    if (disarmed) request.armed = false;
    await props.onAttach(request);
  };

  return (
    <form class="attach" onSubmit={(e) => void submit(e)} aria-labelledby="attach-title">
      <h3 id="attach-title">Attach an exit</h3>
      <label>
        Target
        <input
          name="target"
          required
          list="known-sites"
          placeholder="./lib/db.js#query or area:point"
          value={target}
          onInput={(e) => setTarget(e.currentTarget.value)}
        />
      </label>
      <datalist id="known-sites">
        {props.sites.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <label>
        <span id="exit-type-label">Exit type</span>
        <select name="exit" aria-labelledby="exit-type-label" value={type} onChange={(e) => setType(e.currentTarget.value)}>
          {props.exitTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Options (JSON)
        <input name="options" placeholder={OPTION_HINTS[type] ?? 'none'} value={options} onInput={(e) => setOptions(e.currentTarget.value)} />
      </label>
      <label>
        Name
        <input name="name" placeholder="default TYPE@TARGET" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label class="check">
        <input type="checkbox" checked={disarmed} onChange={(e) => setDisarmed(e.currentTarget.checked)} /> attach disarmed
      </label>
      <button type="submit">Attach</button>
      {problem === '' ? null : (
        <p role="alert" class="bad">
          {problem}
        </p>
      )}
    </form>
  );
}
