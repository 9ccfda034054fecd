// hookwire/control exports what a user of the control API needs, by name, and no internals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as control from '../../src/control/index.ts';

test('hookwire/control: the client, the server start, the catalogue, the error codes, the protocol version and the agent configuration; nothing else', () => {
  assert.deepEqual(Object.keys(control).sort(), [
    'ControlClient',
    'ControlErrorCodes',
    'PROTOCOL',
    'armEverywhere',
    'connectAgent',
    'disarmEverywhere',
    'exitCatalogue',
    'listAgents',
    'readAgentEnv',
    'runtimeDir',
    'startControlServer',
    'synchronizeEverywhere',
  ]);
  for (const internal of ['BODY_LIMIT', 'httpStatus', 'errorBody', 'Attachments', 'EventHub', 'MAX_ATTACHMENTS', 'removeSocketFiles', 'siteRows']) {
    assert.equal(internal in control, false, internal);
  }
});
