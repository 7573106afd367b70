'use strict';
// kpi-client against a live kpi-server on a loopback port
// (KPI_SERVER_BINARY, KPI_PLUGIN_DIR; set by ctest).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const { Client, KpiError } = require('..');

let server;
let target;

before(async () => {
  server = spawn(process.env.KPI_SERVER_BINARY,
    ['--listen', '127.0.0.1:0', '--plugin-dir', process.env.KPI_PLUGIN_DIR],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = readline.createInterface({ input: server.stderr });
  target = await new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      const found = /serving .* on port (\d+)/.exec(line);
      if (found) resolve(`127.0.0.1:${found[1]}`);
    });
    server.on('exit', () => reject(new Error('kpi-server did not start')));
  });
});

after(() => server.kill('SIGTERM'));

const close = (a, b, tolerance = 1e-9) => assert.ok(Math.abs(a - b) <= tolerance, `${a} != ${b}`);

test('the NPS worked example, with its interval', async () => {
  const kpi = new Client(target);
  const scores = [...Array(50).fill(10), ...Array(30).fill(8), ...Array(20).fill(3)];
  const nps = await kpi.nps(scores);
  close(nps.value, 30);
  close(nps.interval.standardError, 7.81, 0.005);
  close(nps.interval.margin, 15.3, 0.05);
  assert.equal(nps.plugin, 'survey');
  kpi.close();
});

test('scalar inputs and parameters', async () => {
  const kpi = new Client(target);
  close((await kpi.churn_rate({ customers_at_start: 100, customers_lost: 5 })).value, 5);
  const csat = await kpi.compute('csat',
    [...Array(10).fill(5), ...Array(20).fill(4), ...Array(10).fill(3), ...Array(5).fill(2), ...Array(5).fill(1)],
    { parameters: { threshold: 4 } });
  close(csat.value, 60);
  assert.ok((await kpi.metrics()).includes('rfm'));
  kpi.close();
});

test('records with timestamps, and tables', async () => {
  const kpi = new Client(target);
  const rfm = await kpi.rfm({
    customer: ['a', 'a', 'b', 'c', 'c', 'c'],
    time: ['2024-01-05', '2024-03-01', '2024-02-10', '2024-01-20', '2024-02-20', '2024-03-25']
      .map((d) => new Date(`${d}T00:00:00Z`)),
    amount: [10, 20, 5, 7, 8, 9],
  }, { parameters: { as_of: new Date('2024-04-01T00:00:00Z') } });
  assert.equal(rfm.value, 3);
  assert.deepEqual(rfm.tables.customers.customer, ['a', 'b', 'c']);
  assert.deepEqual(rfm.tables.customers.frequency, [2, 1, 3]);
  kpi.close();
});

test('a large input is streamed and gives the same answer', async () => {
  const scores = [];
  for (let i = 0; i < 25000; ++i) scores.push(10, 9, 0, 7);
  const streamed = new Client(target, { chunkRows: 10000 });
  const whole = new Client(target, { chunkRows: 1000000 });
  const a = await streamed.nps(scores);
  const b = await whole.nps(scores);
  close(a.value, 25);
  assert.deepEqual(a, b);
  streamed.close();
  whole.close();
});

test('group_by gives segments', async () => {
  const kpi = new Client(target);
  const nps = await kpi.nps({ scores: [10, 10, 0, 0, 9], region: ['north', 'north', 'south', 'south', 'north'] },
    { groupBy: ['region'] });
  const byRegion = Object.fromEntries(nps.segments.map((s) => [s.key[0], s.result.value]));
  close(byRegion.north, 100);
  close(byRegion.south, -100);
  kpi.close();
});

test('bad input rejects with the code, field and row', async () => {
  const kpi = new Client(target);
  await assert.rejects(kpi.nps([10, 9, 11, 3]), (error) => {
    assert.ok(error instanceof KpiError);
    assert.equal(error.codeName, 'INVALID_ARGUMENT');
    assert.equal(error.field, 'scores');
    assert.equal(error.row, 2);
    return true;
  });
  await assert.rejects(kpi.no_such_metric([1]), (error) => error.codeName === 'NOT_FOUND');
  kpi.close();
});

test('an undefined result says why', async () => {
  const kpi = new Client(target);
  const nps = await kpi.nps([]);
  assert.equal(nps.value, null);
  assert.ok(nps.undefinedReason.length > 0);
  kpi.close();
});

test('a plugin\'s typed service, loaded from the protos the server sends', async () => {
  const kpi = new Client(target);
  const survey = await kpi.typedService('survey');
  assert.equal(survey.name, 'kpi.plugins.survey.v1.SurveyService');
  const scores = [...Array(50).fill(10), ...Array(30).fill(8), ...Array(20).fill(3)];
  const typed = await survey.ComputeNps({ scores, parameters: { promoter_min: 9 } });
  const generic = await kpi.nps(scores);
  assert.equal(typed.value, generic.value);
  assert.deepEqual(typed.interval, generic.interval);
  close(typed.value, 30);
  await assert.rejects(survey.ComputeNps({ scores: [9, 11] }), (error) =>
    error instanceof KpiError && error.codeName === 'INVALID_ARGUMENT' &&
    error.field === 'scores' && error.row === 1);
  survey.close();
  await assert.rejects(kpi.typedService('no_such_plugin'), (error) =>
    error instanceof KpiError && error.codeName === 'NOT_FOUND' &&
    /no loaded plugin is named 'no_such_plugin'/.test(error.message));
  kpi.close();
});
