// A node:test reporter that prints nothing while tests run and, at the end, one JSON line of
// counts. scripts/run-tests.mjs adds it beside the readable reporter and combines the counts of
// both compile modes into the single summary line `npm test` ends with.
export default async function* summary(source) {
  const counts = { pass: 0, fail: 0, skip: 0, todo: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // Suites (describe) are containers: their tests are counted, not the suite itself.
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip) counts.skip++;
    else if (event.data.todo) counts.todo++;
    else if (event.type === 'test:pass') counts.pass++;
    else counts.fail++;
  }
  yield `${JSON.stringify(counts)}\n`;
}
