// The start-up benchmark's program (bench/startup.ts): loads express, lodash and semver, uses each
// once, and exits, as a real program's start does.
const express = require('express');
const _ = require('lodash');
const semver = require('semver');

const app = express();
app.get('/', (_req, res) => res.end('ok'));
if (!semver.valid('1.2.3') || _.chunk([1, 2, 3], 2).length !== 2) process.exitCode = 1;
