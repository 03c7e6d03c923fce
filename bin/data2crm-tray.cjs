#!/usr/bin/env node
// npm's `data2crm-tray` in a checkout (`npx data2crm-tray status`): runs the bundle that
// `npm install` builds (scripts/build-cli.mjs). The packaged app has its own launcher (resources/cli/).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'out', 'cli', 'data2crm-tray.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('data2crm-tray: the command is not built yet: run `npm install` (or `npm run build`) in this folder.\n');
  process.exit(1);
}
require(bundle);
