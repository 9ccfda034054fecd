// Not from js-yaml: the vendored tests require '../' (the root of js-yaml's repository); this
// hands them the installed package (js-yaml 4.1.1, installed under the npm alias js-yaml-4.1.1).
'use strict';
module.exports = require('js-yaml-4.1.1');
