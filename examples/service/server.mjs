// The HTTP service (ES module): routes over the catalogue, pricing and order store.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { orderHook, priceHook, requestHook } from './hooks.mjs';
import { OrderStore } from './orders.mjs';

const require = createRequire(import.meta.url);
const catalogModule = require('./catalog.cjs');
const pricing = require('./pricing.cjs');

/** Makes the service (not listening yet). Every answer is JSON. */
export function createShop({ dataDir }) {
  const catalog = catalogModule.loadCatalog();
  const store = new OrderStore(dataDir);

  async function route(method, url, body) {
    const path = url.pathname;
    if (method === 'GET' && path === '/health') return [200, { ok: true }];
    if (method === 'GET' && path === '/products') return [200, catalogModule.search(catalog, url.searchParams.get('q') ?? '')];
    if (method === 'GET' && path.startsWith('/products/')) {
      const product = catalogModule.findProduct(catalog, path.slice('/products/'.length));
      return product ? [200, product] : [404, { error: 'no such product' }];
    }
    if (method === 'POST' && path === '/quote') {
      const product = catalogModule.findProduct(catalog, body.product);
      if (!product) return [404, { error: 'no such product' }];
      const q = pricing.quote(product, body.quantity, body.coupon);
      return [200, { ...q, total: priceHook.fire(q.total, product.id) }];
    }
    if (method === 'POST' && path === '/orders') {
      const product = catalogModule.findProduct(catalog, body.product);
      if (!product) return [404, { error: 'no such product' }];
      const q = pricing.quote(product, body.quantity, body.coupon);
      const order = await store.place({ ...q, total: priceHook.fire(q.total, product.id) });
      await orderHook.fire(order);
      return [201, order];
    }
    if (method === 'GET' && path.startsWith('/orders/')) {
      const order = await store.get(path.slice('/orders/'.length));
      return order ? [200, order] : [404, { error: 'no such order' }];
    }
    if (method === 'GET' && path === '/stats') return [200, { orders: await store.count(), products: catalog.size }];
    return [404, { error: `no route ${method} ${path}` }];
  }

  return createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://shop');
      requestHook.fire(req.method, url.pathname);
      let status;
      let payload;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        [status, payload] = await route(req.method, url, text ? JSON.parse(text) : {});
      } catch (error) {
        [status, payload] = [400, { error: error.message }];
      }
      const out = JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  });
}
