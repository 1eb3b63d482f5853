// The taskq dashboard page. Reads JSON from /api/…, hears of changes on one Server-Sent Events
// stream, and builds every element with createElement and textContent: task text never passes
// through an HTML parser (and the server's Content-Security-Policy makes Chromium refuse HTML from strings outright).
import { renderMarkdown } from './markdown.js';

const COLUMNS = [
  { key: 'pending', title: 'Pending' },
  { key: 'blocked', title: 'Blocked' },
  { key: 'in_progress', title: 'In progress' },
  { key: 'completed', title: 'Completed' },
  { key: 'failed', title: 'Failed' },
];
const PAGE = 50;
const MAX_SHOWN = 2000;
const MIN_GAP_MS = 150; // between two board reads while changes pour in

const $ = (id) => document.getElementById(id);
const state = {
  lane: '',
  shown: Object.fromEntries(COLUMNS.map((c) => [c.key, PAGE])),
  version: -1,
  loading: false,
  again: false,
  lastLoad: 0,
  painted: false,
  cards: new Map(), // id -> { el, sig }
  columns: new Map(), // key -> { count, cards, more, empty }
  task: null, // the id shown in the drawer
  taskLoading: false,
  taskAgain: false,
  source: null,
  retry: 1000,
  lastSeen: null, // when the stream was last known to be up, while it is down
};
// Read by the browser tests and bench/run: when the board was first painted, and how often.
window.taskq = { firstPaint: null, renders: 0, version: -1 };

// ------------------------------------------------------------------ small helpers

/** An element with properties, attributes (`attrs`), listeners (`on`) and text or child nodes. */
function h(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'attrs') for (const [a, av] of Object.entries(v)) e.setAttribute(a, av);
    else e[k] = v;
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  const hrs = Math.floor(s / 3600);
  if (hrs < 48) return `${hrs}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(hrs / 24)}d`;
}

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

const number = (n) => Number(n).toLocaleString('en-US');

class ApiError extends Error {
  constructor(status, line, field) {
    super(line);
    this.status = status;
    this.line = line;
    this.field = field;
  }
}

async function api(path, options = {}) {
  let r;
  try {
    r = await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...options });
  } catch (e) {
    throw new ApiError(0, 'the dashboard is not answering (' + e.message + ')');
  }
  const type = r.headers.get('Content-Type') || '';
  if (type.startsWith('application/json')) {
    const body = await r.json();
    if (!r.ok) {
      const err = body.error || {};
      throw new ApiError(r.status, err.line || `HTTP ${r.status}`, err.field);
    }
    return body;
  }
  const text = (await r.text()).trim();
  if (!r.ok) throw new ApiError(r.status, text || `HTTP ${r.status}`);
  return text;
}

function post(path, body) {
  return api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
}

let toastTimer;
function toast(text, bad = false) {
  const t = $('toast');
  t.textContent = text;
  t.className = bad ? 'toast bad' : 'toast';
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, bad ? 9000 : 4000);
}

const banners = new Map();
function banner(key, text, kind = 'warn') {
  const old = banners.get(key);
  if (!text) {
    if (old) old.remove();
    banners.delete(key);
    return;
  }
  if (old && old.textContent === text) return;
  const b = h('div', { className: `banner ${kind}`, attrs: { role: 'alert' }, dataset: { key } }, text);
  if (old) old.replaceWith(b); else $('banners').append(b);
  banners.set(key, b);
}

// ------------------------------------------------------------------ the board

function buildColumns() {
  const board = $('board');
  for (const c of [...COLUMNS, { key: 'corrupt', title: 'Corrupt files' }]) {
    const count = h('span', { className: 'count' }, '0');
    const cards = h('div', { className: 'cards' });
    const empty = h('div', { className: 'empty' }, 'none');
    const more = h('button', {
      type: 'button',
      className: 'more',
      hidden: true,
      on: { click: () => showMore(c.key) },
    });
    const col = h('section', { className: `column ${c.key}`, dataset: { column: c.key } },
      h('h2', {}, h('span', {}, c.title), count), cards, more);
    cards.append(empty);
    if (c.key === 'corrupt') col.hidden = true;
    board.append(col);
    state.columns.set(c.key, { col, count, cards, more, empty });
  }
}

function showMore(key) {
  state.shown[key] = Math.min(MAX_SHOWN, state.shown[key] + PAGE * 4);
  loadBoard();
}

function boardQuery() {
  const q = new URLSearchParams();
  if (state.lane) q.set('lane', state.lane);
  for (const c of COLUMNS) q.set(c.key, state.shown[c.key]);
  return '/api/board?' + q.toString();
}

async function loadBoard() {
  if (state.loading) {
    state.again = true;
    return;
  }
  state.loading = true;
  const gap = MIN_GAP_MS - (performance.now() - state.lastLoad);
  if (gap > 0) await new Promise((r) => setTimeout(r, gap));
  state.lastLoad = performance.now();
  try {
    const board = await api(boardQuery());
    render(board);
    banner('read', null);
  } catch (e) {
    if (e.status === 403) secretLost();
    else if (e.status !== 0) banner('read', 'Cannot read the queue: ' + e.line, 'bad');
    // status 0: the dashboard itself is gone; the connection notice says so
  } finally {
    state.loading = false;
    if (state.again) {
      state.again = false;
      loadBoard();
    }
  }
}

function render(board) {
  state.version = board.version;
  $('queue').textContent = board.queue;
  $('queue').title = board.queue;
  $('store').textContent = board.store ? '· ' + board.store : '';
  renderTotals(board);
  renderLanes(board.lanes);
  for (const w of board.warnings) banner('w:' + w, w, 'warn');
  const seen = new Set();
  for (const col of board.columns) {
    renderColumn(col.key, col.count, col.more, col.cards, seen, board.capped);
  }
  renderCorrupt(board.corrupt, seen);
  for (const id of [...state.cards.keys()]) {
    if (!seen.has(id)) state.cards.delete(id);
  }
  tickLeases();
  window.taskq.renders++;
  window.taskq.version = board.version;
  document.body.dataset.version = board.version;
  if (!state.painted) {
    state.painted = true;
    // After the next frame the cards are on screen: the figure bench/run reports as first paint.
    requestAnimationFrame(() => setTimeout(() => {
      window.taskq.firstPaint = performance.now();
      document.body.dataset.ready = 'true';
    }, 0));
  }
}

function renderTotals(board) {
  const n = Object.fromEntries(board.columns.map((c) => [c.key, c.count]));
  const parts = [
    [n.in_progress, 'in progress'], [n.pending, 'pending'], [n.blocked, 'blocked'],
    [n.completed, 'completed'], [n.failed, 'failed'],
  ];
  if (board.corrupt.length) parts.push([board.corrupt.length, 'corrupt']);
  const t = $('totals');
  t.replaceChildren(...parts.flatMap(([v, label], i) =>
    [i ? ' · ' : '', h('b', {}, number(v)), ' ' + label]));
  if (board.lane) t.append(' in lane ', h('b', {}, board.lane));
  document.title = `taskq · ${number(n.in_progress)} running · ${number(n.pending)} pending`;
}

function renderLanes(lanes) {
  const select = $('lane');
  const want = ['', ...lanes];
  if (state.lane && !want.includes(state.lane)) want.push(state.lane);
  const have = [...select.options].map((o) => o.value);
  if (have.join('\n') !== want.join('\n')) {
    select.replaceChildren(...want.map((l) => h('option', { value: l }, l || 'all lanes')));
    select.value = state.lane;
  }
  $('lanes').replaceChildren(...lanes.map((l) => h('option', { value: l })));
}

function renderColumn(key, count, more, cards, seen, capped) {
  const c = state.columns.get(key);
  const approx = capped && (key === 'pending' || key === 'blocked') ? '+' : '';
  c.count.textContent = number(count) + approx;
  const els = cards.map((card) => cardElement(card, seen));
  if (els.length === 0) els.push(c.empty);
  // Reorder only when needed, so the column's scroll position and focus survive an update.
  const now = [...c.cards.children];
  if (now.length !== els.length || now.some((e, i) => e !== els[i])) c.cards.replaceChildren(...els);
  c.more.hidden = more === 0;
  const next = Math.min(more, PAGE * 4);
  c.more.textContent = `Show ${number(next)} more (${number(more)} not shown)`;
  c.more.disabled = state.shown[key] >= MAX_SHOWN;
}

function renderCorrupt(files, seen) {
  const c = state.columns.get('corrupt');
  c.col.hidden = files.length === 0;
  c.count.textContent = number(files.length);
  c.cards.replaceChildren(...files.map((f) => {
    seen.add('corrupt:' + f.path);
    return h('article', { className: 'card corrupt' },
      h('div', { className: 'title' }, f.path),
      h('div', { className: 'waits reason' }, f.reason));
  }));
  c.more.hidden = true;
}

/** The card for one task, reused while nothing but the lease clock moved. */
function cardElement(card, seen) {
  seen.add(card.id);
  const { lease_left_seconds: left, ...rest } = card;
  const sig = JSON.stringify(rest);
  const old = state.cards.get(card.id);
  let el;
  if (old && old.sig === sig) {
    el = old.el;
  } else {
    el = buildCard(card);
    el.dataset.shownAt = String(performance.timeOrigin + performance.now());
    if (state.painted) el.classList.add('flash');
    state.cards.set(card.id, { el, sig });
  }
  if (left !== undefined && !card.claim_ended) el.dataset.deadline = String(Date.now() + left * 1000);
  return el;
}

function buildCard(c) {
  const state_ = c.blocked_by ? 'blocked' : c.state;
  const meta = h('div', { className: 'meta' });
  if (c.lane) meta.append(h('span', { className: 'chip lane' }, c.lane));
  if (c.priority) meta.append(h('span', { className: 'chip' }, `priority ${c.priority}`));
  if (c.attempt > 0 || c.state === 'in_progress') {
    meta.append(h('span', { className: 'chip' }, `attempt ${c.attempt}/${c.max_attempts}`));
  }
  if (c.claim_ended) {
    // The claim is over (lease ran out, holder process gone) but nobody took the task yet: it
    // stays in progress, and its holder may still finish it, until the next claim.
    meta.append(h('span', { className: 'chip expired', title: 'the next claim takes it back' },
      c.claim_ended));
  } else if (c.lease_left_seconds !== undefined) {
    meta.append(h('span', { className: 'chip lease' }));
  }
  if (c.holder) meta.append(h('span', { className: 'chip holder', title: c.holder }, c.holder));
  const el = h('article', {
    className: `card ${state_}`,
    tabIndex: 0,
    dataset: { id: c.id, state: c.state },
    attrs: { 'aria-label': c.title },
    on: {
      click: () => openTask(c.id),
      keydown: (e) => { if (e.key === 'Enter') openTask(c.id); },
    },
  }, h('div', { className: 'title' }, c.title), h('div', { className: 'id' }, c.id), meta);
  if (c.progress) el.append(progressBar(c.progress));
  if (c.blocked_by) el.append(h('div', { className: 'waits' }, 'waits for ' + c.blocked_by.join(', ')));
  return el;
}

function progressBar(p) {
  const fill = h('span');
  fill.style.width = `${Math.min(100, Math.max(0, p.percent))}%`;
  return h('div', { className: 'progress', title: `${p.done} of ${p.total}` },
    h('div', { className: 'bar' }, fill), `${p.percent}% ${number(p.done)}/${number(p.total)}`);
}

/** Lease clocks count down between updates, from the seconds the last read reported. */
function tickLeases() {
  const now = Date.now();
  for (const { el } of state.cards.values()) {
    const d = el.dataset.deadline;
    if (!d) continue;
    const chip = el.querySelector('.lease');
    if (!chip) continue;
    const left = (Number(d) - now) / 1000;
    const text = left <= 0 ? 'lease expired' : `lease ${duration(left)}`;
    if (chip.textContent !== text) chip.textContent = text;
    chip.classList.toggle('expired', left <= 0);
  }
}

// ------------------------------------------------------------------ one task

function openTask(id) {
  const q = new URLSearchParams(location.hash.slice(1));
  q.set('task', id);
  location.hash = q.toString();
}

function closeTask() {
  const q = new URLSearchParams(location.hash.slice(1));
  q.delete('task');
  history.replaceState(null, '', q.toString() ? '#' + q.toString() : location.pathname);
  route();
}

async function loadTask() {
  if (!state.task) return;
  if (state.taskLoading) {
    state.taskAgain = true;
    return;
  }
  state.taskLoading = true;
  const id = state.task;
  try {
    const t = await api('/api/tasks/' + encodeURIComponent(id));
    if (state.task === id) renderTask(t);
  } catch (e) {
    if (state.task === id) {
      $('task').replaceChildren(h('h1', {}, id), h('p', { className: 'error' }, e.line));
    }
    if (e.status === 403) secretLost();
  } finally {
    state.taskLoading = false;
    if (state.taskAgain) {
      state.taskAgain = false;
      loadTask();
    }
  }
}

function section(title, ...content) {
  return [h('h2', {}, title), ...content];
}

function md(text) {
  const d = h('div', { className: 'md' });
  d.append(renderMarkdown(text));
  return d;
}

function renderTask(t) {
  const facts = h('dl', { className: 'facts' });
  const fact = (k, v) => { if (v !== undefined && v !== null && v !== '') facts.append(h('dt', {}, k), h('dd', {}, v)); };
  fact('state', t.claim_ended
    ? `${t.state.replace('_', ' ')}: ${t.claim_ended}; the next claim takes it back`
    : t.state.replace('_', ' '));
  fact('lane', t.lane);
  fact('priority', String(t.priority));
  fact('attempt', `${t.attempt} of ${t.max_attempts}`);
  fact('holder', t.holder);
  if (t.lease_left_seconds !== undefined) {
    fact('lease', t.lease_left_seconds > 0 ? `${duration(t.lease_left_seconds)} left` : 'ran out');
  }
  if (t.progress) facts.append(h('dt', {}, 'progress'), h('dd', {}, progressBar(t.progress)));
  fact('after', t.after.join(', '));
  fact('waits for', t.blocked_by.join(', '));
  fact('created', when(t.created));
  fact('finished', t.finished ? `${when(t.finished)} (${t.outcome})` : undefined);

  const actions = h('div', { className: 'actions' });
  if (t.state === 'failed' || t.state === 'in_progress') {
    actions.append(h('button', { type: 'button', dataset: { action: 'requeue' },
      title: 'back to pending with fresh attempts', on: { click: () => act(t.id, 'requeue') } },
      'Requeue'));
  }
  if (t.state === 'in_progress') {
    actions.append(h('button', { type: 'button', dataset: { action: 'release' },
      title: 'end the claim now; the holder is fenced', on: { click: () => act(t.id, 'release') } },
      'Release claim'));
  }
  if (t.state === 'pending' || t.state === 'in_progress') {
    actions.append(h('button', { type: 'button', dataset: { action: 'cancel' },
      title: 'never claimed again', on: { click: () => openCancel(t.id) } }, 'Cancel…'));
  }
  if (t.state !== 'completed') {
    const input = h('input', { type: 'number', min: -1000, max: 1000, value: String(t.priority),
      name: 'priority', attrs: { 'aria-label': 'priority' } });
    const set = () => act(t.id, 'priority', { priority: input.value });
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') set(); });
    actions.append(h('span', { className: 'priority' }, 'priority', input,
      h('button', { type: 'button', dataset: { action: 'priority' }, on: { click: set } }, 'Set')));
  }

  const parts = [
    h('h1', {}, t.title),
    h('div', { className: 'sub' }, t.id),
    facts,
    actions,
    ...section('Criterion', md(t.criterion)),
  ];
  if (t.instructions) parts.push(...section('Instructions', md(t.instructions)));
  if (t.checkpoints.length) {
    parts.push(...section(`Checkpoints (${t.checkpoints.length})`, h('ol', { className: 'timeline' },
      [...t.checkpoints].reverse().map((c) => h('li', {},
        h('div', { className: 'when' }, `#${c.n} · attempt ${c.attempt} · ${when(c.at)}`
          + (c.holder ? ` · ${c.holder}` : '')),
        c.progress ? progressBar(c.progress) : null,
        md(c.summary),
        c.findings ? [h('div', { className: 'label' }, 'Findings'), md(c.findings)] : null,
        c.next ? [h('div', { className: 'label' }, 'Next'), md(c.next)] : null)))));
  }
  if (t.result || t.reason || t.outcome) {
    parts.push(...section('Result',
      t.reason ? h('p', { className: 'reason' }, t.reason) : null,
      t.result ? md(t.result) : h('p', { className: 'empty' }, 'no result text')));
  }
  parts.push(...section('Log', t.log.length
    ? h('pre', { className: 'log' }, t.log.join('\n'))
    : h('p', { className: 'empty' }, 'no log lines about this task among the latest')));
  $('task').replaceChildren(...parts);
}

async function act(id, verb, body) {
  try {
    const r = await post(`/api/tasks/${encodeURIComponent(id)}/${verb}`, body);
    toast(r.message);
    return true;
  } catch (e) {
    toast(e.line, true);
    if (e.status === 403) secretLost();
    return false;
  } finally {
    loadTask();
    loadBoard();
  }
}

function openCancel(id) {
  const f = $('cancel-form');
  f.reset();
  f.dataset.id = id;
  $('cancel-id').textContent = id;
  $('cancel-error').hidden = true;
  $('cancel-dialog').showModal();
  f.elements.reason.focus();
}

async function submitCancel(e) {
  e.preventDefault();
  const f = $('cancel-form');
  try {
    const r = await post(`/api/tasks/${encodeURIComponent(f.dataset.id)}/cancel`,
      { reason: f.elements.reason.value });
    $('cancel-dialog').close();
    toast(r.message);
  } catch (err) {
    $('cancel-error').textContent = err.line;
    $('cancel-error').hidden = false;
    if (err.status === 403) secretLost();
  }
  loadTask();
  loadBoard();
}

function route() {
  const q = new URLSearchParams(location.hash.slice(1));
  const lane = q.get('lane') || '';
  if (lane !== state.lane) {
    state.lane = lane;
    $('lane').value = lane;
    loadBoard();
  }
  const id = q.get('task');
  state.task = id;
  $('drawer').hidden = !id;
  if (id) {
    $('task').replaceChildren(h('p', { className: 'empty' }, 'loading…'));
    loadTask();
  }
}

// ------------------------------------------------------------------ adding a task

function openAdd() {
  const f = $('add-form');
  $('add-error').hidden = true;
  for (const e of f.querySelectorAll('.invalid')) e.classList.remove('invalid');
  if (state.lane && !f.elements.lane.value) f.elements.lane.value = state.lane;
  $('add-dialog').showModal();
  f.elements.title.focus();
}

async function submitAdd(e) {
  e.preventDefault();
  const f = $('add-form');
  const body = {};
  for (const name of ['title', 'criterion', 'instructions', 'lane', 'priority', 'after', 'max_attempts']) {
    body[name] = f.elements[name].value;
  }
  for (const el of f.querySelectorAll('.invalid')) el.classList.remove('invalid');
  try {
    const r = await post('/api/tasks', body);
    $('add-dialog').close();
    f.reset();
    toast(r.message);
    loadBoard();
  } catch (err) {
    const p = $('add-error');
    p.textContent = err.line;
    p.hidden = false;
    const field = err.field && f.elements[err.field.split(/[.[]/)[0]];
    if (field) {
      field.classList.add('invalid');
      field.focus();
    }
    if (err.status === 403) secretLost();
  }
}

// ------------------------------------------------------------------ workers

async function loadWorkers() {
  let w;
  try {
    w = await api('/api/workers');
  } catch {
    return; // the board's own read reports what is wrong
  }
  const panel = $('workers');
  const workers = (w && w.workers) || [];
  panel.hidden = !w || !w.running;
  const pb = $('pool-banner');
  if (w && w.paused) {
    pb.textContent = `PAUSED: ${w.paused.reason}` + (w.paused.until ? `; resuming at ${when(w.paused.until)}` : '');
    pb.hidden = false;
  } else {
    pb.hidden = true;
  }
  $('worker-rows').replaceChildren(...workers.map((x) => h('tr', { dataset: { worker: x.name } },
    h('td', {}, x.name),
    h('td', {}, x.state),
    h('td', {}, x.task ? h('a', { href: '#task=' + encodeURIComponent(x.task) }, x.task) : '—'),
    h('td', {}, x.turns === undefined ? '' : number(x.turns)),
    h('td', {}, x.cost_usd === undefined ? '' : '$' + Number(x.cost_usd).toFixed(2)),
    h('td', {}, when(x.since)))));
}

// ------------------------------------------------------------------ live updates

function setLive(on) {
  const l = $('live');
  l.className = on ? 'live on' : 'live off';
  l.textContent = on ? 'live' : 'connection lost — reconnecting…';
  if (on) {
    state.lastSeen = null;
    banner('connection', null);
  } else {
    state.lastSeen = state.lastSeen || new Date();
    banner('connection', 'Connection to the dashboard lost — reconnecting by itself. The board shows'
      + ` the queue as it was at ${state.lastSeen.toLocaleTimeString()}.`, 'bad');
  }
}

function secretLost() {
  banner('secret', 'This page no longer has a valid secret (the dashboard was restarted?): open the'
    + ' URL that `taskq dashboard` printed.', 'bad');
}

function connect() {
  if (state.source) state.source.close();
  const es = new EventSource('/api/events');
  state.source = es;
  es.addEventListener('hello', () => {
    state.retry = 1000;
    setLive(true);
    banner('secret', null);
    // Whatever changed while the stream was down: read it all again.
    loadBoard();
    loadTask();
    loadWorkers();
  });
  es.addEventListener('change', (e) => {
    const v = JSON.parse(e.data).version;
    if (v !== state.version) {
      loadBoard();
      loadTask();
      loadWorkers();
    }
  });
  es.addEventListener('workers', () => loadWorkers());
  es.onerror = () => {
    setLive(false);
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (an answer that was not a stream, e.g. 403 after a restart): ask
      // again ourselves, backing off to 10 s, and say why when the server says no.
      api('/api/board?pending=1').catch((e) => { if (e.status === 403) secretLost(); });
      setTimeout(connect, state.retry);
      state.retry = Math.min(10000, state.retry * 2);
    }
  };
}

// ------------------------------------------------------------------ start

function start() {
  buildColumns();
  $('lane').addEventListener('change', (e) => {
    const q = new URLSearchParams(location.hash.slice(1));
    if (e.target.value) q.set('lane', e.target.value); else q.delete('lane');
    location.hash = q.toString();
  });
  $('add').addEventListener('click', openAdd);
  $('add-cancel').addEventListener('click', () => $('add-dialog').close());
  $('add-form').addEventListener('submit', submitAdd);
  $('drawer-close').addEventListener('click', closeTask);
  $('cancel-form').addEventListener('submit', submitCancel);
  $('cancel-keep').addEventListener('click', () => $('cancel-dialog').close());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('drawer').hidden && !$('add-dialog').open
        && !$('cancel-dialog').open) closeTask();
  });
  window.addEventListener('hashchange', route);
  setInterval(tickLeases, 1000);
  const q = new URLSearchParams(location.hash.slice(1));
  state.lane = q.get('lane') || '';
  route();
  loadBoard();
  connect();
}

start();
