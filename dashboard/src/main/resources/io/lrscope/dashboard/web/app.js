/*
 * lrscope page: the sweeps list and one sweep's loss-vs-LR chart, live over Server-Sent Events.
 *
 * Everything that comes from a sweep (labels, model names, reasons) is user-supplied text: it is
 * put into the DOM with textContent only, never as markup. Smoothing is the server's (the
 * analyzer's own code); the page only draws what it is sent. Updates are applied to plain state
 * as they arrive and drawn at most once per animation frame. A second, smaller chart draws the
 * sweep's confirm runs (short warmup + cosine trainings at multiples of the pick): training
 * loss against step per run, with the validation measurements as larger dots.
 */
'use strict';

(function () {
  const MAX_COMPARE = 3;
  const COLORS = ['#2563eb', '#dc2626', '#7c3aed', '#0891b2'];
  const CONFIRM_COLORS = ['#0891b2', '#15803d', '#dc2626', '#7c3aed', '#b45309', '#db2777'];
  const STATUSES = ['running', 'diverged', 'stopped', 'done', 'failed', 'stale'];
  const token = new URLSearchParams(location.hash.slice(1)).get('token');

  const state = {
    sweeps: new Map(),      // sweepId -> summary row from the server
    data: new Map(),        // sweepId -> SweepData (points, smoothed, recommendation, stream)
    selected: null,
    compare: new Set(),
    reconnectMode: 'native',
    logY: false,
    dirty: { list: true, chart: true, card: true },
    frames: 0,
    frameRequested: false,
    drawn: { counts: new Map(), markers: null, notices: [], confirm: new Map() },
    stopArmed: false,
    stopMessage: null,
  };
  let chart = null;
  let confirmChart = null;

  // ---------- formatting ----------

  function fmtLr(v) {
    if (v === null || v === undefined || !Number.isFinite(Number(v))) return '—';
    return Number(v).toExponential(1).replace(/e([+-])(\d)$/, 'e$10$2');
  }

  /** The LR to paste into a config: three significant digits, the precision the YAML uses. */
  function exactLr(v) {
    return Number(v).toExponential(2).replace(/e([+-])(\d)$/, 'e$10$2');
  }

  function fmtLoss(v) {
    const n = Number(v);
    if (!Number.isFinite(n)) return String(v);
    const a = Math.abs(n);
    if (a !== 0 && (a >= 1e4 || a < 1e-3)) return fmtLr(n);
    return n.toPrecision(4);
  }

  function fmtTick(v) {
    const a = Math.abs(v);
    return a !== 0 && (a >= 1e4 || a < 1e-3) ? fmtLr(v) : String(Number(v.toPrecision(4)));
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function displayName(id) {
    const s = state.sweeps.get(id);
    return (s && s.label) ? s.label : id;
  }

  // ---------- server access ----------

  function withQuery(path, params) {
    const q = new URLSearchParams();
    if (token) q.set('token', token);
    Object.keys(params || {}).forEach(k => q.set(k, String(params[k])));
    const s = q.toString();
    return s ? path + '?' + s : path;
  }

  function sweepPath(id, tail) {
    return '/api/sweeps/' + encodeURIComponent(id) + (tail || '');
  }

  async function request(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (token) headers['Authorization'] = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.error || ('HTTP ' + response.status));
    return json;
  }

  // ---------- state ----------

  function sweepData(id) {
    let d = state.data.get(id);
    if (!d) {
      d = { id, points: [], steps: new Set(), smoothed: [], rec: null, lastId: -1, es: null,
        retry: null, opens: 0, duplicates: 0, connected: false, confirm: new Map() };
      state.data.set(id, d);
    }
    return d;
  }

  /** Adds points, ignoring any (sweep, step) already held: a replay can never double a point. */
  function addPoints(d, points) {
    for (const p of points) {
      if (d.steps.has(p.step)) { d.duplicates++; continue; }
      d.steps.add(p.step);
      const point = { step: p.step, lr: Number(p.lr), loss: Number(p.loss) };
      const n = d.points.length;
      if (n === 0 || d.points[n - 1].step < p.step) {
        d.points.push(point);
      } else {
        let lo = 0; let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (d.points[mid].step < p.step) lo = mid + 1; else hi = mid;
        }
        d.points.splice(lo, 0, point);
      }
    }
  }

  /**
   * Applies a confirm snapshot or delta: per run, the header replaces the held one, points are
   * cut back to index `from` and the new ones appended (validation likewise), so a delta that
   * overlaps what the page holds changes nothing.
   */
  function applyConfirm(d, message) {
    for (const r of message.runs) {
      let run = d.confirm.get(r.run.runId);
      if (!run) {
        run = { header: r.run, points: [], validation: [] };
        d.confirm.set(r.run.runId, run);
      }
      run.header = r.run;
      if (r.from < run.points.length) run.points.length = r.from;
      for (const p of r.points) {
        run.points.push({ step: p.step, lr: Number(p.lr), loss: Number(p.trainLoss) });
      }
      if (r.validationFrom < run.validation.length) run.validation.length = r.validationFrom;
      for (const v of r.validation) {
        run.validation.push({ step: v.step, loss: Number(v.validationLoss),
          accuracy: v.validationAccuracy });
      }
    }
  }

  function upsertSummary(summary) {
    state.sweeps.set(summary.sweepId, summary);
    state.dirty.list = true;
    if (summary.sweepId === state.selected || state.compare.has(summary.sweepId)) {
      state.dirty.card = true;
      state.dirty.chart = true;
    }
  }

  function schedule() {
    if (state.frameRequested) return;
    state.frameRequested = true;
    requestAnimationFrame(() => {
      state.frameRequested = false;
      state.frames++;
      if (state.dirty.list) { state.dirty.list = false; renderList(); }
      if (state.dirty.chart) {
        state.dirty.chart = false;
        renderChart();
        renderConfirmChart();
      }
      if (state.dirty.card) { state.dirty.card = false; renderCard(); }
    });
  }

  function touched(id) {
    if (id === state.selected || state.compare.has(id)) {
      state.dirty.chart = true;
      state.dirty.card = true;
    }
    schedule();
  }

  // ---------- streams ----------

  function setConn(live) {
    const c = document.getElementById('conn');
    c.textContent = live ? 'live' : 'reconnecting…';
    c.className = 'conn ' + (live ? 'conn-live' : 'conn-wait');
  }

  function openListStream() {
    const es = new EventSource(withQuery('/api/stream'));
    es.addEventListener('sweeps', e => {
      const rows = JSON.parse(e.data).sweeps;
      state.sweeps.clear();
      rows.forEach(upsertSummary);
      if (!state.selected && rows.length) {
        const newest = rows.reduce((a, b) => (b.firstSeenMillis >= a.firstSeenMillis ? b : a));
        select(newest.sweepId);
      }
      schedule();
    });
    es.addEventListener('sweep', e => {
      const row = JSON.parse(e.data);
      upsertSummary(row);
      if (!state.selected) select(row.sweepId);
      schedule();
    });
    es.onopen = () => setConn(true);
    es.onerror = () => {
      setConn(false);
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        setTimeout(openListStream, 2000);
      }
    };
  }

  /**
   * Opens a sweep's stream. With resume, the id of the last point held goes in the URL, which
   * is how a new EventSource (unlike the browser's own retry) tells the server where it was.
   */
  function openSweepStream(d, resume) {
    if (d.es) d.es.close();
    clearTimeout(d.retry);
    const params = resume && d.lastId >= 0 ? { lastEventId: d.lastId } : {};
    const es = new EventSource(withQuery(sweepPath(d.id, '/stream'), params));
    d.es = es;
    es.addEventListener('points', e => {
      addPoints(d, JSON.parse(e.data).points);
      const id = Number(e.lastEventId);
      if (Number.isFinite(id) && id > d.lastId) d.lastId = id;
      touched(d.id);
    });
    es.addEventListener('smoothed', e => {
      const m = JSON.parse(e.data);
      if (m.from < d.smoothed.length) d.smoothed.length = m.from;
      for (const p of m.points) {
        d.smoothed.push({ step: p.step, lr: Number(p.lr), smoothed: Number(p.smoothed) });
      }
      touched(d.id);
    });
    es.addEventListener('recommendation', e => {
      d.rec = JSON.parse(e.data);
      touched(d.id);
    });
    es.addEventListener('confirm', e => {
      applyConfirm(d, JSON.parse(e.data));
      touched(d.id);
    });
    es.addEventListener('sweep', e => {
      upsertSummary(JSON.parse(e.data));
      schedule();
    });
    es.onopen = () => { d.opens++; d.connected = true; };
    es.onerror = () => {
      d.connected = false;
      if (state.reconnectMode === 'app' || es.readyState === EventSource.CLOSED) {
        // The browser gave up (or app-level reconnect is on): open a new EventSource that
        // names the last id itself.
        es.close();
        if (d.es !== es) return;
        d.es = null;
        d.retry = setTimeout(() => { if (isShown(d.id)) openSweepStream(d, true); }, 1000);
      }
    };
  }

  function isShown(id) {
    return id === state.selected || state.compare.has(id);
  }

  function follow(id) {
    const d = sweepData(id);
    if (!d.es) openSweepStream(d, d.lastId >= 0);
  }

  function unfollowUnused() {
    for (const d of state.data.values()) {
      if (!isShown(d.id) && d.es) { d.es.close(); d.es = null; clearTimeout(d.retry); }
    }
  }

  function select(id) {
    if (state.selected === id) return;
    state.selected = id;
    state.compare.delete(id);
    state.stopArmed = false;
    state.stopMessage = null;
    if (chart && chart.resetZoom) chart.resetZoom();
    follow(id);
    unfollowUnused();
    state.dirty.list = state.dirty.chart = state.dirty.card = true;
    schedule();
  }

  function toggleCompare(id, on) {
    if (on) {
      if (id === state.selected) return;
      if (state.compare.size >= MAX_COMPARE) {
        state.stopMessage = 'Compare shows at most ' + MAX_COMPARE + ' other sweeps.';
        state.dirty.card = true;
      } else {
        state.compare.add(id);
        follow(id);
      }
    } else {
      state.compare.delete(id);
      unfollowUnused();
    }
    state.dirty.list = state.dirty.chart = true;
    schedule();
  }

  // ---------- sweeps list ----------

  function renderList() {
    const body = document.querySelector('#sweeps tbody');
    const rows = Array.from(state.sweeps.values())
      .sort((a, b) => b.firstSeenMillis - a.firstSeenMillis);
    document.getElementById('no-sweeps').style.display = rows.length ? 'none' : '';
    const fragment = document.createDocumentFragment();
    for (const s of rows) {
      const tr = el('tr');
      tr.dataset.sweepId = s.sweepId;
      if (s.sweepId === state.selected) tr.className = 'selected';
      const box = el('input');
      box.type = 'checkbox';
      box.title = 'overlay on the chart';
      box.checked = state.compare.has(s.sweepId);
      box.disabled = s.sweepId === state.selected;
      box.addEventListener('click', e => { e.stopPropagation(); toggleCompare(s.sweepId,
          box.checked); });
      const boxCell = el('td'); boxCell.appendChild(box); tr.appendChild(boxCell);

      const name = el('td', 'sweep-name');
      name.appendChild(el('span', 'sweep-label', s.label || s.sweepId));
      if (s.label) name.appendChild(el('span', 'sweep-id', s.sweepId));
      name.title = (s.label ? s.label + ' · ' : '') + s.sweepId;
      tr.appendChild(name);
      for (const text of [s.model, s.dataset]) {
        const cell = el('td', 'cell-text', text || '—');
        if (text) cell.title = text;
        tr.appendChild(cell);
      }
      tr.appendChild(el('td', 'num', s.effectiveBatch ?? '—'));
      const status = STATUSES.includes(s.status) ? s.status : 'running';
      const badgeCell = el('td');
      badgeCell.appendChild(el('span', 'badge st-' + status, status));
      tr.appendChild(badgeCell);
      const prog = el('td', 'num');
      if (s.progress !== undefined && s.progress !== null) {
        const bar = el('span', 'progress');
        const fill = el('span');
        fill.style.width = Math.round(s.progress * 100) + '%';
        bar.appendChild(fill);
        prog.appendChild(bar);
        prog.appendChild(document.createTextNode(Math.round(s.progress * 100) + '%'));
      } else {
        prog.textContent = (s.lastStep + 1) + ' steps';
      }
      tr.appendChild(prog);
      tr.appendChild(el('td', 'num', s.pickLr !== undefined ? fmtLr(s.pickLr) : '—'));
      tr.addEventListener('click', () => select(s.sweepId));
      fragment.appendChild(tr);
    }
    body.replaceChildren(fragment);
  }

  // ---------- chart ----------

  const whiteBackground = {
    id: 'lrscopeBackground',
    beforeDraw(c) {
      const ctx = c.ctx;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.restore();
    },
  };

  /** Draws the suggested range (shaded) and vertical lines at pick, steepest and divergence. */
  const markerPlugin = {
    id: 'lrscopeMarkers',
    beforeDatasetsDraw(c) {
      const m = c.$lrscope;
      if (!m || !m.range || !c.isDatasetVisible(m.range.datasetIndex)) return;
      const x = c.scales.x; const area = c.chartArea;
      const x0 = Math.max(area.left, x.getPixelForValue(m.range.low));
      const x1 = Math.min(area.right, x.getPixelForValue(m.range.high));
      if (!(x1 > x0)) return;
      c.ctx.save();
      c.ctx.fillStyle = 'rgba(34, 197, 94, 0.12)';
      c.ctx.fillRect(x0, area.top, x1 - x0, area.bottom - area.top);
      c.ctx.restore();
    },
    afterDatasetsDraw(c) {
      const m = c.$lrscope;
      if (!m) return;
      const x = c.scales.x; const area = c.chartArea; const ctx = c.ctx;
      for (const line of m.lines) {
        if (!c.isDatasetVisible(line.datasetIndex) || !(line.lr > 0)) continue;
        const px = x.getPixelForValue(line.lr);
        if (px < area.left || px > area.right) continue;
        ctx.save();
        ctx.strokeStyle = line.color;
        ctx.lineWidth = 2;
        ctx.setLineDash(line.dash);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = line.color;
        ctx.font = '12px system-ui, sans-serif';
        ctx.fillText(line.tag, Math.min(px + 4, area.right - 70), area.top + 14 + line.row * 14);
        ctx.restore();
      }
    },
  };

  function logTick(value) {
    const e = Math.log10(value);
    return Math.abs(e - Math.round(e)) < 1e-6 ? fmtLr(value) : '';
  }

  function createChart() {
    const canvas = document.getElementById('chart');
    const zoom = {
      zoom: { wheel: { enabled: true }, pinch: { enabled: true }, mode: 'xy' },
      pan: { enabled: true, mode: 'xy' },
    };
    chart = new Chart(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'logarithmic', title: { display: true, text: 'learning rate (log scale)' },
            ticks: { callback: logTick, maxRotation: 0 } },
          y: { type: 'linear', title: { display: true, text: 'loss' },
            ticks: { callback: v => fmtTick(v) } },
        },
        plugins: {
          legend: { position: 'top', labels: { boxWidth: 14 } },
          tooltip: {
            callbacks: {
              label: ctx => {
                const p = ctx.raw;
                const step = p.step !== undefined ? 'step ' + p.step + ' · ' : '';
                return ctx.dataset.label + ': ' + step + 'lr ' + fmtLr(p.x) + ' · loss '
                    + fmtLoss(p.y);
              },
            },
          },
          zoom: window.ChartZoom ? zoom : undefined,
        },
      },
      plugins: [whiteBackground, markerPlugin],
    });
  }

  function drawable(points, key) {
    const out = []; let badLr = 0; let nonFinite = 0;
    for (const p of points) {
      const y = p[key];
      if (!(p.lr > 0) || !Number.isFinite(p.lr)) { badLr++; continue; }
      if (!Number.isFinite(y)) { nonFinite++; continue; }
      out.push({ x: p.lr, y, step: p.step });
    }
    return { out, badLr, nonFinite };
  }

  function lrAtStep(d, step) {
    const p = d.points.find(q => q.step === step);
    return p ? p.lr : null;
  }

  function renderChart() {
    if (!chart) return;
    const datasets = [];
    const lines = [];
    const notices = [];
    let range = null;
    state.drawn.counts = new Map();
    const id = state.selected;
    const d = id ? sweepData(id) : null;
    document.getElementById('sweep-title').textContent = id ? displayName(id) : 'No sweep selected';

    const allLosses = [];
    if (d) {
      const raw = drawable(d.points, 'loss');
      const smooth = drawable(d.smoothed, 'smoothed');
      state.drawn.counts.set(id, raw.out.length);
      raw.out.forEach(p => allLosses.push(p.y));
      datasets.push({ label: 'loss (raw)', data: raw.out, showLine: true, borderWidth: 1,
        borderColor: 'rgba(37, 99, 235, 0.35)', backgroundColor: 'rgba(37, 99, 235, 0.35)',
        pointRadius: 1.5, order: 5 });
      datasets.push({ label: 'smoothed', data: smooth.out, showLine: true, borderWidth: 2.5,
        borderColor: '#1d4ed8', backgroundColor: '#1d4ed8', pointRadius: 0, order: 4 });
      if (raw.badLr) notices.push(raw.badLr
          + ' point(s) with lr ≤ 0 are not drawn on the log lr axis.');
      if (raw.nonFinite) notices.push(raw.nonFinite
          + ' point(s) with a NaN or infinite loss are not drawn: the loss blew up.');

      const r = d.rec;
      if (r) {
        if (r.suggestedRange) {
          const label = 'suggested range ' + fmtLr(r.suggestedRange.low) + ' – '
              + fmtLr(r.suggestedRange.high);
          datasets.push({ label, data: [], backgroundColor: 'rgba(34, 197, 94, 0.25)',
            borderColor: 'rgba(34, 197, 94, 0.6)' });
          range = { low: r.suggestedRange.low, high: r.suggestedRange.high,
              datasetIndex: datasets.length - 1 };
        }
        if (r.pickLr !== undefined) {
          datasets.push({ label: 'pick ' + fmtLr(r.pickLr), data: [], borderColor: '#15803d',
              backgroundColor: '#15803d' });
          lines.push({ lr: r.pickLr, color: '#15803d', dash: [6, 4], tag: 'pick', row: 0,
              datasetIndex: datasets.length - 1 });
        }
        const c = r.confirmation;
        if (c && c.confirmedLr !== undefined && c.confirmedLr !== r.pickLr) {
          datasets.push({ label: 'confirmed ' + fmtLr(c.confirmedLr), data: [],
              borderColor: '#0891b2', backgroundColor: '#0891b2' });
          lines.push({ lr: c.confirmedLr, color: '#0891b2', dash: [], tag: 'confirmed', row: 2,
              datasetIndex: datasets.length - 1 });
        }
        if (r.steepestLr !== undefined) {
          datasets.push({ label: 'steepest ' + fmtLr(r.steepestLr), data: [],
              borderColor: '#d97706', backgroundColor: '#d97706' });
          lines.push({ lr: r.steepestLr, color: '#d97706', dash: [2, 3], tag: 'steepest', row: 1,
              datasetIndex: datasets.length - 1 });
        }
        if (r.minLossLr !== undefined && r.minLoss !== undefined) {
          datasets.push({ label: 'minimum ' + fmtLr(r.minLossLr),
            data: [{ x: r.minLossLr, y: r.minLoss }], pointRadius: 7, pointHoverRadius: 8,
            pointStyle: 'rectRot', borderColor: '#7c2d12',
            backgroundColor: '#f97316', order: 0 });
        }
        if (r.divergedAtStep !== null && r.divergedAtStep !== undefined) {
          const lr = lrAtStep(d, r.divergedAtStep);
          datasets.push({ label: 'divergence (step ' + r.divergedAtStep + ')', data: [],
              borderColor: '#b91c1c', backgroundColor: '#b91c1c' });
          lines.push({ lr, color: '#b91c1c', dash: [], tag: 'divergence', row: 2,
              datasetIndex: datasets.length - 1 });
        }
      }
      state.drawn.markers = {
        sweepId: id,
        pickLr: r && r.pickLr !== undefined ? r.pickLr : null,
        steepestLr: r && r.steepestLr !== undefined ? r.steepestLr : null,
        minLossLr: r && r.minLossLr !== undefined ? r.minLossLr : null,
        divergenceLr: lines.filter(l => l.tag === 'divergence').map(l => l.lr)[0] ?? null,
        range: range ? [range.low, range.high] : null,
      };
    }
    let color = 1;
    for (const cid of state.compare) {
      const c = sweepData(cid);
      const col = COLORS[color++ % COLORS.length];
      const smooth = drawable(c.smoothed, 'smoothed');
      const raw = drawable(c.points, 'loss');
      state.drawn.counts.set(cid, raw.out.length);
      const s = state.sweeps.get(cid);
      const batch = s && s.effectiveBatch ? ' (batch ' + s.effectiveBatch + ')' : '';
      datasets.push({ label: displayName(cid) + batch + ' smoothed', data: smooth.out,
        showLine: true, borderWidth: 2, borderColor: col, backgroundColor: col, pointRadius: 0 });
      datasets.push({ label: displayName(cid) + ' raw', data: raw.out, showLine: true, hidden: true,
        borderWidth: 1, borderColor: col + '55', backgroundColor: col + '55', pointRadius: 1 });
      if (c.rec && c.rec.pickLr !== undefined) {
        datasets.push({ label: displayName(cid) + ' pick ' + fmtLr(c.rec.pickLr), data: [],
            borderColor: col, backgroundColor: col });
        lines.push({ lr: c.rec.pickLr, color: col, dash: [6, 4], tag: 'pick', row: 3 + color,
            datasetIndex: datasets.length - 1 });
      }
      raw.out.forEach(p => allLosses.push(p.y));
    }

    // Field case 14: a log axis cannot show loss <= 0; fall back to linear and say so.
    const nonPositive = allLosses.filter(v => v <= 0).length;
    let yType = state.logY ? 'logarithmic' : 'linear';
    if (state.logY && nonPositive > 0) {
      yType = 'linear';
      notices.push('Log loss axis needs loss > 0: ' + nonPositive
          + ' point(s) are ≤ 0, so the axis is linear.');
    }
    chart.options.scales.y.type = yType;
    const zoomed = chart.isZoomedOrPanned && chart.isZoomedOrPanned();
    if (!zoomed) {
      // Fix the lr range to every point and marker: with the loss axis cut, Chart.js would
      // otherwise shrink the lr axis to the points under the cut and hide the divergence.
      const lrs = [];
      datasets.forEach(ds => ds.data.forEach(p => lrs.push(p.x)));
      [d, ...Array.from(state.compare, sweepData)].forEach(x => x && x.points.forEach(p => {
        if (p.lr > 0 && Number.isFinite(p.lr)) lrs.push(p.lr);
      }));
      lines.forEach(l => { if (l.lr > 0) lrs.push(l.lr); });
      if (range) lrs.push(range.low, range.high);
      chart.options.scales.x.min = lrs.length ? Math.min(...lrs) : undefined;
      chart.options.scales.x.max = lrs.length ? Math.max(...lrs) : undefined;
      chart.options.scales.y.max = undefined;
      if (d && d.points.length > 10) {
        // After a blow-up the raw loss dwarfs the curve; cut the axis above the start.
        const head = d.points.slice(0, Math.max(3, Math.ceil(d.points.length * 0.1)))
          .map(p => p.loss).filter(Number.isFinite);
        const top = Math.max(...head, ...d.smoothed.map(p => p.smoothed).filter(Number.isFinite));
        const highest = Math.max(...allLosses);
        if (top > 0 && highest > 3 * top) {
          chart.options.scales.y.max = Number((1.5 * top).toPrecision(2));
          notices.push('Loss axis cut at ' + fmtLoss(chart.options.scales.y.max)
              + ': the loss rose to '
            + fmtLoss(highest) + ' (zoom or pan to see it).');
        }
      }
    }
    chart.$lrscope = { lines, range };
    chart.data.datasets = datasets;
    chart.update('none');
    renderNotices(notices);
    renderChartMessage(d);
  }

  // ---------- confirm runs chart ----------

  function createConfirmChart() {
    confirmChart = new Chart(document.getElementById('confirm-chart'), {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' } },
          y: { type: 'linear', title: { display: true, text: 'loss' },
            ticks: { callback: v => fmtTick(v) } },
        },
        plugins: {
          legend: { position: 'top', labels: { boxWidth: 14 } },
          tooltip: {
            callbacks: {
              label: ctx => ctx.dataset.label + ': step ' + ctx.raw.x + ' · lr '
                  + fmtLr(ctx.raw.lr) + ' · loss ' + fmtLoss(ctx.raw.y),
            },
          },
        },
      },
      plugins: [whiteBackground],
    });
  }

  function runLabel(run) {
    const h = run.header;
    const factor = h.factor !== undefined ? '×' + h.factor : h.runId;
    return factor + ' (' + fmtLr(h.peakLr) + ')';
  }

  function renderConfirmChart() {
    const box = document.getElementById('confirm-box');
    const d = state.selected ? sweepData(state.selected) : null;
    const runs = d ? Array.from(d.confirm.values()) : [];
    state.drawn.confirm = new Map();
    box.hidden = runs.length === 0;
    if (!confirmChart || runs.length === 0) return;
    const datasets = [];
    const losses = [];
    runs.forEach((run, i) => {
      const color = CONFIRM_COLORS[i % CONFIRM_COLORS.length];
      const train = run.points.filter(p => Number.isFinite(p.loss))
        .map(p => ({ x: p.step, y: p.loss, lr: p.lr }));
      const validation = run.validation.filter(p => Number.isFinite(p.loss))
        .map(p => ({ x: p.step, y: p.loss, lr: lrOfStep(run, p.step) }));
      train.forEach(p => losses.push(p.y));
      state.drawn.confirm.set(run.header.runId, { train: train.length,
        validation: validation.length });
      datasets.push({ label: runLabel(run) + ' train', data: train, showLine: true,
        borderWidth: 1.5, borderColor: color, backgroundColor: color, pointRadius: 0 });
      datasets.push({ label: runLabel(run) + ' validation', data: validation, showLine: false,
        borderColor: color, backgroundColor: '#fff', pointRadius: 4, pointBorderWidth: 2,
        pointStyle: 'rectRot' });
    });
    // A diverged run's loss dwarfs the others; cut the axis above where the runs started.
    const first = runs.map(r => r.points.find(p => Number.isFinite(p.loss)))
      .filter(p => p).map(p => p.loss);
    const top = first.length ? Math.max(...first) : null;
    confirmChart.options.scales.y.max = top && Math.max(...losses) > 2 * top
      ? Number((1.2 * top).toPrecision(2)) : undefined;
    confirmChart.data.datasets = datasets;
    confirmChart.update('none');
  }

  function lrOfStep(run, step) {
    const p = run.points.find(q => q.step === step);
    return p ? p.lr : null;
  }

  function renderNotices(notices) {
    state.drawn.notices = notices;
    const list = document.getElementById('notices');
    list.replaceChildren(...notices.map(n => el('li', null, n)));
  }

  function renderChartMessage(d) {
    const box = document.getElementById('chart-message');
    let text = null;
    if (!state.selected) {
      text = state.sweeps.size ? 'Select a sweep.'
          : 'No sweeps yet: the first one appears here as soon as it starts.';
    } else if (d && d.points.length === 0) {
      const r = d.rec;
      if (r && r.verdict === 'insufficient_data') {
        text = 'Not enough data to draw or recommend: ' + (r.pointsSeen || 0) + ' point(s) seen, '
          + (r.pointsUsed || 0) + ' usable (at least 5 are needed). Run more steps.';
      } else {
        text = 'Waiting for the first points of this sweep…';
      }
    }
    box.textContent = text || '';
    box.classList.toggle('shown', !!text);
  }

  // ---------- recommendation card ----------

  function factRow(table, name, value) {
    const tr = el('tr');
    tr.appendChild(el('th', null, name));
    tr.appendChild(el('td', 'num', value));
    table.appendChild(tr);
  }

  function copyButton(label, text, testId) {
    const button = el('button', null, label);
    button.type = 'button';
    button.dataset.copy = testId;
    const done = el('span', 'copied');
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(text);
      } catch (e) {
        const area = el('textarea'); area.value = text; document.body.appendChild(area);
        area.select(); document.execCommand('copy'); area.remove();
      }
      window.lrscope.lastCopied = text;
      done.textContent = 'copied';
      setTimeout(() => { done.textContent = ''; }, 1500);
    });
    const wrap = el('span'); wrap.appendChild(button); wrap.appendChild(done);
    return wrap;
  }

  const VERDICT_TEXT = {
    pick: 'One decade below the LR of the smoothed minimum.',
    inconclusive: 'Inconclusive: the loss was still falling when the sweep ended, so the minimum'
      + ' is only the end of the ramp. Raise the end LR and run again.',
    no_descent: 'No pick: the smoothed loss never fell far enough below where it started.',
    insufficient_data: 'No pick yet: not enough usable points for a recommendation (at least 5).',
    invalid_sweep: 'No pick: the events contradict an LR range test.',
  };

  /** What the card shows, as one string: the card is rebuilt only when this changes. */
  function cardKey(id, d, s) {
    const runs = Array.from(d.confirm.values()).map(run => run.header.outcome);
    const rec = d.rec ? Object.assign({}, d.rec, { updatedMillis: 0 }) : null;
    return JSON.stringify([id, rec, s.status, runs, state.stopArmed, state.stopMessage]);
  }

  /** While points still arrive, the same verdicts are provisional. */
  const RUNNING_TEXT = {
    pick: 'So far: one decade below the LR of the smoothed minimum; final when the sweep ends.',
    inconclusive: 'So far the loss is still falling: the minimum is the newest point. Wait for'
      + ' the sweep to end; if it is still falling then, raise the end LR.',
    no_descent: 'No pick yet: the smoothed loss has not fallen far enough below its start.',
  };

  function renderCard() {
    const body = document.getElementById('card-body');
    const id = state.selected;
    if (!id) {
      state.cardKey = null;
      body.replaceChildren(el('p', 'hint', 'Select a sweep.'));
      return;
    }
    const d = sweepData(id);
    const s = state.sweeps.get(id) || {};
    // Rebuilding on every point would swap the buttons out from under the pointer.
    const key = cardKey(id, d, s);
    if (key === state.cardKey) return;
    state.cardKey = key;
    const r = d.rec;
    const parts = [];

    if (!r) {
      parts.push(el('p', 'hint', 'Waiting for the analyzer’s first recommendation…'));
    } else {
      const hasPick = r.pickLr !== undefined;
      const box = el('div', 'verdict ' + (r.verdict === 'pick' ? 'verdict-pick' : hasPick
          ? 'verdict-warn' : 'verdict-none'));
      if (hasPick) {
        const row = el('div', 'row');
        row.appendChild(el('span', 'pick-lr num', fmtLr(r.pickLr)));
        row.appendChild(copyButton('Copy LR', exactLr(r.pickLr), 'lr'));
        box.appendChild(el('div', 'muted', 'pick (' + r.status + ')'));
        box.appendChild(row);
      }
      const running = r.status !== 'final';
      box.appendChild(el('p', null, (running && RUNNING_TEXT[r.verdict])
          || VERDICT_TEXT[r.verdict] || ('verdict: ' + r.verdict)));
      if (r.reason) box.appendChild(el('p', 'muted', r.reason));
      if (r.advice) box.appendChild(el('p', null, r.advice));
      parts.push(box);

      const facts = el('table', 'facts');
      if (r.steepestLr !== undefined) factRow(facts, 'steepest descent', fmtLr(r.steepestLr)
          + ' (shown, not the pick)');
      if (r.minLossLr !== undefined) factRow(facts, 'minimum at', fmtLr(r.minLossLr)
          + (r.minLoss !== undefined ? ' · loss ' + fmtLoss(r.minLoss) : ''));
      else if (r.minLoss !== undefined) factRow(facts, 'lowest smoothed loss', fmtLoss(r.minLoss));
      if (r.suggestedRange) factRow(facts, 'suggested range', fmtLr(r.suggestedRange.low) + ' – '
          + fmtLr(r.suggestedRange.high));
      factRow(facts, 'divergence', r.divergedAtStep === null || r.divergedAtStep === undefined
          ? 'none' : 'step ' + r.divergedAtStep + (r.divergence ? ': ' + r.divergence : ''));
      factRow(facts, 'points used', (r.pointsUsed ?? 0) + ' of ' + (r.pointsSeen ?? 0)
          + ' (burn-in ' + (r.burnIn ?? 0) + ')');
      parts.push(facts);
    }

    parts.push(...confirmationParts(d, r));

    const setup = el('table', 'facts');
    if (s.effectiveBatch !== undefined) {
      factRow(setup, 'effective batch', s.effectiveBatch + ' = ' + s.batchSize + ' × '
          + s.dpDegree + ' dp × ' + s.gradAccum + ' accum');
    }
    if (s.model) factRow(setup, 'model', s.model);
    if (s.dataset) factRow(setup, 'dataset', s.dataset);
    if (s.optimizer) factRow(setup, 'optimizer', s.optimizer);
    factRow(setup, 'status', (s.status || 'running') + (s.endReason ? ' · ' + s.endReason : ''));
    parts.push(setup);

    if (r && r.communityDefault) {
      const c = r.communityDefault;
      const p = el('p');
      p.appendChild(el('strong', null, 'Community default: '));
      p.appendChild(document.createTextNode(fmtLr(c.lr) + (c.optimizer ? ' (' + c.optimizer + ')'
          : '') + ' for ' + c.model + (c.source ? ' · ' + c.source : '')));
      if (c.note) p.appendChild(el('div', 'muted', c.note));
      parts.push(p);
    }
    if (r && r.scaled && r.scaled.length) {
      parts.push(el('div', 'muted', 'The pick at other effective batches:'));
      const t = el('table', 'facts scaled');
      const head = el('tr');
      ['eff. batch', 'linear', '√ rule'].forEach(h => head.appendChild(el('th', null, h)));
      t.appendChild(head);
      for (const sc of r.scaled) {
        const tr = el('tr');
        tr.appendChild(el('td', 'num', sc.effectiveBatch));
        tr.appendChild(el('td', 'num', fmtLr(sc.linearLr)));
        tr.appendChild(el('td', 'num', fmtLr(sc.sqrtLr)));
        t.appendChild(tr);
      }
      parts.push(t);
    }
    if (r && r.torchtuneYaml) {
      const row = el('div', 'row');
      row.appendChild(el('strong', null, 'torchtune'));
      row.appendChild(copyButton('Copy YAML', r.torchtuneYaml, 'yaml'));
      parts.push(row);
      parts.push(el('pre', 'yaml', r.torchtuneYaml));
    }

    // Only a running sweep has an agent to stop; a diverged one was already sent a stop.
    if (s.status === 'running') {
      const stop = el('button', 'danger' + (state.stopArmed ? ' confirm' : ''), state.stopArmed
          ? 'Confirm: stop this sweep' : 'Stop sweep');
      stop.type = 'button';
      stop.id = 'stop-button';
      stop.addEventListener('click', () => requestStop(id));
      parts.push(stop);
    }
    if (state.stopMessage) parts.push(el('p', 'muted', state.stopMessage));
    body.replaceChildren(...parts);
  }

  const CONFIRM_TEXT = {
    pick_confirmed: 'Confirmed: the pick trained best.',
    lower: 'A lower LR than the pick trained better.',
    higher: 'A higher LR than the pick trained better.',
    no_result: 'Not confirmed: no confirm run finished with a validation loss.',
  };

  /** The confirmation on the card: the confirmed LR, the advice and each run's evidence. */
  function confirmationParts(d, r) {
    const c = r && r.confirmation;
    const parts = [];
    if (!c) {
      if (d.confirm.size) {
        const ended = Array.from(d.confirm.values())
          .filter(run => run.header.outcome !== 'running').length;
        const p = el('p', 'hint', 'Confirm runs: ' + ended + ' of ' + d.confirm.size
            + ' ended' + (ended === d.confirm.size ? '; waiting for the analyzer’s ranking…'
            : '…'));
        p.id = 'confirm-progress';
        parts.push(p);
      }
      return parts;
    }
    const box = el('div', 'verdict confirmation ' + (c.verdict === 'no_result'
        ? 'verdict-none' : c.verdict === 'pick_confirmed' ? 'verdict-pick' : 'verdict-warn'));
    box.id = 'confirmation';
    box.appendChild(el('div', 'muted', 'confirmed by ' + c.runs.length
        + ' warmup + cosine run(s)'));
    if (c.confirmedLr !== undefined) {
      const row = el('div', 'row');
      const lr = el('span', 'pick-lr num', fmtLr(c.confirmedLr));
      lr.id = 'confirmed-lr';
      row.appendChild(lr);
      row.appendChild(el('span', 'muted', '×' + c.confirmedFactor + ' of the pick'));
      row.appendChild(copyButton('Copy LR', exactLr(c.confirmedLr), 'confirmed-lr'));
      box.appendChild(row);
    }
    box.appendChild(el('p', null, CONFIRM_TEXT[c.verdict] || ('verdict: ' + c.verdict)));
    if (c.advice) box.appendChild(el('p', 'muted', c.advice));
    const t = el('table', 'facts scaled');
    t.id = 'confirm-runs';
    const head = el('tr');
    ['#', 'factor', 'peak LR', 'val. loss', 'val. acc.', 'outcome']
      .forEach(h => head.appendChild(el('th', null, h)));
    t.appendChild(head);
    for (const run of c.runs) {
      const tr = el('tr');
      tr.appendChild(el('td', 'num', run.rank));
      tr.appendChild(el('td', 'num', '×' + run.factor));
      tr.appendChild(el('td', 'num', fmtLr(run.peakLr)));
      tr.appendChild(el('td', 'num', run.finalValidationLoss !== undefined
          ? fmtLoss(run.finalValidationLoss) : '—'));
      tr.appendChild(el('td', 'num', run.validationAccuracy !== undefined
          ? (100 * run.validationAccuracy).toFixed(1) + ' %' : '—'));
      tr.appendChild(el('td', null, run.outcome));
      t.appendChild(tr);
    }
    box.appendChild(t);
    if (c.torchtuneYaml) {
      const row = el('div', 'row');
      row.appendChild(el('strong', null, 'torchtune at the confirmed LR'));
      row.appendChild(copyButton('Copy YAML', c.torchtuneYaml, 'confirmed-yaml'));
      box.appendChild(row);
      box.appendChild(el('pre', 'yaml', c.torchtuneYaml));
    }
    parts.push(box);
    return parts;
  }

  async function requestStop(id) {
    if (!state.stopArmed) {
      state.stopArmed = true;
      state.dirty.card = true;
      schedule();
      return;
    }
    state.stopArmed = false;
    try {
      const res = await request('POST', sweepPath(id, '/stop'), { reason: 'Stop button' });
      state.stopMessage = 'Stop sent at step ' + (res.stop.atStep ?? '—')
          + '; the agents stop after their current step.';
    } catch (e) {
      state.stopMessage = 'Stop failed: ' + e.message;
    }
    state.dirty.card = true;
    schedule();
  }

  // ---------- exports ----------

  function fileName(id, ext) {
    return 'lrscope-' + String(id).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) + '.' + ext;
  }

  function download(href, name) {
    const a = el('a');
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function pointsCsv(id) {
    const d = sweepData(id);
    const smoothed = new Map(d.smoothed.map(p => [p.step, p.smoothed]));
    const lines = ['step,lr,loss,smoothed'];
    for (const p of d.points) {
      lines.push([p.step, p.lr, p.loss, smoothed.has(p.step) ? smoothed.get(p.step)
          : ''].join(','));
    }
    return lines.join('\n') + '\n';
  }

  function exportCsv() {
    if (!state.selected) return;
    const url = URL.createObjectURL(new Blob([pointsCsv(state.selected)], { type: 'text/csv' }));
    download(url, fileName(state.selected, 'csv'));
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function exportPng() {
    if (!state.selected || !chart) return;
    download(chart.toBase64Image('image/png', 1), fileName(state.selected, 'png'));
  }

  // ---------- start ----------

  window.lrscope = {
    pointCount: id => (state.data.has(id) ? state.data.get(id).points.length : 0),
    renderedCount: id => state.drawn.counts.get(id) ?? 0,
    steps: id => (state.data.has(id) ? state.data.get(id).points.map(p => p.step) : []),
    lastEventId: id => (state.data.has(id) ? state.data.get(id).lastId : -1),
    streamOpens: id => (state.data.has(id) ? state.data.get(id).opens : 0),
    duplicatesIgnored: id => (state.data.has(id) ? state.data.get(id).duplicates : 0),
    smoothedCount: id => (state.data.has(id) ? state.data.get(id).smoothed.length : 0),
    confirmRuns: id => (state.data.has(id) ? Array.from(state.data.get(id).confirm.values())
      .map(r => ({ runId: r.header.runId, outcome: r.header.outcome, points: r.points.length,
        validation: r.validation.length })) : []),
    confirmDrawn: () => Object.fromEntries(state.drawn.confirm),
    markers: () => state.drawn.markers,
    notices: () => state.drawn.notices.slice(),
    frames: () => state.frames,
    selected: () => state.selected,
    sweepIds: () => Array.from(state.sweeps.keys()),
    select,
    compare: (id, on) => toggleCompare(id, on !== false),
    setLogY: on => {
      state.logY = !!on;
      document.getElementById('log-y').checked = !!on;
      state.dirty.chart = true;
      schedule();
    },
    /**
     * 'native': the browser's own retry sends Last-Event-ID;
     * 'app': on error, a new EventSource that sends ?lastEventId=.
     */
    setReconnectMode: mode => { state.reconnectMode = mode === 'app' ? 'app' : 'native'; },
    reconnect: id => openSweepStream(sweepData(id), true),
    csv: id => pointsCsv(id),
    chartMarkers: () => (chart && chart.$lrscope ? {
      lines: chart.$lrscope.lines.map(l => ({ tag: l.tag, lr: l.lr,
          visible: chart.isDatasetVisible(l.datasetIndex),
        px: chart.scales.x.getPixelForValue(l.lr) })),
      area: chart.chartArea } : null),
    zoomAvailable: () => !!(window.ChartZoom && chart && chart.resetZoom),
    lastCopied: null,
  };

  document.addEventListener('DOMContentLoaded', () => {
    createChart();
    createConfirmChart();
    document.getElementById('log-y').addEventListener('change',
        e => window.lrscope.setLogY(e.target.checked));
    document.getElementById('reset-zoom').addEventListener('click', () => {
      if (chart.resetZoom) chart.resetZoom();
      state.dirty.chart = true;
      schedule();
    });
    document.getElementById('export-csv').addEventListener('click', exportCsv);
    document.getElementById('export-png').addEventListener('click', exportPng);
    openListStream();
    schedule();
  });
})();
