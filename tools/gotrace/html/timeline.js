// timeline.js - gotrace html's viewer: the trace's data (#trace-data, html.c says its layout)
// drawn on one canvas: time axis, task spans, a row per goroutine (state slices, regions under
// them, log markers), arrows for the selected slice, counters; then the goroutine analysis
// table. Each lane is drawn with per-pixel level of detail: a slice at least a pixel wide is a
// rectangle; under a pixel, the pixel column takes the colour of the first slice in it and the
// drawing jumps (binary search) to the first slice that reaches the next pixel, so a redraw
// costs O(width x log n) per visible lane whatever the number of slices.
// window.gotrace exposes the view to tests and the bench (range, setRange, redraw, counts).
'use strict';
(function () {
  const started = performance.now();
  const D = JSON.parse(document.getElementById('trace-data').textContent);
  const canvas = document.getElementById('timeline');
  const ctx = canvas.getContext('2d', { alpha: false });
  const tooltip = document.getElementById('tooltip');

  // ---- States and colours: kind = state * 16 + reason (trace_format.h's numbers) ----
  const RUNNABLE = 1, RUNNING = 2, SYSCALL = 3, WAITING = 4, SLEEP = 7;
  const reasonColours = ['#444444', '#e6194b', '#c2185b', '#7a1c2e', '#5a1030', '#911eb4', '#4b0f5a',
                         '#bdbdbd', '#800000', '#9a6324', '#b35900', '#f032e6'];
  const colourOf = new Array(80).fill('#000000');
  colourOf[RUNNABLE * 16] = '#8fb5ff';
  colourOf[RUNNING * 16] = '#3cb44b';
  colourOf[SYSCALL * 16] = '#f58231';
  for (let r = 0; r < 12; r++) colourOf[WAITING * 16 + r] = reasonColours[r];
  function kindName(k) {
    const state = k >> 4;
    if (state === WAITING) return (k & 15) === SLEEP ? 'sleep' : 'blocked: ' + D.reasons[k & 15];
    return ['?', 'runnable (waking)', 'running', 'syscall'][state] || '?';
  }

  // ---- Data: rows with prefix-summed slice times ----
  const rows = D.rows.slice().sort((a, b) => a.g - b.g).map((r) => {
    const n = r.d.length, st = new Float64Array(n), en = new Float64Array(n);
    let t = r.t0;
    for (let i = 0; i < n; i++) { st[i] = t; t += r.d[i]; en[i] = t; }
    return { g: r.g, name: 'G' + r.g + ' ' + (D.funcs[r.f] || ''), n, st, en, k: Uint8Array.from(r.k),
             s: Int32Array.from(r.s), lanes: [], logs: [], flowsIn: [], flowsOut: [], y: 0, h: 0 };
  });
  const rowOf = new Map(rows.map((r, i) => [r.g, i]));
  let slices = 0;
  for (const r of rows) slices += r.n;
  // Regions: per row, per depth, sorted by start (one depth's regions do not overlap).
  const R = D.regions;
  for (let i = 0; i < R.length; i += 6) {
    const row = rows[rowOf.get(R[i])];
    if (!row) continue;
    const depth = R[i + 1];
    while (row.lanes.length <= depth) row.lanes.push([]);
    row.lanes[depth].push(i);
  }
  for (const row of rows) {
    row.lanes = row.lanes.map((list) => {
      list.sort((a, b) => R[a + 2] - R[b + 2]);
      return { st: Float64Array.from(list, (i) => R[i + 2]), en: Float64Array.from(list, (i) => R[i + 2] + R[i + 3]),
               idx: Int32Array.from(list), n: list.length };
    });
  }
  const L = D.logs;
  for (let i = 0; i < L.length; i += 5) { const row = rows[rowOf.get(L[i])]; if (row) row.logs.push(i); }
  const F = D.flows;
  for (let i = 0; i < F.length; i += 4) {
    const from = rows[rowOf.get(F[i + 1])], to = rows[rowOf.get(F[i + 2])];
    if (from) from.flowsOut.push(i);
    if (to) to.flowsIn.push(i);
  }
  // Tasks packed into lanes: each task in the first lane free at its start.
  const T = D.tasks, taskLane = [], laneEnds = [];
  const taskOrder = [];
  for (let i = 0; i < T.length; i += 7) taskOrder.push(i);
  taskOrder.sort((a, b) => T[a + 2] - T[b + 2]);
  for (const i of taskOrder) {
    let lane = laneEnds.findIndex((end) => end <= T[i + 2]);
    if (lane < 0) { lane = laneEnds.length; laneEnds.push(0); }
    laneEnds[lane] = T[i + 2] + T[i + 3];
    taskLane[i] = lane;
  }
  const C = D.counters;

  // ---- Geometry ----
  const GUTTER = 170, AXIS = 22, TASK_LANE = 12, BAND = 12, REGION_LANE = 7, ROW_GAP = 4, COUNTER = 26;
  const COUNTERS = C.length ? 3 : 0;
  const tasksHeight = Math.min(laneEnds.length, 6) * TASK_LANE + (laneEnds.length ? 4 : 0);
  let total = 0;
  for (const r of rows) { r.y = total; r.h = BAND + r.lanes.length * REGION_LANE + ROW_GAP; total += r.h; }
  const rowsHeight = total;

  const view = { t0: 0, t1: Math.max(D.duration, 1), scrollY: 0, width: 0, height: 0, selected: null };
  const top = () => AXIS + tasksHeight;
  const rowsArea = () => view.height - top() - COUNTERS * COUNTER;
  const scale = () => (view.width - GUTTER) / (view.t1 - view.t0);
  const xOf = (t) => GUTTER + (t - view.t0) * scale();
  const tOf = (x) => view.t0 + (x - GUTTER) / scale();

  // The first index i >= lo with a[i] > t (a sorted).
  function after(a, t, lo, hi) {
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid] > t) hi = mid; else lo = mid + 1; }
    return lo;
  }

  // Draws the intervals st[i]..en[i] (sorted, not overlapping) of one lane at y, h high.
  function lane(st, en, n, colour, y, h) {
    const k = scale(), t0 = view.t0, right = view.width;
    let i = after(en, t0, 0, n), last = '';
    while (i < n && st[i] < view.t1) {
      let x0 = GUTTER + (st[i] - t0) * k;
      const x1 = GUTTER + (en[i] - t0) * k;
      const c = colour(i);
      if (c !== last) { ctx.fillStyle = c; last = c; }
      if (x1 - x0 >= 1) {
        if (x0 < GUTTER) x0 = GUTTER;
        ctx.fillRect(x0, y, Math.min(x1, right) - x0, h);
        i++;
      } else {
        const px = Math.max(Math.floor(x0), GUTTER);
        ctx.fillRect(px, y, 1, h);
        i = after(en, t0 + (px + 1 - GUTTER) / k, i + 1, n);
      }
    }
  }

  function duration(ns) {
    const a = Math.abs(ns);
    if (a >= 1e9) return (ns / 1e9).toFixed(3) + ' s';
    if (a >= 1e6) return (ns / 1e6).toFixed(3) + ' ms';
    if (a >= 1e3) return (ns / 1e3).toFixed(3) + ' \u00b5s';
    return Math.round(ns) + ' ns';
  }

  function axis() {
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(0, 0, view.width, AXIS);
    const span = view.t1 - view.t0, target = span * 100 / Math.max(view.width - GUTTER, 1);
    let step = Math.pow(10, Math.floor(Math.log10(target)));
    if (step * 5 <= target) step *= 5; else if (step * 2 <= target) step *= 2;
    ctx.fillStyle = '#555';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      const x = xOf(t);
      ctx.fillRect(x, AXIS - 6, 1, 6);
      ctx.fillText(duration(t).replace(/\.?0+ /, ' '), x + 3, AXIS / 2 - 2);
    }
    ctx.fillText(D.cut ? 'cut: see the warning' : '', 4, AXIS / 2);
  }

  function tasks() {
    for (let lane = 0; lane < Math.min(laneEnds.length, 6); lane++) {
      const y = AXIS + 2 + lane * TASK_LANE;
      for (const i of taskOrder) {
        if (taskLane[i] !== lane) continue;
        const x0 = Math.max(xOf(T[i + 2]), GUTTER), x1 = Math.min(xOf(T[i + 2] + T[i + 3]), view.width);
        if (x1 < GUTTER || x0 > view.width) continue;
        ctx.fillStyle = T[i + 6] ? '#d9c7f0' : '#b39ddb';
        ctx.fillRect(x0, y, Math.max(x1 - x0, 1), TASK_LANE - 2);
        if (x1 - x0 > 30) {
          ctx.fillStyle = '#222';
          ctx.fillText(D.strings[T[i + 4]], x0 + 2, y + TASK_LANE / 2 - 1, x1 - x0 - 4);
        }
      }
    }
    if (laneEnds.length) { ctx.fillStyle = '#555'; ctx.fillText('tasks', 4, AXIS + tasksHeight / 2); }
  }

  function rowsDraw() {
    const y0 = top(), area = rowsArea();
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, y0, view.width, area);
    ctx.clip();
    let first = 0;
    // The first visible row: rows are few next to slices, a linear scan from the top is cheap.
    while (first < rows.length && rows[first].y + rows[first].h < view.scrollY) first++;
    for (let ri = first; ri < rows.length; ri++) {
      const r = rows[ri], y = y0 + r.y - view.scrollY;
      if (y > y0 + area) break;
      if (ri % 2) { ctx.fillStyle = '#f7f7f7'; ctx.fillRect(0, y, view.width, r.h); }
      ctx.fillStyle = '#222';
      ctx.fillText(r.name, 4, y + BAND / 2, GUTTER - 8);
      lane(r.st, r.en, r.n, (i) => colourOf[r.k[i]], y, BAND);
      r.lanes.forEach((l, depth) => lane(l.st, l.en, l.n, () => (depth % 2 ? '#9ecae1' : '#6baed6'),
                                         y + BAND + depth * REGION_LANE + 1, REGION_LANE - 2));
      ctx.fillStyle = '#000';
      for (const i of r.logs) {
        const x = xOf(L[i + 1]);
        if (x < GUTTER || x > view.width) continue;
        ctx.beginPath();
        ctx.moveTo(x, y - 1); ctx.lineTo(x + 3, y + 3); ctx.lineTo(x, y + 7); ctx.lineTo(x - 3, y + 3);
        ctx.fill();
      }
    }
    arrows(y0);
    ctx.restore();
  }

  // The selected slice's arrows: flows into its goroutine during it, and out of it.
  function arrows(y0) {
    const sel = view.selected;
    if (!sel) return;
    const r = rows[sel.row], from = r.st[sel.i], to = r.en[sel.i];
    const yOf = (row) => y0 + row.y - view.scrollY + BAND / 2;
    ctx.strokeStyle = '#000';
    ctx.fillStyle = '#000';
    ctx.lineWidth = 1.5;
    const draw = (i) => {
      const a = rows[rowOf.get(F[i + 1])], b = rows[rowOf.get(F[i + 2])];
      if (!a || !b) return;
      const x = xOf(F[i + 3]), ya = yOf(a), yb = yOf(b);
      ctx.beginPath();
      ctx.moveTo(x, ya);
      ctx.bezierCurveTo(x + 30, ya, x + 30, yb, x, yb);
      ctx.stroke();
      const dir = yb > ya ? -1 : 1;
      ctx.beginPath();
      ctx.moveTo(x, yb); ctx.lineTo(x + 7, yb + dir * 2); ctx.lineTo(x + 5, yb + dir * 6);
      ctx.fill();
    };
    for (const i of r.flowsIn) if (F[i + 3] >= from && F[i + 3] <= to) draw(i);
    for (const i of r.flowsOut) if (F[i + 3] >= from && F[i + 3] <= to) draw(i);
    const x0 = Math.max(xOf(from), GUTTER), x1 = Math.max(xOf(to), x0 + 1);
    ctx.strokeRect(x0, yOf(r) - BAND / 2, x1 - x0, BAND);
  }

  function counters() {
    if (!COUNTERS) return;
    const names = [['goroutines', (i) => C[i + 1] + C[i + 2] + C[i + 3] + C[i + 4]], ['threads', (i) => C[i + 5]],
                   ['heap', (i) => C[i + 6]]];
    const n = C.length / 7;
    const times = new Float64Array(n);
    for (let j = 0; j < n; j++) times[j] = C[j * 7];
    names.forEach(([name, value], c) => {
      const y = view.height - (COUNTERS - c) * COUNTER;
      ctx.fillStyle = c % 2 ? '#fff' : '#f4f4f4';
      ctx.fillRect(0, y, view.width, COUNTER);
      let max = 1;
      for (let j = 0; j < n; j++) max = Math.max(max, value(j * 7));
      ctx.fillStyle = '#222';
      ctx.fillText(name + ' (max ' + (name === 'heap' ? (max / 1048576).toFixed(1) + ' MiB' : max) + ')', 4, y + COUNTER / 2);
      ctx.fillStyle = '#7b8fa8';
      // A step per sample; samples under a pixel apart share its column (the last one wins).
      let j = Math.max(after(times, view.t0, 0, n) - 1, 0);
      for (; j < n && times[j] <= view.t1; j++) {
        const x0 = Math.max(xOf(times[j]), GUTTER), x1 = j + 1 < n ? Math.min(xOf(times[j + 1]), view.width) : view.width;
        const h = value(j * 7) / max * (COUNTER - 4);
        if (x1 >= x0) ctx.fillRect(x0, y + COUNTER - 2 - h, Math.max(x1 - x0, 1), h);
      }
    });
  }

  function redraw() {
    const t = performance.now();
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, view.width, view.height);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    axis();
    tasks();
    rowsDraw();
    counters();
    ctx.fillStyle = '#ccc';
    ctx.fillRect(GUTTER - 1, AXIS, 1, view.height - AXIS);
    document.getElementById('range').textContent = duration(view.t0) + ' \u2013 ' + duration(view.t1) +
      ' (' + duration(view.t1 - view.t0) + ')';
    return performance.now() - t;
  }

  function resize() {
    // As tall as the rows need, up to 70% of the window (then the rows scroll).
    const needed = AXIS + tasksHeight + rowsHeight + COUNTERS * COUNTER + 2;
    canvas.style.height = Math.max(Math.min(needed, window.innerHeight * 0.7), 160) + 'px';
    const dpr = window.devicePixelRatio || 1, box = canvas.getBoundingClientRect();
    view.width = box.width;
    view.height = box.height;
    canvas.width = Math.round(box.width * dpr);
    canvas.height = Math.round(box.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    redraw();
  }

  function setRange(t0, t1) {
    const min = 100; // ns: the narrowest view
    if (t1 - t0 < min) { const mid = (t0 + t1) / 2; t0 = mid - min / 2; t1 = mid + min / 2; }
    const whole = Math.max(D.duration, 1);
    if (t1 - t0 > whole) { t0 = 0; t1 = whole; }
    if (t0 < 0) { t1 -= t0; t0 = 0; }
    if (t1 > whole) { t0 -= t1 - whole; t1 = whole; }
    view.t0 = t0;
    view.t1 = t1;
    redraw();
  }

  function zoom(factor, x) {
    const t = tOf(Math.max(x, GUTTER));
    setRange(t - (t - view.t0) * factor, t + (view.t1 - t) * factor);
  }

  function scrollRows(dy) {
    view.scrollY = Math.max(0, Math.min(view.scrollY + dy, Math.max(rowsHeight - rowsArea(), 0)));
    redraw();
  }

  // ---- What is under the cursor ----
  function hit(x, y) {
    const y0 = top();
    if (x < GUTTER || y < y0 || y > y0 + rowsArea()) return null;
    const ry = y - y0 + view.scrollY;
    let ri = 0;
    while (ri < rows.length && rows[ri].y + rows[ri].h <= ry) ri++;
    if (ri >= rows.length) return null;
    const r = rows[ri], t = tOf(x), dy = ry - r.y, pad = 2 / scale();
    for (const i of r.logs)
      if (Math.abs(L[i + 1] - t) <= 3 / scale() && dy < BAND) return { log: i, row: ri };
    if (dy < BAND) {
      const i = after(r.en, t - pad, 0, r.n);
      return i < r.n && r.st[i] <= t + pad ? { row: ri, i } : null;
    }
    const l = r.lanes[Math.floor((dy - BAND) / REGION_LANE)];
    if (!l) return null;
    const j = after(l.en, t, 0, l.n);
    return j < l.n && l.st[j] <= t ? { row: ri, region: l.idx[j] } : null;
  }

  function describe(h) {
    const r = rows[h.row];
    if (h.log !== undefined)
      return r.name + '\nlog [' + D.strings[L[h.log + 3]] + '] ' + D.strings[L[h.log + 4]] + '\nat ' +
        duration(L[h.log + 1]) + (L[h.log + 2] ? ', task ' + L[h.log + 2] : '');
    if (h.region !== undefined)
      return r.name + '\nregion ' + D.strings[R[h.region + 4]] + (R[h.region + 5] ? ' (task ' + R[h.region + 5] + ')' : '') +
        '\nfrom ' + duration(R[h.region + 2]) + ', ' + duration(R[h.region + 3]);
    const k = r.k[h.i], site = r.s[h.i];
    return r.name + '\n' + kindName(k) + (site ? '\nat ' + D.sites[site - 1] : '') + '\nfrom ' +
      duration(r.st[h.i]) + ', ' + duration(r.en[h.i] - r.st[h.i]);
  }

  let drag = null;
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    if (e.shiftKey) scrollRows(e.deltaY || e.deltaX);
    else zoom(Math.pow(1.0015, e.deltaY), e.offsetX);
  }, { passive: false });
  canvas.addEventListener('mousedown', (e) => { drag = { x: e.offsetX, y: e.offsetY, t0: view.t0, t1: view.t1, s: view.scrollY, moved: false }; });
  window.addEventListener('mouseup', (e) => {
    if (drag && !drag.moved && e.target === canvas) {
      const h = hit(e.offsetX, e.offsetY);
      view.selected = h && h.i !== undefined ? h : null;
      redraw();
    }
    drag = null;
  });
  canvas.addEventListener('mousemove', (e) => {
    if (drag) {
      const dx = e.offsetX - drag.x, dy = e.offsetY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
      if (drag.moved) {
        const dt = dx / scale();
        view.scrollY = drag.s;
        setRange(drag.t0 - dt, drag.t1 - dt);
        scrollRows(-dy);
      }
      return;
    }
    const h = hit(e.offsetX, e.offsetY);
    tooltip.hidden = !h;
    if (h) {
      tooltip.textContent = describe(h);
      tooltip.style.left = Math.min(e.offsetX + 14, view.width - 260) + 'px';
      tooltip.style.top = e.offsetY + 14 + 'px';
    }
  });
  canvas.addEventListener('mouseleave', () => { tooltip.hidden = true; });
  window.addEventListener('keydown', (e) => {
    const span = view.t1 - view.t0, mid = GUTTER + (view.width - GUTTER) / 2;
    if (e.key === 'w') zoom(0.8, mid);
    else if (e.key === 's') zoom(1.25, mid);
    else if (e.key === 'a') setRange(view.t0 - span / 5, view.t1 - span / 5);
    else if (e.key === 'd') setRange(view.t0 + span / 5, view.t1 + span / 5);
    else if (e.key === '0') setRange(0, D.duration);
  });
  document.getElementById('zoom-in').onclick = () => zoom(0.5, GUTTER + (view.width - GUTTER) / 2);
  document.getElementById('zoom-out').onclick = () => zoom(2, GUTTER + (view.width - GUTTER) / 2);
  document.getElementById('whole').onclick = () => setRange(0, D.duration);
  window.addEventListener('resize', resize);

  // ---- Legend and summary ----
  const legend = document.getElementById('legend');
  const entries = [[RUNNING * 16, 'running'], [RUNNABLE * 16, 'runnable (waking)'], [SYSCALL * 16, 'syscall'],
                   [WAITING * 16 + SLEEP, 'sleep']];
  for (let r = 0; r < 12; r++) if (r !== SLEEP) entries.push([WAITING * 16 + r, 'blocked: ' + D.reasons[r]]);
  for (const [k, name] of entries) {
    const s = document.createElement('span'), i = document.createElement('i');
    i.style.background = colourOf[k];
    s.append(i, name);
    legend.append(s);
  }
  for (const [colour, name] of [['#6baed6', 'region'], ['#b39ddb', 'task'], ['#000', 'log']]) {
    const s = document.createElement('span'), i = document.createElement('i');
    i.style.background = colour;
    s.append(i, name);
    legend.append(s);
  }
  document.getElementById('summary').textContent = 'pid ' + D.pid + ', ' + rows.length + ' goroutines, ' +
    slices + ' slices, ' + duration(D.duration) + (D.cut ? ' (cut at the size limit)' : '');

  // ---- The goroutine analysis table, sortable ----
  const MAX_SHOWN = 1000;
  const table = [], width = 2 + D.table.columns.length, TR = D.table.rows;
  for (let i = 0; i < TR.length; i += width) table.push(TR.slice(i, i + width));
  const heads = ['Goroutine', 'Start function', ...D.table.columns];
  const thead = document.querySelector('#goroutines thead'), tbody = document.querySelector('#goroutines tbody');
  const headRow = document.createElement('tr');
  let sortBy = 2, ascending = false;
  heads.forEach((name, c) => {
    const th = document.createElement('th');
    th.textContent = name;
    th.onclick = () => { ascending = sortBy === c ? !ascending : c === 1; sortBy = c; fillTable(); };
    headRow.append(th);
  });
  thead.append(headRow);
  function fillTable() {
    const key = (row) => (sortBy === 1 ? D.funcs[row[1]] : row[sortBy]);
    table.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : a[0] - b[0]) * (ascending ? 1 : -1); });
    [...headRow.children].forEach((th, c) => { th.className = c === sortBy ? (ascending ? 'sorted-asc' : 'sorted-desc') : ''; });
    const body = document.createDocumentFragment();
    for (const row of table.slice(0, MAX_SHOWN)) {
      const tr = document.createElement('tr');
      row.forEach((v, c) => {
        const td = document.createElement('td');
        td.textContent = c === 0 ? v : c === 1 ? D.funcs[v] || '(unknown)' : duration(v);
        tr.append(td);
      });
      body.append(tr);
    }
    tbody.replaceChildren(body);
    document.getElementById('table-note').textContent = 'Times per goroutine, as gotrace stats prints them' +
      (table.length > MAX_SHOWN ? ' (the first ' + MAX_SHOWN + ' of ' + table.length + ' in this order)' : '') +
      '. Click a column to sort.';
  }
  fillTable();

  resize();
  window.gotrace = {
    loadMs: performance.now(), // from navigation: reading the page, parsing, indexing, the first drawing
    scriptMs: performance.now() - started,
    rows: rows.length, slices,
    range: () => [view.t0, view.t1],
    setRange, redraw,
    rowY: (g) => top() + rows[rowOf.get(g)].y - view.scrollY + BAND / 2, // a row's middle, canvas px
  };
})();
