/**
 * Source maps for line probes on TypeScript (or any compiled) sources: a spec naming
 * `src/x.ts:42` becomes a breakpoint on the generated file's line that the map says line 42
 * became. Reads version 3 maps (inline `data:` URLs or files next to the script); index maps
 * with `sections` are not read. Only what a line probe needs: original position → first
 * generated position.
 */
import { builtin } from './host.ts';

/** A 0-based position in a generated script. */
export interface GeneratedPosition {
  readonly line: number;
  readonly column: number;
}

/** A map read and decoded: for each source file (absolute path), its mappings in generated order. */
export interface SourceMap {
  /** Absolute paths of the map's sources. */
  readonly sources: readonly string[];
  /** Per mapping: generated line, generated column, source index, original line, original column (all 0-based). */
  readonly mappings: Int32Array;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) DIGIT[B64.charCodeAt(i)] = i;

/**
 * Reads the map a script names (`//# sourceMappingURL=`, as Debugger.scriptParsed reports it):
 * a `data:` URL or a path relative to the script's file URL. Undefined when there is none, it
 * cannot be read, or it is not a version 3 map with `mappings`.
 */
export function loadSourceMap(scriptUrl: string, sourceMapURL: string): SourceMap | undefined {
  if (sourceMapURL === '') return undefined;
  const fs = builtin('node:fs');
  const url = builtin('node:url');
  const path = builtin('node:path');
  if (fs === undefined || url === undefined || path === undefined) return undefined;
  try {
    let text: string;
    let base: string;
    if (sourceMapURL.startsWith('data:')) {
      const comma = sourceMapURL.indexOf(',');
      const head = sourceMapURL.slice(5, comma);
      const body = sourceMapURL.slice(comma + 1);
      text = head.endsWith(';base64') ? new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0))) : decodeURIComponent(body);
      base = path.dirname(url.fileURLToPath(scriptUrl));
    } else {
      const file = url.fileURLToPath(new URL(sourceMapURL, scriptUrl));
      text = fs.readFileSync(file, 'utf8');
      base = path.dirname(file);
    }
    const raw = JSON.parse(text) as { version?: unknown; sources?: unknown; sourceRoot?: unknown; mappings?: unknown };
    if (raw.version !== 3 || !Array.isArray(raw.sources) || typeof raw.mappings !== 'string') return undefined;
    const root = typeof raw.sourceRoot === 'string' ? raw.sourceRoot : '';
    const sources = raw.sources.map((s: unknown) => {
      const name = typeof s === 'string' ? s : '';
      if (name.startsWith('file:')) return url.fileURLToPath(name);
      return path.resolve(base, root, name);
    });
    return { sources, mappings: decodeMappings(raw.mappings) };
  } catch {
    return undefined;
  }
}

/**
 * Where line `line` (0-based) of source `file` starts in the generated script: the mapping of
 * that line with the smallest generated position, or with `column`, the first whose original
 * column is at or after it. Undefined when no mapping comes from that line.
 */
export function generatedPosition(map: SourceMap, file: string, line: number, column?: number): GeneratedPosition | undefined {
  const source = map.sources.indexOf(file);
  if (source === -1) return undefined;
  const m = map.mappings;
  let best: GeneratedPosition | undefined;
  let bestColumn = Infinity;
  for (let i = 0; i < m.length; i += 5) {
    if (m[i + 2] !== source || m[i + 3] !== line) continue;
    const originalColumn = m[i + 4]!;
    if (column !== undefined) {
      // The first mapping at or after the column, nearest to it in the original.
      if (originalColumn < column || originalColumn >= bestColumn) continue;
      bestColumn = originalColumn;
      best = { line: m[i]!, column: m[i + 1]! };
    } else if (best === undefined) {
      // Mappings come in generated order: the first is the earliest position.
      best = { line: m[i]!, column: m[i + 1]! };
    }
  }
  return best;
}

/** Decodes the `mappings` string into 5-tuples (segments without a source are left out). */
function decodeMappings(text: string): Int32Array {
  const out: number[] = [];
  let genLine = 0;
  let genCol = 0;
  let source = 0;
  let origLine = 0;
  let origCol = 0;
  let name = 0;
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  const flush = (): void => {
    if (fields.length >= 4) {
      genCol += fields[0]!;
      source += fields[1]!;
      origLine += fields[2]!;
      origCol += fields[3]!;
      if (fields.length >= 5) name += fields[4]!;
      out.push(genLine, genCol, source, origLine, origCol);
    } else if (fields.length >= 1) genCol += fields[0]!;
    fields.length = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 59 /* ; */) {
      flush();
      genLine++;
      genCol = 0;
      continue;
    }
    if (c === 44 /* , */) {
      flush();
      continue;
    }
    const digit = c < 128 ? DIGIT[c]! : -1;
    if (digit === -1) throw new Error(`bad character in source map mappings at ${i}`);
    value += (digit & 31) * 2 ** shift;
    if ((digit & 32) !== 0) {
      shift += 5;
      continue;
    }
    fields.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  flush();
  void name;
  return Int32Array.from(out);
}
