'use strict';
// The TypeScript types: metrics.d.ts is what generate-types.js makes from
// the bundled metrics' declarations (regenerate it when they change), and
// a typed program using them compiles.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');
const readline = require('node:readline');
const { generate } = require('../generate-types');

const here = path.join(__dirname, '..');

test('metrics.d.ts matches the bundled metrics\' declarations', async () => {
  const server = spawn(process.env.KPI_SERVER_BINARY,
    ['--listen', '127.0.0.1:0', '--plugin-dir', process.env.KPI_PLUGIN_DIR],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const target = await new Promise((resolve) => {
      readline.createInterface({ input: server.stderr }).on('line', (line) => {
        const found = /serving .* on port (\d+)/.exec(line);
        if (found) resolve(`127.0.0.1:${found[1]}`);
      });
    });
    const generated = await generate(target);
    assert.equal(generated, fs.readFileSync(path.join(here, 'metrics.d.ts'), 'utf8'),
      'metrics.d.ts is stale: node clients/node/generate-types.js HOST:PORT > clients/node/metrics.d.ts');
  } finally {
    server.kill('SIGTERM');
  }
});

test('a typed program compiles, and a wrong one does not', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-ts-'));
  const tsc = path.join(here, 'node_modules', 'typescript', 'bin', 'tsc');
  const check = (source) => {
    fs.writeFileSync(path.join(dir, 'use.ts'), `import { Client } from '${here}';\n${source}\n`);
    try {
      execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2020',
        '--moduleResolution', 'node', path.join(dir, 'use.ts')], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`tsc: ${error.stdout}`);
    }
  };
  check(`async function f(kpi: Client): Promise<number | null> {
  const nps = await kpi.nps([10, 9, 0], { parameters: { promoter_min: 9 } });
  const rfm = await kpi.rfm({ customer: ['a'], time: [new Date()], amount: [5] },
                            { parameters: { as_of: new Date() } });
  return nps.value ?? rfm.value;
}`);
  assert.throws(() => check(`async function f(kpi: Client) {
  await kpi.nps([10], { parameters: { promoter_min: 'nine' } });
}`), /Type 'string' is not assignable to type 'number'/);
  fs.rmSync(dir, { recursive: true });
});
