// catapult_test.mjs - `gotrace export --format=json` imported by a real trace viewer: catapult,
// the viewer of chrome://tracing, as Go 1.19 ships it for `go tool trace`
// ($GOROOT/src/cmd/trace/static). In headless chromium, a page served from a loopback server
// loads it as `go tool trace` does (its web components polyfill, an HTML import) and imports
// view_sample's JSON into a tr.Model, with no page error and no import warning (catapult warns
// about slices that do not nest, unmatched async or flow events, bad timestamps); then the model
// holds a thread per goroutine named as gotrace named it, their slices (states and the 40 work
// regions), the tasks as async slices, the flows and the counters.
// usage: node catapult_test.mjs GOTRACE VIEW_SAMPLE CHROMIUM GO WORK_DIR
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { expect, finish } from './check.mjs';

const [gotrace, sample, browserPath, go, workDir] = process.argv.slice(2);
const trace = join(workDir, `catapult_test-${process.pid}.out`);
execFileSync(sample, [trace]);
execFileSync(gotrace, ['export', '--format=json', trace, '-o', `${trace}.json`]);
const goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const staticDir = join(goroot, 'src/cmd/trace/static');

// The page: go tool trace's, importing the model without building its UI.
const page = `<html><head>
<script src="/static/webcomponents.min.js"></script>
<link rel="import" href="/static/trace_viewer_full.html">
<script>
document.addEventListener('WebComponentsReady', function() {
  fetch('/trace.json').then((r) => r.text()).then(function(text) {
    var model = new tr.Model();
    var opts = new tr.importer.ImportOptions();
    opts.shiftWorldToZero = false;
    return new tr.importer.Import(model, opts).importTracesWithProgressDialog([text]).then(function() {
      window.imported = model;
    });
  }).catch(function(e) { window.importError = String(e && e.stack || e); });
});
</script></head><body></body></html>`;
const files = {
  '/': ['text/html', page],
  '/static/webcomponents.min.js': ['text/javascript', readFileSync(join(staticDir, 'webcomponents.min.js'))],
  '/static/trace_viewer_full.html': ['text/html', readFileSync(join(staticDir, 'trace_viewer_full.html'))],
  '/trace.json': ['application/json', readFileSync(`${trace}.json`)],
};
const server = createServer((req, res) => {
  const f = files[req.url];
  res.writeHead(f ? 200 : 404, { 'Content-Type': f ? f[0] : 'text/plain' });
  res.end(f ? f[1] : 'not found');
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));

// --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
try {
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.imported !== undefined || window.importError !== undefined, null,
                            { timeout: 120000 });
  const m = await tab.evaluate(() => {
    if (window.importError) return { error: window.importError };
    const model = window.imported, threads = model.getAllThreads();
    return {
      warnings: model.importWarnings.map((w) => w.type + ': ' + w.message),
      threads: threads.map((t) => ({ name: t.name, slices: t.sliceGroup.slices.map((s) => s.title),
                                     async: t.asyncSliceGroup.slices.map((s) => s.title) })),
      flows: model.flowEvents.length,
      counters: Object.values(model.getAllProcesses()[0].counters).map((c) => c.name),
    };
  });
  expect(!m.error, `the import: ${m.error}`);
  if (!m.error) {
    expect(m.warnings.length === 0, `no import warnings: ${m.warnings.join('; ')}`);
    const names = m.threads.map((t) => t.name);
    expect(names.filter((n) => /^G\d+ work$/.test(n)).length === 3 && names.some((n) => /^G1 main$/.test(n)),
           `threads named after goroutines: ${names}`);
    const all = m.threads.flatMap((t) => t.slices);
    expect(all.filter((s) => s === 'work').length === 40 && all.includes('running') && all.includes('chan receive'),
           'the states and the 40 work regions are slices');
    const tasks = m.threads.flatMap((t) => t.async).sort();
    expect(tasks.includes('order') && tasks.includes('hash items'), `the tasks as async slices: ${tasks}`);
    expect(m.flows > 0, `flows: ${m.flows}`);
    expect(['goroutines', 'threads', 'heap'].every((c) => m.counters.includes(c)), `counters: ${m.counters}`);
  }
  expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  server.close();
}
finish();
