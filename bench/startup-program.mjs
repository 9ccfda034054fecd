// The start-up benchmark's program as an ES module (bench/startup.ts): imports express, lodash and
// semver, uses each once, and exits.
import express from 'express';
import _ from 'lodash';
import semver from 'semver';

const app = express();
app.get('/', (_req, res) => res.end('ok'));
if (!semver.valid('1.2.3') || _.chunk([1, 2, 3], 2).length !== 2) process.exitCode = 1;
