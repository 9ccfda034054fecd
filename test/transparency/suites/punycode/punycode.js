// Not from punycode.js: the vendored tests require '../punycode.js' (the file at the root of its
// repository); this hands them the installed package ('punycode/' and not 'punycode', which is
// Node's own deprecated builtin).
'use strict';
module.exports = require('punycode/');
