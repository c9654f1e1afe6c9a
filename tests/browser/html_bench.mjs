// html_bench.mjs - how fast is `gotrace html`'s page in headless chromium? For pages of about
// 10 k, 100 k and 1 M slices (traces written by bench/gotracebench, its ping-pong goroutines),
// the load (navigation to the first drawing done: reading the page, parsing its data,
// indexing, drawing) over 5 fresh tabs, and a full redraw of the whole trace 30 times, zoomed
// out (every slice under a pixel: the level of detail's worst case) and zoomed in to 1% of it.
// Prints min/median/max; targets: load under 1 s and redraw under 50 ms at 1 M slices.
// usage: node html_bench.mjs GOTRACE GOTRACEBENCH CHROMIUM WORK_DIR [--quick]
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [gotrace, gotracebench, browserPath, workDir, quick] = process.argv.slice(2);
const targets = quick === '--quick' ? [1e4] : [1e4, 1e5, 1e6];
const stats = (xs) => { const s = xs.slice().sort((a, b) => a - b); return [s[0], s[s.length >> 1], s[s.length - 1]]; };
const fmt = (xs) => stats(xs).map((x) => x.toFixed(1).padStart(7)).join(' ');

const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
// A page of the trace of `millions` M events; its size and slice count.
async function page(millions, name) {
  const trace = join(workDir, `html_bench-${name}.out`), html = `${trace}.html`;
  execFileSync(gotracebench, [gotrace, '--events', String(millions), '--keep', trace], { stdio: 'ignore' });
  execFileSync(gotrace, ['html', '--max-events=100000000', trace, '-o', html]);
  rmSync(trace);
  return { html, bytes: statSync(html).size };
}
async function open(html) {
  const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await tab.goto(pathToFileURL(html).href);
  await tab.waitForFunction(() => window.gotrace !== undefined, null, { timeout: 120000 });
  return tab;
}
try {
  // Slices per event of this program, from a small page.
  const probe = await page(0.01, 'probe');
  let tab = await open(probe.html);
  const perEvent = (await tab.evaluate(() => window.gotrace.slices)) / 1e4;
  await tab.close();
  rmSync(probe.html);
  console.log('slices  page MiB  B/slice   load ms: min median max   redraw ms (whole): min median max   (1%): min median max');
  for (const target of targets) {
    const { html, bytes } = await page(target / perEvent / 1e6, String(target));
    const loads = [];
    let slices = 0, whole = [], zoomed = [];
    for (let run = 0; run < 5; run++) {
      tab = await open(html);
      loads.push(await tab.evaluate(() => window.gotrace.loadMs));
      slices = await tab.evaluate(() => window.gotrace.slices);
      if (run === 4) {
        [whole, zoomed] = await tab.evaluate(() => {
          const g = window.gotrace, end = g.range()[1], w = [], z = [];
          for (let i = 0; i < 30; i++) w.push(g.redraw());
          g.setRange(end * 0.5, end * 0.51);
          for (let i = 0; i < 30; i++) z.push(g.redraw());
          return [w, z];
        });
      }
      await tab.close();
    }
    rmSync(html);
    console.log(`${String(slices).padStart(7)} ${(bytes / 1048576).toFixed(1).padStart(8)} ${(bytes / slices).toFixed(1).padStart(8)}` +
                `   ${fmt(loads)}        ${fmt(whole)}          ${fmt(zoomed)}`);
  }
} finally {
  await browser.close();
}
