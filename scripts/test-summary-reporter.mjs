// A node:test reporter that prints nothing while tests run and, at the end, one JSON line of
// counts and of the failed tests (file, name, the error's first line). scripts/run-tests.mjs adds
// it beside the readable reporter, combines the counts of both compile modes into the single
// summary line `npm test` ends with, and lists the failed tests again under it, where the tail of a
// long log (CI's) still shows them.
export default async function* summary(source) {
  const counts = { pass: 0, fail: 0, skip: 0, todo: 0, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // Suites (describe) are containers: their tests are counted, not the suite itself.
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip) counts.skip++;
    else if (event.data.todo) counts.todo++;
    else if (event.type === 'test:pass') counts.pass++;
    else {
      counts.fail++;
      counts.failures.push({ file: event.data.file ?? '', name: event.data.name, error: firstLine(event.data.details?.error) });
    }
  }
  yield `${JSON.stringify(counts)}\n`;
}

// The runner wraps a test's own error (ERR_TEST_FAILURE); its cause is what the test threw.
function firstLine(error) {
  const own = error?.cause ?? error;
  const text = own instanceof Error ? `${own.name}: ${own.message}` : String(own);
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}
