import { HookError, registry as defaultRegistry, type Registry } from '../core/index.ts';
import { codeGenerationEnabled, declare, type ExitImpl, type HookImpl, type RegistryImpl } from '../core/internal.ts';
import { classify, type Classification } from './classify.ts';
import { closureWrapper, genericWrapper } from './closure-wrapper.ts';
import { compileWrapper, generateWrapperSource, wrapperShape } from './compile-wrapper.ts';
import { dress, undress } from './dress.ts';
import { makeDelegate, type ArmedProbe, type Cell, type WrapperPlan } from './engine.ts';
import { restoreSlot, slotHolds, writeSlot, type Slot } from './install.ts';
import { tallyOf } from './tally.ts';

/** What a site keeps of each of its probes. */
export interface ProbeRecord extends ArmedProbe {
  /** false: this probe wants the generic wrapper while armed. */
  readonly boost: boolean;
  /** The slots this probe asked for (a slot is restored when no probe asks for it any more). */
  readonly slots: Set<Slot>;
}

/** Original functions (and wrappers of ours) → their site, so one function has one wrapper. */
const sites = new WeakMap<Function, Site>();

/**
 * A probed function: one hook in the registry whose exits are the function's probes, one wrapper
 * compiled for exactly the armed probes, installed in every slot (property) that probes asked for.
 * Many probes share the wrapper; removing the last one restores every slot's descriptor.
 */
export class Site {
  readonly orig: Function;
  readonly cls: Classification;
  readonly hook: HookImpl;
  readonly registry: RegistryImpl;
  readonly records = new Map<ExitImpl, ProbeRecord>();
  /** Slots and how many probes ask for each. */
  readonly slots = new Map<Slot, number>();
  readonly meta: Record<string, string | number | boolean>;
  wrapper: Function | null = null;
  cell: Cell | null = null;
  forwarded: Set<PropertyKey> = new Set();
  /** The last generated wrapper source (compiled mode). */
  generated = '';

  private constructor(orig: Function, cls: Classification, registry: Registry | undefined, name: string) {
    this.orig = orig;
    this.cls = cls;
    this.meta = { target: cls.kind, arity: cls.arity, boostable: cls.boosted, boosted: false, wrapper: 'none' };
    if (cls.reason !== undefined) this.meta['reason'] = cls.reason;
    this.hook = declare(
      'hook',
      name,
      { registry, faultPolicy: 'isolate', description: `probe on ${cls.kind} function ${cls.name || '(anonymous)'}` },
      {
        meta: this.meta,
        onArmedChange: (armed) => this.rebuild(armed),
        // The hook's source() shows what actually runs: the probe wrapper, not the unused dispatcher.
        source: () => this.source(),
      },
    );
    this.registry = this.hook.registry;
  }

  /** The live site of `fn` (an original, or a wrapper of ours), if any. */
  static of(fn: Function): Site | undefined {
    const site = sites.get(fn);
    if (site !== undefined && site.hook.terminated) {
      site.dispose();
      return undefined;
    }
    return site;
  }

  /** Declares a new site for `orig` under a unique `probe:` name derived from `label`. */
  static create(orig: Function, registry: Registry | undefined, label: string, spec?: string): Site {
    const cls = classify(orig);
    const base = `probe:${label.replace(/[\s\p{Cc}]+/gu, '_')}`.slice(0, 240);
    let name = base;
    const reg = (registry ?? defaultRegistry) as RegistryImpl;
    for (let i = 2; reg.get(name) !== undefined; i++) name = `${base}#${i}`;
    const site = new Site(orig, cls, registry, name);
    if (spec !== undefined) site.meta['spec'] = spec;
    sites.set(orig, site);
    return site;
  }

  /** Adds a probe's interest in `slot`; installs the current wrapper there if one is armed. */
  retain(slot: Slot): Slot {
    for (const existing of this.slots.keys()) {
      if (existing.target === slot.target && existing.key === slot.key && existing.role === slot.role) {
        this.slots.set(existing, this.slots.get(existing)! + 1);
        return existing;
      }
    }
    this.slots.set(slot, 1);
    if (this.wrapper !== null) this.place(slot, this.wrapper);
    return slot;
  }

  /**
   * Drops a probe's interest in `slot`; the last interest restores it. Returns false when the
   * slot had been taken over by someone else (their function stays).
   */
  release(slot: Slot): boolean {
    const n = this.slots.get(slot);
    if (n === undefined) return true;
    if (n > 1) {
      this.slots.set(slot, n - 1);
      return true;
    }
    this.slots.delete(slot);
    return this.unplace(slot);
  }

  /** Called by the core after every change of the armed set: recompile and reinstall. */
  rebuild(armed: readonly ExitImpl[]): void {
    const old = this.wrapper;
    if (this.cell !== null) this.cell.live = false;
    if (old !== null && this.meta['wrapper'] !== 'generic') undress(old, this.orig, this.forwarded);
    const records = armed.map((e) => this.records.get(e)).filter((r): r is ProbeRecord => r !== undefined);
    const probes = records.map((r) => this.counting(r));
    if (probes.length === 0) {
      this.wrapper = null;
      this.cell = null;
      this.meta['boosted'] = false;
      this.meta['wrapper'] = 'none';
      for (const slot of this.slots.keys()) this.unplace(slot);
      return;
    }
    const cell: Cell = { live: true, self: null };
    const plan: WrapperPlan = {
      hookName: this.hook.name,
      orig: this.orig,
      cls: this.cls,
      probes,
      cell,
      registry: this.registry,
      tracker: this.registry._tracker,
      current: () => this.wrapper ?? this.orig,
      delegate: makeDelegate(this.cls, this.orig),
      leaves: probes.some((p) => p.leave !== undefined || p.error !== undefined || p.tally !== undefined),
      timed: probes.some((p) => p.timed),
      scoped: probes.some((p) => p.scope !== undefined),
    };
    const boost = this.cls.boosted && records.every((p) => p.boost);
    let wrapper: Function;
    let how: string;
    if (!boost) {
      wrapper = genericWrapper(plan);
      how = 'generic';
      this.forwarded = new Set();
    } else {
      const codegen = codeGenerationEnabled();
      try {
        if (codegen) {
          this.generated = generateWrapperSource(plan);
          wrapper = compileWrapper(plan, this.generated);
        } else wrapper = closureWrapper(plan, wrapperShape(plan));
        how = codegen ? 'compiled' : 'closure';
        this.forwarded = dress(wrapper, this.orig);
      } catch (error) {
        // An original whose own properties cannot be mirrored (or a refused compile): the generic
        // wrapper forwards everything, so it is always correct. Reported, never thrown.
        this.registry._reportFault(this.hook.name, '(site)', error);
        wrapper = genericWrapper(plan);
        how = 'generic';
        this.forwarded = new Set();
      }
    }
    cell.self = wrapper;
    this.wrapper = wrapper;
    this.cell = cell;
    this.meta['boosted'] = how !== 'generic';
    this.meta['wrapper'] = how;
    sites.set(wrapper, this);
    for (const slot of this.slots.keys()) this.place(slot, wrapper);
  }

  /**
   * The probe as its wrapper runs it: a probe whose handlers count through a tally (tally.ts) gets
   * the tally and no handlers, so the wrapper counts inline; any other probe as it is.
   */
  private counting(record: ProbeRecord): ArmedProbe {
    const tally = tallyOf(record.handlers, this.hook.name);
    if (tally === undefined) return record;
    return {
      exit: record.exit,
      stats: record.stats,
      handlers: record.handlers,
      enter: undefined,
      leave: undefined,
      error: undefined,
      timed: false,
      tally,
    };
  }

  /** The generated wrapper source, or a line saying why there is none. */
  source(): string {
    if (this.wrapper === null) return `// ${this.hook.name}: no armed probe, the original is in place`;
    if (this.meta['wrapper'] !== 'compiled') return `// ${this.hook.name}: ${String(this.meta['wrapper'])} wrapper (no generated code)`;
    return this.generated;
  }

  /** Forgets the site (after its hook was terminated). */
  dispose(): void {
    if (sites.get(this.orig) === this) sites.delete(this.orig);
  }

  private place(slot: Slot, wrapper: Function): void {
    if (slot.lost) return;
    const now = slotHolds(slot);
    const expected = slot.installed ?? slot.fn;
    if (now !== expected) {
      this.lose(slot, now);
      return;
    }
    if (!writeSlot(slot, wrapper)) this.lose(slot, now);
  }

  private unplace(slot: Slot): boolean {
    if (slot.lost) return false;
    if (slot.installed === null) return true;
    if (slotHolds(slot) !== slot.installed) {
      this.lose(slot, slotHolds(slot));
      return false;
    }
    restoreSlot(slot);
    return true;
  }

  private lose(slot: Slot, now: unknown): void {
    slot.lost = true;
    slot.installed = null;
    const error = new HookError(
      'ERR_PROBE_REPLACED',
      `${this.hook.name}: property ${String(slot.key)} was replaced by someone else (now ${typeof now === 'function' ? `function ${now.name || '(anonymous)'}` : typeof now}); their value is left in place`,
    );
    this.registry._reportFault(this.hook.name, '(site)', error);
  }
}
