// Checks that the two JSONata change nodes of bench/peer/flows.json produce exactly what Weft's mappings produce
// for the ERP example order: mappings/erp/v1/ProductionOrder.in.jsonata, then mappings/mes/ProductionOrder.out.jsonata
// and mappings/wms/ProductionOrder.out.jsonata ($weftLookup from mappings/lookups/*.csv). Run by bench/peer.sh before
// Node-RED starts:  node bench/peer/check-flow.js   (uses the jsonata that Node-RED 4.1.8 ships, under bench/target)
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..', '..');
const jsonata = require(path.join(root, 'bench/target/node-red/node_modules/jsonata'));
const read = (f) => fs.readFileSync(path.join(root, f), 'utf8');

function table(name) { // lookups/<name>.csv: first column the key, the header names the others
  const lines = read(`mappings/lookups/${name}.csv`).split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const header = lines.shift().split(',');
  const rows = {};
  for (const line of lines) {
    const cells = line.split(',');
    rows[cells[0]] = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  }
  return { header, rows };
}
const bindings = {
  weftLookup: (name, key, column) => {
    const t = table(name);
    const row = t.rows[key];
    return row ? row[column || t.header[1]] : undefined;
  },
};

(async () => {
  const flows = JSON.parse(read('bench/peer/flows.json'));
  const erp = JSON.parse(read('mappings/erp/v1/examples/ProductionOrder.in/basic.input.json'));
  const canonical = await jsonata(read('mappings/erp/v1/ProductionOrder.in.jsonata')).evaluate(erp, bindings);
  let failed = 0;
  for (const [node, mapping] of [['to-mes', 'mappings/mes/ProductionOrder.out.jsonata'],
                                 ['to-wms', 'mappings/wms/ProductionOrder.out.jsonata']]) {
    const weft = await jsonata(read(mapping)).evaluate({ data: canonical }, bindings);
    const msg = { payload: erp };
    for (const rule of flows.find((n) => n.id === node).rules) {
      msg[rule.p] = await jsonata(rule.to).evaluate(msg);
    }
    const same = JSON.stringify(weft) === JSON.stringify(msg.payload);
    if (!same) failed++;
    console.log(`${node}: ${same ? 'same as' : 'DIFFERENT from'} ${mapping}: ${JSON.stringify(msg.payload)}`
      + (same ? '' : ` (Weft: ${JSON.stringify(weft)})`));
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
