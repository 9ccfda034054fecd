// Not from js-yaml: a unit test requires '../../lib/common' (a file of js-yaml's repository); this hands
// it the same file of the installed package (its package.json exports only the entry point).
'use strict';
module.exports = require('../../../../../node_modules/js-yaml-4.1.1/lib/common.js');
