// html_test.mjs - `gotrace html`'s page in a real browser: Debian's chromium, headless, driven
// by playwright-core (package.json here pins it; no browser is downloaded). On a trace of
// view_sample, the page opened from file://:
//   - loads with no console error, no page error and no request but file:// ones;
//   - has a row per goroutine that ran (main, the producer, 3 workers, the consumer), its
//     canvas shows the running colour, and the legend and the analysis table are there;
//   - a wheel turn over the timeline zooms around the cursor (the visible range narrows and
//     still holds the time under the cursor); a drag pans it;
//   - hovering a row shows the slice's details; sorting the table by goroutine puts the
//     highest id first;
// and writes a screenshot for the docs.
// usage: node html_test.mjs GOTRACE VIEW_SAMPLE CHROMIUM WORK_DIR SCREENSHOT.png
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [gotrace, sample, browserPath, workDir, screenshot] = process.argv.slice(2);
let failures = 0;
function expect(ok, what) {
  if (!ok) {
    console.log(`FAILED: ${what}`);
    failures++;
  }
}

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
  let described = '';
  for (let f = 0.1; f < 1 && !described.includes('G3'); f += 0.05) {
    await tab.mouse.move(box.x + 170 + (box.width - 170) * f, box.y + rowY);
    described = await tab.evaluate(() => (document.getElementById('tooltip').hidden ? '' : document.getElementById('tooltip').textContent));
  }
  expect(/^G3 .*\n(running|runnable \(waking\)|blocked: .*|sleep|syscall)(\nat .*)?\nfrom .*, .*/.test(described),
         `hovering a row describes its slice: ${JSON.stringify(described)}`);

  // Sorting the table by goroutine (descending first): the highest id on top.
  await tab.click('#goroutines th:nth-child(1)');
  const firstIds = await tab.evaluate(() => [...document.querySelectorAll('#goroutines tbody tr td:first-child')].map((td) => Number(td.textContent)));
  expect(firstIds[0] === Math.max(...firstIds), `sorted by goroutine: ${firstIds}`);
  await tab.click('#goroutines th:nth-child(1)');
  const again = await tab.evaluate(() => Number(document.querySelector('#goroutines tbody td').textContent));
  expect(again === Math.min(...firstIds), `sorted the other way: ${again}`);

  await tab.evaluate(() => window.gotrace.setRange(0, Infinity));
  await tab.screenshot({ path: screenshot, fullPage: true });
  expect(problems.length === 0, `a clean load: ${problems.join('; ')}`);
} finally {
  await browser.close();
}
console.log(`screenshot: ${screenshot}`);
console.log(failures ? 'FAIL' : 'PASS');
process.exit(failures ? 1 : 0);
