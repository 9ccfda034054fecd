// A node:test reporter that writes one JSON line per leaf test: { file, name, ok, skipped }, the
// name joined with its suites' names by " > ". run.mjs takes these from a Node run of the core test
// files as the list every other runtime must reproduce, test by test.
import { relative } from 'node:path';

export default async function* names(source) {
  // Node reports a test when it completes, after its subtests: per file, collect each level's
  // finished entries until their parent completes and claims them.
  const pendingByFile = new Map();
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    const file = data.file === undefined ? '(unknown file)' : relative(process.cwd(), data.file);
    let pending = pendingByFile.get(file);
    if (pending === undefined) pendingByFile.set(file, (pending = []));
    const level = data.nesting;
    const children = pending[level + 1] ?? [];
    pending[level + 1] = [];
    const mine = (pending[level] ??= []);
    if (data.details?.type === 'suite' || children.length > 0) {
      for (const child of children) mine.push({ ...child, name: `${data.name} > ${child.name}` });
      // a suite that failed without tests (its callback threw) is one failed entry
      if (type === 'test:fail' && children.length === 0) mine.push({ file, name: data.name, ok: false, skipped: false });
    } else {
      mine.push({ file, name: data.name, ok: type === 'test:pass', skipped: data.skip !== undefined && data.skip !== false });
    }
    if (level === 0) {
      for (const entry of pending[0]) yield `${JSON.stringify(entry)}\n`;
      pending[0] = [];
    }
  }
}
