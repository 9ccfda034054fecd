// The service's own hooks: places where an operator (or a plugin) may insert exits later.
// Declared once at module top level; while nothing is armed they cost (almost) nothing.
import { asyncHook, hook, waterfall } from 'hookwire';

/** Fired for every request, before routing. */
export const requestHook = hook('shop:request', { args: ['method', 'path'], description: 'every HTTP request' });

/** Each exit may adjust a quote's total (a price rule). */
export const priceHook = waterfall('shop:price', { args: ['total', 'productId'], description: 'price rules' });

/** Awaited after an order is stored. */
export const orderHook = asyncHook('shop:order', { args: ['order'], description: 'an order was placed' });
