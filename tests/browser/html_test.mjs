// html_test.mjs - `gotrace html`'s page in a real browser: Debian's chromium, headless, driven
// by playwright-core (package.json here pins it; no browser is downloaded). On a trace of
// view_sample, the page opened from file://:
//   - loads with no console error, no page error and no request but file:// ones;
//   - has a row per goroutine that ran (main, the producer, 3 workers, the consumer), its
//     canvas shows the running colour, and the legend and the analysis tables are there (per
//     goroutine, and per start function: the three workers in one group);
//   - a wheel turn over the timeline zooms around the cursor (the visible range narrows and
//     still holds the time under the cursor); a drag pans it;
//   - a window (--from=1 --to=3) shows 1 ms to 3 ms of the trace, times since its start;
//   - hovering a row shows the slice's details; clicking a runnable slice selects it and draws
//     the arrow from the goroutine that created or woke it; sorting the table by goroutine puts
//     the highest id first;
// and writes a screenshot for the docs.
// usage: node html_test.mjs GOTRACE VIEW_SAMPLE CHROMIUM WORK_DIR SCREENSHOT.png
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { expect, finish } from './check.mjs';

const [gotrace, sample, browserPath, workDir, screenshot] = process.argv.slice(2);
const trace = join(workDir, `html_test-${process.pid}.out`), page = `${trace}.html`;
execFileSync(sample, [trace]);
execFileSync(gotrace, ['html', trace, '-o', page]);

// --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
try {
  const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems = [];
  tab.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  tab.on('request', (r) => { if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`); });
  await tab.goto(pathToFileURL(page).href);
  await tab.waitForFunction(() => window.gotrace !== undefined, null, { timeout: 30000 });

  const info = await tab.evaluate(() => ({ rows: window.gotrace.rows, slices: window.gotrace.slices,
    legend: document.querySelectorAll('#legend span').length,
    tableRows: document.querySelectorAll('#goroutines tbody tr').length,
    heads: [...document.querySelectorAll('#goroutines th')].map((th) => th.textContent) }));
  expect(info.rows === 6, `6 goroutine rows (main, producer, 3 workers, consumer): ${info.rows}`);
  expect(info.slices > 40, `slices drawn: ${info.slices}`);
  expect(info.legend >= 8, `a legend: ${info.legend} entries`);
  expect(info.tableRows === 6, `the analysis table's rows: ${info.tableRows}`);
  expect(['Execution', 'Scheduler wait', 'Sync block', 'Total'].every((h) => info.heads.includes(h)),
         `the table's columns: ${info.heads}`);
  // The log whose message holds "</script><b>" is data, not markup: the page loaded (above),
  // and its hover text is the message as written.
  const logs = await tab.evaluate(() => window.gotrace.logs());
  expect(logs.includes('resting 5 ms </script><b>'), `a log's markup kept as text: ${JSON.stringify(logs)}`);
  // Per start function: the three workers in one group.
  const groups = await tab.evaluate(() => [...document.querySelectorAll('#groups tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)));
  expect(groups.some((g) => g[0] === 'work' && g[1] === '3'), `the work group of 3: ${JSON.stringify(groups)}`);
  await tab.selectOption('#group-metric', 'sync_block_ns');
  const sync = await tab.evaluate(() => document.querySelector('#groups thead').nextElementSibling.rows[0].cells.length);
  expect(sync === 7, `the group table: function, count, min, avg, p50, max, sum (${sync} cells)`);
  // The canvas shows running (#3cb44b) somewhere.
  const green = await tab.evaluate(() => {
    const c = document.getElementById('timeline'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 0x3c && d[i + 1] === 0xb4 && d[i + 2] === 0x4b) n++;
    return n;
  });
  expect(green > 100, `running slices painted: ${green} pixels`);

  // Zoom around the cursor.
  const box = await tab.locator('#timeline').boundingBox();
  const x = box.x + box.width * 0.6, y = box.y + box.height * 0.4;
  const before = await tab.evaluate(() => window.gotrace.range());
  const tAt = (r) => r[0] + (x - box.x - 170) / (box.width - 170) * (r[1] - r[0]);
  await tab.mouse.move(x, y);
  await tab.mouse.wheel(0, -400);
  const after = await tab.evaluate(() => window.gotrace.range());
  expect(after[1] - after[0] < (before[1] - before[0]) * 0.7, `a wheel turn zooms in: ${before} -> ${after}`);
  expect(Math.abs(tAt(after) - tAt(before)) < (before[1] - before[0]) * 0.01,
         `the zoom keeps the time under the cursor: ${tAt(before)} -> ${tAt(after)}`);
  // Pan: dragging left shows later times.
  await tab.mouse.down();
  await tab.mouse.move(x - 200, y, { steps: 5 });
  await tab.mouse.up();
  const panned = await tab.evaluate(() => window.gotrace.range());
  expect(panned[0] > after[0] && Math.abs((panned[1] - panned[0]) - (after[1] - after[0])) < 1,
         `a drag pans: ${after} -> ${panned}`);

  // Hover details on a row of a worker: somewhere along it a slice is described.
  await tab.evaluate(() => window.gotrace.setRange(0, Infinity));
  const rowY = await tab.evaluate(() => window.gotrace.rowY(3));
  // (A log marker on the way is described as a log: the search goes on to a slice.)
  const sliceForm = /^G3 .*\n(running|runnable \(waking\)|blocked: .*|sleep|syscall)(\nat .*)?\nfrom .*, .*/;
  let described = '';
  for (let f = 0.1; f < 1 && !sliceForm.test(described); f += 0.05) {
    await tab.mouse.move(box.x + 170 + (box.width - 170) * f, box.y + rowY);
    described = await tab.evaluate(() => (document.getElementById('tooltip').hidden ? '' : document.getElementById('tooltip').textContent));
  }
  expect(sliceForm.test(described),
         `hovering a row describes its slice: ${JSON.stringify(described)}`);

  // Clicking a runnable slice selects it and draws the arrow of what made it runnable (its
  // creation or an unblock, by another goroutine in this program): G3's longest runnable slice,
  // zoomed to fill the middle third of the view.
  const runnable = await tab.evaluate(() => window.gotrace.longest(3, 1));
  const span = runnable[1] - runnable[0];
  await tab.evaluate(([a, b]) => window.gotrace.setRange(a, b), [runnable[0] - span, runnable[1] + span]);
  const view = await tab.evaluate(() => window.gotrace.range());
  const mid = (runnable[0] + runnable[1]) / 2;
  await tab.mouse.click(box.x + 170 + (mid - view[0]) / (view[1] - view[0]) * (box.width - 170), box.y + rowY);
  const selected = await tab.evaluate(() => window.gotrace.selected());
  const arrows = await tab.evaluate(() => window.gotrace.arrows());
  expect(/^G3 .*\nrunnable/.test(selected) && arrows >= 1, `a selected runnable slice gets its arrow: ${arrows}, ${JSON.stringify(selected)}`);

  // Sorting the table by goroutine (descending first): the highest id on top.
  await tab.click('#goroutines th:nth-child(1)');
  const firstIds = await tab.evaluate(() => [...document.querySelectorAll('#goroutines tbody tr td:first-child')].map((td) => Number(td.textContent)));
  expect(firstIds[0] === Math.max(...firstIds), `sorted by goroutine: ${firstIds}`);
  await tab.click('#goroutines th:nth-child(1)');
  const again = await tab.evaluate(() => Number(document.querySelector('#goroutines tbody td').textContent));
  expect(again === Math.min(...firstIds), `sorted the other way: ${again}`);

  await tab.evaluate(() => window.gotrace.setRange(0, Infinity)); // the whole trace, the selection kept
  await tab.screenshot({ path: screenshot, fullPage: true });
  expect(problems.length === 0, `a clean load: ${problems.join('; ')}`);

  // A window of the trace (--from, --to): times still count from the trace's start.
  execFileSync(gotrace, ['html', '--from=1', '--to=3', trace, '-o', `${trace}.window.html`]);
  const win = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  win.on('pageerror', (e) => problems.push(`window page error: ${e.message}`));
  await win.goto(pathToFileURL(`${trace}.window.html`).href);
  await win.waitForFunction(() => window.gotrace !== undefined, null, { timeout: 30000 });
  const w = await win.evaluate(() => ({ range: window.gotrace.range(), shown: document.getElementById('range').textContent,
                                        summary: document.getElementById('summary').textContent }));
  expect(Math.abs(w.range[1] - 2e6) < 100 && /^1\.000 ms \u2013 3\.000 ms/.test(w.shown) && w.summary.includes('from 1.000 ms'),
         `the window 1-3 ms: ${JSON.stringify(w)}`);
  expect(problems.length === 0, `a clean load of the window: ${problems.join('; ')}`);
} finally {
  await browser.close();
}
console.log(`screenshot: ${screenshot}`);
finish();
