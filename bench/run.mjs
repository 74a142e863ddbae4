// `npm run bench`: times the built dist/app.js against its physical references, in one run, on this
// machine: a bare `node -e 0` for start-up; for a small push, bench/reference-put.mjs (node:http PUTting the
// app's own --dry-run body, the floor for a push from Node); for a large push, `curl -X PUT --data-binary @body`
// of that body; and curl POSTing the app's own remote-write requests for a remote write.
// Every measured push goes to a fresh Pushgateway with its own empty persistence file, every remote
// write to a fresh Prometheus with its own empty storage, so no run pays for the state an earlier one left. Prints a table and writes
// bench/results/latest.json. BENCH_RUNS sets the runs per figure (default 3; the median is reported).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeInputs } from './inputs.mjs';
import { startGateway } from './gateway.mjs';
import { recordBodies, startReceiver } from './receiver.mjs';
import { median, timeCommand } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const app = join(root, 'dist/app.js');
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const coldRuns = Math.max(10, runs * 3);
// Issue 28's targets: every 100,000-series run at most 1.3x its reference and under 120 MB, the template's 128Mi less a margin.
const targets = { coldStartRatio: 2, smallPushRatio: 1.3, pushRatio: 1.3, remoteWriteRatio: 1.3, peakRssMb: 120 };
const referencePut = join(root, 'bench/reference-put.mjs');
/** What a push sends (src/convert/metricFamilies.ts): the references send the same bytes with the same type. */
const PUSH_CONTENT_TYPE = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
// The app runs as the image runs it: with the Dockerfile's NODE_OPTIONS (a smaller young generation, bench/README.md,
// Performance). The references, node -e 0 and the node:http script included, run with Node's defaults.
const imageNodeOptions = /^ENV NODE_OPTIONS=(\S+)$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1] ?? '';
const appEnv = { ...process.env, NODE_OPTIONS: imageNodeOptions };
// The image's Node (24): BENCH_IMAGE_NODE, or the one .ci/run installs. With it, the 10-record push is measured a
// second time as the image runs it, its compile cache included (measureImagePush); without it, that row is left out.
const imageNode = process.env.BENCH_IMAGE_NODE ?? join(root, '.cache/node24/node_modules/.bin/node');

if (!existsSync(app)) throw new Error('dist/app.js is missing: run "npm run build" first');
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) throw new Error(`${TIME} is missing: run "bash scripts/setup.sh"`);

const work = mkdtempSync(join(tmpdir(), 'simplepipe-bench-'));
try {
  const inputs = writeInputs(work);
  const results = {
    machine: describeMachine(),
    runs,
    startup: await measureStartup(inputs.tenRecords),
    pushes: [],
    linearity: [],
  };

  results.imagePush = existsSync(imageNode) ? await measureImagePush(inputs.tenRecords) : undefined;
  for (const scenario of [
    { name: '10 records', file: inputs.tenRecords, records: 10, nodePut: true, runs: coldRuns },
    { name: '100,000 records, distinct names', file: inputs.distinct[100_000], records: 100_000 },
    { name: '100,000 series, one name, two labels', file: inputs.oneFamily, records: 100_000 },
  ]) {
    results.pushes.push(await measurePush(scenario));
  }
  results.remoteWrites = [
    await measureRemoteWrite({ name: '100,000 records, distinct names', file: inputs.distinct[100_000], records: 100_000 }),
    await measureRemoteWrite({ name: '100,000 series, one name, two labels', file: inputs.oneFamily, records: 100_000 }),
  ];
  results.dryRuns = [
    await measureDryRun({ name: '100,000 records, distinct names', file: inputs.distinct[100_000], records: 100_000 }),
    await measureDryRun({ name: '100,000 series, one name, two labels', file: inputs.oneFamily, records: 100_000 }),
  ];
  const distinctFull = results.pushes[1];
  const series = [];
  for (const records of [1_000, 10_000]) {
    const push = await measurePush({ name: `${records} distinct`, file: inputs.distinct[records], records }, { curl: false });
    series.push({ records, medianMs: push.app.medianMs });
  }
  series.push({ records: 100_000, medianMs: distinctFull.app.medianMs });
  results.linearity = series.map((row, i) => linearityRow(row, series[i - 1]));
  results.phases = [
    await measurePhases('100,000 records, distinct names', inputs.distinct[100_000]),
    await measurePhases('100,000 series, one name, two labels', inputs.oneFamily),
  ];
  results.parse = [
    measureParse('100,000 records, distinct names', inputs.distinct[100_000]),
    measureParse('100,000 series, one name, two labels', inputs.oneFamily),
  ];
  results.loadAverageAfter = loadavg();

  printTable(results);
  const out = join(root, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nfigures written to bench/results/latest.json`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function describeMachine() {
  // Some tools print their version on stderr (the Pushgateway does), so both streams are read.
  const version = (command, args) => {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0].trim() || 'unknown';
  };
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    appNodeOptions: imageNodeOptions,
    pushgateway: version('prometheus-pushgateway', ['--version']),
    prometheus: version('prometheus', ['--version']),
    curl: version('curl', ['--version']),
    loadAverageBefore: loadavg(),
    date: new Date().toISOString(),
  };
}

/** Start-to-exit of a 10-record --dry-run against a bare `node -e 0`, interleaved so both see the same load. */
async function measureStartup(tenRecords) {
  const bare = [];
  const dryRun = [];
  for (let i = 0; i < coldRuns; i++) {
    bare.push((await timeCommand(process.execPath, ['-e', '0'])).ms);
    dryRun.push((await timeCommand(process.execPath, [app, tenRecords, 'bench', '--dry-run'], appEnv)).ms);
  }
  const nodeMs = median(bare);
  const appMs = median(dryRun);
  return { runs: coldRuns, nodeMs, appMs, ratio: appMs / nodeMs, target: targets.coldStartRatio };
}

/**
 * One scenario: the app pushing the file, curl PUTting the app's own push body (recorded once from the
 * app itself: delimited protobuf), and (`nodePut`) the same body PUT by bench/reference-put.mjs, each run
 * against a gateway started fresh for it. The runs alternate so a burst of load hits all alike.
 */
async function measurePush({ name, file, records, nodePut = false, runs: count = runs }, { curl = true } = {}) {
  const body = join(work, 'body.bin');
  const [recorded] = await recordBodies((url) => timeCommand(process.execPath, [app, file, 'bench', '--gateway', url], appEnv), { path: '', status: 200 });
  writeFileSync(body, recorded);
  const commands = {
    app: (url) => [process.execPath, [app, file, 'bench', '--gateway', url], appEnv],
    ...(curl && {
      curl: (url) => ['curl', ['-sS', '--fail', '-o', '/dev/null', '-X', 'PUT', '-H', `Content-Type: ${PUSH_CONTENT_TYPE}`, '--data-binary', `@${body}`, `${url}/metrics/job/bench`]],
    }),
    ...(nodePut && { nodePut: (url) => [process.execPath, [referencePut, body, `${url}/metrics/job/bench`, PUSH_CONTENT_TYPE]] }),
  };
  const timings = Object.fromEntries(Object.keys(commands).map((key) => [key, []]));
  for (let i = 0; i < count; i++) {
    for (const [key, command] of Object.entries(commands)) timings[key].push(await onFreshGateway((url) => timeCommand(...command(url))));
  }
  const summary = (list) => ({ medianMs: median(list.map((r) => r.ms)), runsMs: list.map((r) => r.ms), peakRssMb: Math.max(...list.map((r) => r.peakRssMb)) });
  const result = { name, records, bodyBytes: readFileSync(body).byteLength, runs: count, app: summary(timings.app) };
  if (curl) Object.assign(result, { curl: summary(timings.curl), ratio: result.app.medianMs / summary(timings.curl).medianMs });
  if (nodePut) Object.assign(result, { nodePut: summary(timings.nodePut), nodePutRatio: result.app.medianMs / summary(timings.nodePut).medianMs });
  return result;
}

/**
 * The 10-record push as the image runs it: the image's Node, /app laid out as the Dockerfile lays it out
 * (image/app.js beside the bundle as simplepipe.js, image/package.json), V8's compile cache warmed by the
 * Dockerfile's two commands, NODE_OPTIONS from the Dockerfile; against bench/reference-put.mjs and
 * `node -e 0` on the same Node with its defaults, alternating, each push to a fresh gateway. Not the image
 * itself: this machine's glibc and uid, no container.
 */
async function measureImagePush(file) {
  const dir = join(work, 'image-app');
  mkdirSync(join(dir, '.node-compile-cache'), { recursive: true });
  copyFileSync(app, join(dir, 'simplepipe.js'));
  for (const name of ['app.js', 'package.json']) copyFileSync(join(root, 'image', name), join(dir, name));
  const imageApp = join(dir, 'app.js');
  const warm = { cwd: dir, env: appEnv, stdio: ['pipe', 'ignore', 'ignore'] };
  execFileSync(imageNode, [imageApp, '--help'], warm);
  execFileSync(imageNode, [imageApp, '-', '--dry-run'], { ...warm, input: '[{"name": "warm_up", "description": "d", "value": 1, "metric_type": "gauge"}]' });
  const cacheReport = spawnSync(imageNode, [imageApp, file, 'bench', '--dry-run'], { env: { ...appEnv, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' }, encoding: 'utf8' });
  if (!/simplepipe\.js was accepted/.test(cacheReport.stderr)) throw new Error(`the image's compile cache was not used:\n${cacheReport.stderr}`);

  const body = join(work, 'image-body.bin');
  const [recorded] = await recordBodies((url) => timeCommand(imageNode, [imageApp, file, 'bench', '--gateway', url], appEnv), { path: '', status: 200 });
  writeFileSync(body, recorded);
  const appRuns = [];
  const putRuns = [];
  const bareRuns = [];
  for (let i = 0; i < coldRuns; i++) {
    appRuns.push(await onFreshGateway((url) => timeCommand(imageNode, [imageApp, file, 'bench', '--gateway', url], appEnv)));
    putRuns.push(await onFreshGateway((url) => timeCommand(imageNode, [referencePut, body, `${url}/metrics/job/bench`, PUSH_CONTENT_TYPE])));
    bareRuns.push(await timeCommand(imageNode, ['-e', '0']));
  }
  const summary = (list) => ({ medianMs: median(list.map((r) => r.ms)), runsMs: list.map((r) => r.ms), peakRssMb: Math.max(...list.map((r) => r.peakRssMb)) });
  const node = execFileSync(imageNode, ['--version'], { encoding: 'utf8' }).trim();
  const result = { node, runs: coldRuns, app: summary(appRuns), nodePut: summary(putRuns), bare: summary(bareRuns) };
  return { ...result, nodePutRatio: result.app.medianMs / result.nodePut.medianMs };
}

/**
 * A remote write of the file against curl POSTing the very requests the app sends (recorded once from the
 * app itself: protobuf, snappy, split as the app splits), one after another over one connection, as the
 * app sends them. Each run writes to a Prometheus started fresh for it, all at one timestamp.
 */
async function measureRemoteWrite({ name, file, records }) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const writeArgs = (url) => [app, file, 'bench', '--remote-write', url, '--timestamp', timestamp];
  const bodies = await recordBodies((url) => timeCommand(process.execPath, writeArgs(url), appEnv));
  const files = bodies.map((body, i) => {
    const path = join(work, `remote-write-${i}.bin`);
    writeFileSync(path, body);
    return path;
  });
  const headers = ['Content-Encoding: snappy', 'Content-Type: application/x-protobuf', 'X-Prometheus-Remote-Write-Version: 0.1.0'];
  const curlArgs = (url) =>
    files.flatMap((path, i) => [...(i > 0 ? ['--next'] : []), '-sS', '--fail', '-o', '/dev/null', ...headers.flatMap((h) => ['-H', h]), '--data-binary', `@${path}`, url]);
  const appRuns = [];
  const curlRuns = [];
  for (let i = 0; i < runs; i++) {
    appRuns.push(await onFreshReceiver((url) => timeCommand(process.execPath, writeArgs(url), appEnv)));
    curlRuns.push(await onFreshReceiver((url) => timeCommand('curl', curlArgs(url))));
  }
  const appMs = median(appRuns.map((r) => r.ms));
  const curlMs = median(curlRuns.map((r) => r.ms));
  return {
    name,
    records,
    requests: bodies.length,
    bodyBytes: bodies.reduce((sum, body) => sum + body.byteLength, 0),
    app: { medianMs: appMs, runsMs: appRuns.map((r) => r.ms), peakRssMb: Math.max(...appRuns.map((r) => r.peakRssMb)) },
    curl: { medianMs: curlMs, runsMs: curlRuns.map((r) => r.ms) },
    ratio: appMs / curlMs,
  };
}

/** A --dry-run of the file (the exposition printed, to /dev/null): its time and peak RSS; nothing to compare it with but the target. */
async function measureDryRun({ name, file, records }) {
  const list = [];
  for (let i = 0; i < runs; i++) list.push(await timeCommand(process.execPath, [app, file, 'bench', '--dry-run'], appEnv));
  return { name, records, app: { medianMs: median(list.map((r) => r.ms)), runsMs: list.map((r) => r.ms), peakRssMb: Math.max(...list.map((r) => r.peakRssMb)) } };
}

function onFreshReceiver(measure) {
  return onFresh(startReceiver, (receiver) => measure(receiver.writeUrl));
}

/** Where the app's own time goes before the push, each stage's median over fresh processes. */
async function measurePhases(name, file) {
  const phase = (renderer) => {
    const output = execFileSync(process.execPath, [join(root, 'bench/phases.mjs'), file, renderer], { encoding: 'utf8', env: appEnv });
    return JSON.parse(output);
  };
  const direct = [];
  const promClient = [];
  for (let i = 0; i < runs; i++) {
    direct.push(phase('direct'));
    promClient.push(phase('prom-client'));
  }
  const stage = (list, key) => median(list.map((run) => run[key]));
  return {
    name,
    readMs: stage(direct, 'readMs'),
    validateMs: stage(direct, 'validateMs'),
    renderMs: stage(direct, 'renderMs'),
    promClientRenderMs: stage(promClient, 'renderMs'),
  };
}

/** Reading the text: JSON.parse alone, the reader's common path, and a text with one Python NaN (bench/parse.mjs). */
function measureParse(name, file) {
  const output = execFileSync(process.execPath, [join(root, 'bench/parse.mjs'), file, String(runs)], { encoding: 'utf8', env: appEnv });
  return { name, ...JSON.parse(output) };
}

function onFreshGateway(measure) {
  return onFresh(startGateway, (gateway) => measure(gateway.url));
}

/** Runs `measure` against a server started for it alone, and stops the server whatever happens. */
async function onFresh(start, measure) {
  const server = await start(work);
  try {
    return await measure(server);
  } finally {
    await server.stop();
  }
}

/**
 * Time per record includes the fixed start-up, which dominates small files; the time per record added
 * since the previous row is the slope, flat when the cost grows linearly.
 */
function linearityRow({ records, medianMs }, previous) {
  const usPerRecord = (medianMs * 1000) / records;
  if (previous === undefined) return { records, medianMs, usPerRecord };
  return { records, medianMs, usPerRecord, usPerAddedRecord: ((medianMs - previous.medianMs) * 1000) / (records - previous.records) };
}

function printTable(results) {
  const { machine, startup } = results;
  const ms = (value) => `${value.toFixed(0)} ms`;
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  console.log(`\nmachine: ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}, ${machine.pushgateway}; ${machine.prometheus}`);
  console.log(`the app runs as in the image, with NODE_OPTIONS=${machine.appNodeOptions || '(none)'} from the Dockerfile; the references with Node's defaults`);
  if (results.imagePush === undefined) console.log(`no image Node at ${imageNode} (BENCH_IMAGE_NODE): the push as the image runs it is not measured`);
  console.log(`load average before: ${machine.loadAverageBefore.map((l) => l.toFixed(2)).join(' ')}; runs per figure: median of ${results.runs} (start-up and the 10-record push: ${results.pushes[0].runs})\n`);

  const rows = [['measurement', 'app', 'reference', 'app/ref', 'app peak RSS', 'target']];
  rows.push([
    'start-up: 10 records --dry-run vs node -e 0',
    ms(startup.appMs),
    ms(startup.nodeMs),
    `${startup.ratio.toFixed(2)}x`,
    '',
    `≤ ${targets.coldStartRatio}x: ${verdict(startup.ratio <= targets.coldStartRatio)}`,
  ]);
  for (const push of results.pushes.filter((row) => row.nodePut !== undefined)) {
    rows.push([
      `push ${push.name} vs the node:http PUT script (bench/reference-put.mjs)`,
      ms(push.app.medianMs),
      ms(push.nodePut.medianMs),
      `${push.nodePutRatio.toFixed(2)}x`,
      `${push.app.peakRssMb.toFixed(0)} MB`,
      `≤ ${targets.smallPushRatio}x: ${verdict(push.nodePutRatio <= targets.smallPushRatio)}`,
    ]);
    rows.push([
      '  the node:http PUT script itself vs node -e 0',
      ms(push.nodePut.medianMs),
      ms(startup.nodeMs),
      `${(push.nodePut.medianMs / startup.nodeMs).toFixed(2)}x`,
      '',
      '',
    ]);
  }
  const image = results.imagePush;
  if (image !== undefined) {
    rows.push([
      `push 10 records as the image runs it (Node ${image.node}) vs the node:http PUT script`,
      ms(image.app.medianMs),
      ms(image.nodePut.medianMs),
      `${image.nodePutRatio.toFixed(2)}x`,
      `${image.app.peakRssMb.toFixed(0)} MB`,
      `≤ ${targets.smallPushRatio}x: ${verdict(image.nodePutRatio <= targets.smallPushRatio)}`,
    ]);
    rows.push([`  the node:http PUT script itself vs node -e 0, on Node ${image.node}`, ms(image.nodePut.medianMs), ms(image.bare.medianMs), `${(image.nodePut.medianMs / image.bare.medianMs).toFixed(2)}x`, '', '']);
  }
  for (const push of results.pushes) {
    const large = push.records >= 100_000;
    const ratioVerdict = `≤ ${targets.pushRatio}x: ${verdict(push.ratio <= targets.pushRatio)}`;
    const rssVerdict = `< ${targets.peakRssMb} MB: ${verdict(push.app.peakRssMb < targets.peakRssMb)}`;
    rows.push([
      `push ${push.name} vs curl PUT`,
      ms(push.app.medianMs),
      ms(push.curl.medianMs),
      `${push.ratio.toFixed(2)}x`,
      `${push.app.peakRssMb.toFixed(0)} MB`,
      large ? `${ratioVerdict}; ${rssVerdict}` : '',
    ]);
  }
  for (const write of results.remoteWrites) {
    rows.push([
      `remote write ${write.name} vs curl POST of its ${write.requests} request${write.requests === 1 ? '' : 's'}`,
      ms(write.app.medianMs),
      ms(write.curl.medianMs),
      `${write.ratio.toFixed(2)}x`,
      `${write.app.peakRssMb.toFixed(0)} MB`,
      `≤ ${targets.remoteWriteRatio}x: ${verdict(write.ratio <= targets.remoteWriteRatio)}; < ${targets.peakRssMb} MB: ${verdict(write.app.peakRssMb < targets.peakRssMb)}`,
    ]);
  }
  for (const dryRun of results.dryRuns) {
    rows.push([`--dry-run ${dryRun.name}`, ms(dryRun.app.medianMs), '', '', `${dryRun.app.peakRssMb.toFixed(0)} MB`, `< ${targets.peakRssMb} MB: ${verdict(dryRun.app.peakRssMb < targets.peakRssMb)}`]);
  }
  printRows(rows);

  console.log('\nwhere the app spends its time before the push (in-process, median of fresh processes):');
  printRows([
    ['input', 'read + JSON.parse', 'validate', 'render', 'render via prom-client Registry'],
    ...results.phases.map((row) => [row.name, ms(row.readMs), ms(row.validateMs), ms(row.renderMs), ms(row.promClientRenderMs)]),
  ]);

  console.log('\nreading the text (in-process, median; the reader reads Python\'s JSON and finds duplicate keys and underflows):');
  printRows([
    ['input', 'JSON.parse alone', 'reader, common path', 'overhead', 'reader, with one Python NaN'],
    ...results.parse.map((row) => [row.name, ms(row.jsonParseMs), ms(row.readerMs), `${(row.readerMs / row.jsonParseMs).toFixed(2)}x`, ms(row.pythonNaNMs)]),
  ]);

  console.log('\nlinearity (push of N distinct names, fresh gateway each run):');
  printRows([
    ['records', 'app', 'µs per record', 'µs per record added since the row above'],
    ...results.linearity.map((row) => [
      row.records.toLocaleString('en'),
      ms(row.medianMs),
      row.usPerRecord.toFixed(1),
      row.usPerAddedRecord === undefined ? '' : row.usPerAddedRecord.toFixed(1),
    ]),
  ]);
}

function printRows(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
}
