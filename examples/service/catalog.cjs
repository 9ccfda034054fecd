// The product catalogue (CommonJS): loaded from a JSON file, searched in memory.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Reads the catalogue file. */
function loadCatalog(file = path.join(__dirname, 'catalog.json')) {
  const products = JSON.parse(fs.readFileSync(file, 'utf8'));
  return new Map(products.map((p) => [p.id, p]));
}

/** The product with this id, or undefined. */
function findProduct(catalog, id) {
  return catalog.get(id);
}

/** Products whose name or tags contain `term` (case-insensitive), by id. */
function search(catalog, term) {
  const needle = String(term).toLowerCase();
  return [...catalog.values()]
    .filter((p) => p.name.toLowerCase().includes(needle) || p.tags.some((t) => t.includes(needle)))
    .sort((a, b) => a.id.localeCompare(b.id));
}

module.exports = { loadCatalog, findProduct, search };
