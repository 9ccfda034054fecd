// A start-up program that loads semver and nothing else, and uses it once (bench/startup.ts
// --program bench/startup-bare.cjs): a Node built-in that hookwire loads is its own cost here,
// where bench/startup-program.cjs's express loads most of them itself.
const semver = require('semver');
if (!semver.valid('1.2.3')) process.exitCode = 1;
