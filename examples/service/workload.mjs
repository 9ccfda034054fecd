// A fixed workload the service drives against itself over loopback: the same requests, in the
// same order, every run, so two runs (traced or not) must give the same answers.
import { request } from 'node:http';

/** The requests: [method, path, body?]. */
export const WORKLOAD = [
  ['GET', '/health'],
  ['GET', '/products'],
  ['GET', '/products?q=kitchen'],
  ['GET', '/products?q=wood'],
  ['GET', '/products/p1'],
  ['GET', '/products/p6'],
  ['GET', '/products/nope'],
  ['POST', '/quote', { product: 'p2', quantity: 1 }],
  ['POST', '/quote', { product: 'p5', quantity: 3, coupon: 'welcome10' }],
  ['POST', '/quote', { product: 'p3', quantity: 2, coupon: 'BOGUS' }],
  ['POST', '/orders', { product: 'p1', quantity: 1 }],
  ['POST', '/orders', { product: 'p4', quantity: 4 }],
  ['POST', '/orders', { product: 'p7', quantity: 2, coupon: 'COPPER5' }],
  ['POST', '/orders', { product: 'p8', quantity: 1, coupon: 'WELCOME10' }],
  ['POST', '/orders', { product: 'p2', quantity: 0 }],
  ['GET', '/orders/o0001'],
  ['GET', '/orders/o0003'],
  ['GET', '/stats'],
  ['GET', '/products?q=brass'],
  ['GET', '/missing'],
];

/** Sends one request to 127.0.0.1:`port`; resolves to `{ status, body }` (body as text). */
export function send(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs the workload `rounds` times; returns every answer, in order. */
export async function drive(port, rounds = 1) {
  const answers = [];
  for (let r = 0; r < rounds; r++) {
    for (const [method, path, body] of WORKLOAD) answers.push({ method, path, ...(await send(port, method, path, body)) });
  }
  return answers;
}
