// check_json.mjs - `gotrace export --format=json` checked for the structure Perfetto and
// catapult need, on a trace of view_sample (a task, workers in regions, channels, a WaitGroup,
// logs, a sleep):
//   - every row nests strictly (regions around state slices, no partial overlap), and its state
//     slices are back to back from the goroutine's first to its last;
//   - every flow start ("s") has one end ("f") with its id, at or after it, each on a slice of
//     its row; every async begin ("b") one end ("e") with its category and id;
//   - rows are named after their goroutines; the states, regions, logs and counters the program
//     must produce are there;
//   - the size limit cuts the file with a warning, and a window keeps to its times;
//   - a cut trace gets exit status 1 and no output file.
// usage: node check_json.mjs GOTRACE VIEW_SAMPLE WORK_DIR
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [gotrace, sample, workDir] = process.argv.slice(2);
let failures = 0;
function expect(ok, what) {
  if (!ok) {
    console.log(`FAILED: ${what}`);
    failures++;
  }
}

const trace = join(workDir, `check_json-${process.pid}.out`);
execFileSync(sample, [trace]);

function exportJson(extra) {
  const out = `${trace}.json`;
  const r = spawnSync(gotrace, ['export', '--format=json', ...extra, trace, '-o', out], { encoding: 'utf8' });
  expect(r.status === 0, `export ${extra.join(' ')} exits 0 (${r.status}): ${r.stderr}`);
  return { events: JSON.parse(readFileSync(out, 'utf8')).traceEvents, stderr: r.stderr };
}

// Whole nanoseconds from the file's microseconds with three decimals.
const ns = (us) => Math.round(us * 1000);

// Returns per row its X events as [start, end, event], sorted parent first.
function rows(events) {
  const byTid = new Map();
  for (const e of events.filter((e) => e.ph === 'X')) {
    if (!byTid.has(e.tid)) byTid.set(e.tid, []);
    byTid.get(e.tid).push([ns(e.ts), ns(e.ts) + ns(e.dur), e]);
  }
  for (const list of byTid.values()) list.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  return byTid;
}

function checkStructure(events, label) {
  const byTid = rows(events);
  expect(byTid.size > 0, `${label}: some rows`);
  for (const [tid, list] of byTid) {
    // Strict nesting: each slice inside the innermost open one, or after it.
    const stack = [];
    for (const s of list) {
      while (stack.length && stack[stack.length - 1][1] <= s[0]) stack.pop();
      const top = stack[stack.length - 1];
      if (top && s[1] > top[1]) {
        expect(false, `${label}: row ${tid}: ${s[2].name} [${s[0]}, ${s[1]}] overlaps ${top[2].name} [${top[0]}, ${top[1]}]`);
        break;
      }
      stack.push(s);
    }
    const states = list.filter((s) => s[2].cat === 'state');
    for (let i = 1; i < states.length; i++)
      if (states[i][0] !== states[i - 1][1]) {
        expect(false, `${label}: row ${tid}: state slices not back to back at ${states[i - 1][1]} / ${states[i][0]}`);
        break;
      }
    for (const r of list.filter((s) => s[2].cat === 'region')) {
      // A region encloses whole state slices: none crosses its edges.
      const crossing = states.find((s) => (s[0] < r[0] && s[1] > r[0]) || (s[0] < r[1] && s[1] > r[1]));
      expect(!crossing, `${label}: row ${tid}: region ${r[2].name} cuts a state slice`);
    }
  }
  // Flows: s and f paired by id, f not before s, each inside a slice of its row.
  const onSlice = (tid, t) => (byTid.get(tid) || []).some((s) => s[2].cat === 'state' && s[0] <= t && t <= s[1]);
  const starts = new Map(), ends = new Map();
  for (const e of events) {
    if (e.ph === 's') { expect(!starts.has(e.id), `${label}: flow id ${e.id} started twice`); starts.set(e.id, e); }
    if (e.ph === 'f') { expect(!ends.has(e.id), `${label}: flow id ${e.id} ended twice`); ends.set(e.id, e); }
  }
  expect(starts.size === ends.size, `${label}: ${starts.size} flow starts, ${ends.size} ends`);
  for (const [id, s] of starts) {
    const f = ends.get(id);
    expect(f !== undefined && f.cat === s.cat && ns(f.ts) >= ns(s.ts), `${label}: flow ${id} has its end`);
    expect(onSlice(s.tid, ns(s.ts)), `${label}: flow ${id} starts on a slice of row ${s.tid}`);
    if (f) expect(onSlice(f.tid, ns(f.ts)), `${label}: flow ${id} ends on a slice of row ${f.tid}`);
  }
  // Async spans: b and e paired by category and id.
  const open = new Map();
  for (const e of events) {
    const key = `${e.cat}/${e.id}`;
    if (e.ph === 'b') { expect(!open.has(key), `${label}: ${key} begun twice`); open.set(key, e); }
    if (e.ph === 'e') {
      const b = open.get(key);
      expect(b !== undefined && ns(e.ts) >= ns(b.ts), `${label}: ${key} ends after its begin`);
      open.delete(key);
    }
  }
  expect(open.size === 0, `${label}: ${open.size} async spans never ended`);
  return byTid;
}

// ---- The whole trace ----
const { events } = exportJson([]);
const byTid = checkStructure(events, 'whole');
const names = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, e.args.name]));
for (const tid of byTid.keys())
  expect(names.has(tid) && names.get(tid).startsWith(`G${tid} `), `row ${tid} named G${tid}: ${names.get(tid)}`);
const named = [...names.values()].join(' | ');
for (const f of ['produce', 'work', 'consume'])
  expect(named.includes(` ${f}`), `a row named after ${f}: ${named}`);
expect([...names.values()].filter((n) => n.endsWith(' work')).length === 3, `three work rows: ${named}`);
const stateNames = new Set(events.filter((e) => e.cat === 'state').map((e) => e.name));
for (const s of ['running', 'runnable', 'chan send', 'chan receive', 'WaitGroup.Wait', 'sleep'])
  expect(stateNames.has(s), `a "${s}" slice among ${[...stateNames].join(', ')}`);
const blocked = events.find((e) => e.cat === 'state' && e.name === 'chan receive');
expect(blocked && /view_sample\.c:\d+$/.test(blocked.args.site), `a wait's site: ${JSON.stringify(blocked && blocked.args)}`);
// Regions: 40 items, each a "work" region with a "hash" region inside on the same row.
const xs = events.filter((e) => e.cat === 'region');
const work = xs.filter((e) => e.name === 'work'), hash = xs.filter((e) => e.name === 'hash');
expect(work.length === 40 && hash.length === 40, `40 work and 40 hash regions (${work.length}, ${hash.length})`);
expect(hash.every((h) => work.some((w) => w.tid === h.tid && ns(w.ts) <= ns(h.ts) && ns(h.ts) + ns(h.dur) <= ns(w.ts) + ns(w.dur))),
       'each hash region inside a work region of its row');
const tasks = events.filter((e) => e.ph === 'b').map((e) => e.name).sort();
expect(JSON.stringify(tasks) === JSON.stringify(['hash items', 'order']), `the two tasks: ${tasks}`);
const logs = events.filter((e) => e.ph === 'i' && e.cat === 'log');
expect(logs.length === 6, `6 logs (items 0, 10, 20, 30, the checksum, the sleep): ${logs.length}`);
expect(events.some((e) => e.ph === 's' && e.cat === 'create') && events.some((e) => e.ph === 's' && e.cat === 'unblock'),
       'create and unblock flows');
expect(events.some((e) => e.ph === 'C' && e.name === 'goroutines'), 'a goroutines counter');

// ---- The size limit: a cut file, still well formed, and a warning naming the range ----
const total = events.filter((e) => e.ph !== 'M').length;
const limited = exportJson(['--max-events=100']);
checkStructure(limited.events, 'limited');
const kept = limited.events.filter((e) => e.ph !== 'M').length;
expect(kept >= 100 && kept < total, `the limit keeps 100 events and a few still open (${kept} of ${total})`);
const warned = /warning: over 100 events: the JSON covers 0\.000 ms to ([\d.]+) ms .* --from=([\d.]+)/.exec(limited.stderr);
expect(warned !== null, `the limit's warning: ${limited.stderr}`);
if (warned) {
  const end = ns(Number(warned[1]) * 1000);
  expect(limited.events.every((e) => e.ts === undefined || ns(e.ts) + ns(e.dur || 0) <= end + 1),
         'nothing after the window the warning names');
  const rest = exportJson([`--from=${warned[2]}`]);
  checkStructure(rest.events, 'the rest');
  const early = rest.events.filter((e) => e.ts !== undefined && ns(e.ts) < ns(Number(warned[2]) * 1000) - 1);
  expect(early.length === 0, `the next part starts where the first ended: ${JSON.stringify(early[0])}`);
}

// ---- A cut trace: exit status 1, the offset said, no file left ----
const cut = `${trace}.cut`, cutJson = `${cut}.json`;
const bytes = readFileSync(trace);
writeFileSync(cut, bytes.subarray(0, bytes.length - 7));
const r = spawnSync(gotrace, ['export', '--format=json', cut, '-o', cutJson], { encoding: 'utf8' });
expect(r.status === 1 && /offset \d+/.test(r.stderr), `a cut trace is refused with an offset: ${r.status} ${r.stderr}`);
expect(!existsSync(cutJson) && !existsSync(`${cutJson}.partial`), 'no output left for a cut trace');

console.log(failures ? 'FAIL' : 'PASS');
process.exit(failures ? 1 : 0);
