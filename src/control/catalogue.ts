import { attach, observerFromSpec, type Observer } from '../exits/index.ts';
import type { Registry } from '../core/index.ts';
import type { Catalogue, HandleLike } from './attachments.ts';

/**
 * The real exit catalogue (`hookwire/exits`) in the shape the control layer uses: observers
 * from JSON specs, trace records to the agent's stream, attached to hooks or probe specs.
 */
export function exitCatalogue(registry: Registry): Catalogue {
  return {
    observer(spec, onRecord, options) {
      return observerFromSpec(spec, { sink: { callback: (record) => onRecord(record as unknown as Record<string, unknown>) }, allowFiles: options.allowFiles, registry });
    },
    attach(observer, target, options) {
      return attach(observer as Observer, target, { name: options.name, armed: options.armed }) as HandleLike;
    },
    detach(handle) {
      const h = handle as HandleLike & { remove?: () => void; deregister?: () => void };
      if (typeof h.remove === 'function') h.remove();
      else if (typeof h.deregister === 'function') h.deregister();
    },
  };
}
