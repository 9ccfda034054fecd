// A stand-in OTLP/HTTP collector for the examples of docs/bridges.md: listens on 127.0.0.1:4318 and
// prints, per span received, the path, service.name, span name, span id and parent id.
import { createServer } from 'node:http';
createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    for (const rs of JSON.parse(body).resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const s of ss.spans)
          console.log(req.url, rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue, s.name, s.spanId, s.parentSpanId || '-');
    res.end('{}');
  });
}).listen(4318, '127.0.0.1');
