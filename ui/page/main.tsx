/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The browser entry of `hookwire ui`, bundled by esbuild into dist/ui/page.js (npm run build).
 * The DOM library is referenced here, by the page, rather than in tsconfig.json for all code.
 */
import { render } from 'preact';
import { App } from './app.tsx';
import './style.css';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
