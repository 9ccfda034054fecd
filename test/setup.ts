// Loaded before every test file (see scripts/run-tests.mjs): applies the compile mode under test.
import { setCodeGeneration } from '../src/core/compile/mode.ts';

if (process.env['HOOKWIRE_CODEGEN'] === 'off') setCodeGeneration(false);
