/* Kundendialog agent console (served at /console): wiring of api.js, state.js
 * and view.js — login, loading, websocket, and the buttons and forms of
 * console.html. Labels come once at start from GET /api/v1/states.
 */
import { byId as $ } from '../shared/dom.js';
import { createApi } from './api.js';
import { ConsoleState, reconnectDelay } from './state.js';
import { createView } from './view.js';

const enc = encodeURIComponent;
const TOKEN_KEY = 'kd-agent-token';
const PING_INTERVAL = 60000;

const S = new ConsoleState();
const net = { token: null, ws: null, wsTimer: null, wsAttempts: 0, wsEverOpen: false, audio: null };
const api = createApi({ token: () => net.token, onUnauthorized: () => logoutLocal() });
const call = (method, path, body) => api.call(method, path, body);
const view = createView(S, {
  openConversation: (id) => openConversation(id),
  claim: (id) => claim(id),
  openTicketConversation: (id) => { showView('chats'); openConversation(id); },
  closeTicket: (t) => run(async () => {
    const d = await call('POST', `/agent/tickets/${enc(t.id)}/close`);
    S.upsertTicket((d && d.ticket) || Object.assign({}, t, { status: 'closed' }));
    view.renderTickets();
  }),
});

// Loaded once; a missing or failed list leaves the raw values on screen.
const labelsReady = api.states().then((d) => { S.labels = d; }, () => {});

// Runs an async action, showing API errors in the banner.
async function run(fn) {
  try { return await fn(); } catch (e) { view.showError(e.message); return undefined; }
}

$('error-close').addEventListener('click', view.hideError);

// --- Auth -------------------------------------------------------------------------
function logoutLocal() {
  net.token = null;
  S.me = null;
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(net.wsTimer);
  if (net.ws) { const w = net.ws; net.ws = null; w.close(); }
  net.wsEverOpen = false;
  S.reset();
  view.showLogin();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  view.hideError();
  const btn = $('login-submit');
  btn.disabled = true;
  try {
    const d = await call('POST', '/agent/login', { email: $('login-email').value.trim(), password: $('login-password').value });
    net.token = d.token;
    sessionStorage.setItem(TOKEN_KEY, d.token);
    $('login-password').value = '';
    await labelsReady;
    startApp(d.agent);
  } catch (err) {
    view.showError(err.message);
  } finally {
    btn.disabled = false;
  }
});

$('logout-btn').addEventListener('click', async () => {
  try { await call('POST', '/agent/logout'); } catch (e) { /* logging out anyway */ }
  logoutLocal();
});

function startApp(agent) {
  S.me = agent || {};
  view.showApp();
  if (S.me.status === 'online' || S.me.status === 'away') $('presence').value = S.me.status;
  else setPresence('online');
  showView('chats');
  run(loadQueue);
  run(loadConvs);
  run(loadTickets);
  run(loadAgents);
  run(loadCanned);
  connectWs();
}

async function boot() {
  net.token = sessionStorage.getItem(TOKEN_KEY);
  if (!net.token) return view.showLogin();
  try {
    const d = await call('GET', '/agent/me');
    await labelsReady;
    startApp(d.agent || d);
  } catch (e) {
    if (e.status !== 401) view.showError(e.message);
    view.showLogin();
  }
  return undefined;
}

// --- Presence / activity --------------------------------------------------------------
async function setPresence(status) {
  try {
    await call('POST', '/agent/presence', { status });
    $('presence').value = status;
  } catch (e) { view.showError(e.message); }
}
$('presence').addEventListener('change', (e) => setPresence(e.target.value));

// Any API call counts as activity; otherwise ping at most once a minute.
function onActivity() {
  if (!net.token || !S.me || Date.now() - api.lastApiAt < PING_INTERVAL) return;
  api.lastApiAt = Date.now();
  call('POST', '/agent/presence', { status: $('presence').value || 'online' }).catch(() => {});
}
['mousedown', 'keydown', 'mousemove', 'touchstart', 'focus'].forEach((ev) => window.addEventListener(ev, onActivity, { passive: true }));

// --- Tabs, queue, sound ------------------------------------------------------------------
function showView(name) {
  view.showTab(name);
  if (name === 'tickets') run(loadTickets);
}
document.querySelectorAll('.tabs [role=tab]').forEach((t) => t.addEventListener('click', () => showView(t.dataset.tab)));

async function loadQueue() {
  const d = await call('GET', '/agent/queue');
  queueChanged(S.setQueue(d.handoffs || []));
}

function queueChanged(fresh) {
  view.renderQueue();
  view.updateTitle();
  if (fresh) beep();
}

setInterval(view.tickWaits, 1000);

function beep() {
  if (!$('sound').checked) return;
  try {
    const ctx = net.audio || (net.audio = new (window.AudioContext || window.webkitAudioContext)());
    const osc = ctx.createOscillator(), gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.25);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.25);
  } catch (e) { /* audio unavailable */ }
}
// Create the audio context inside a user gesture so browsers allow playback.
$('sound').addEventListener('change', (e) => {
  if (e.target.checked && !net.audio) {
    try { net.audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (err) { /* no audio */ }
  }
});

async function claim(id) {
  try {
    const d = await call('POST', `/agent/conversations/${enc(id)}/claim`);
    S.dropFromQueue(id);
    view.renderQueue();
    view.updateTitle();
    if (d.conversation) upsertConv(d.conversation);
    await openConversation(id);
    $('reply-text').focus();
  } catch (e) {
    if (e.status === 409) {
      view.showError(e.message || 'Dieses Gespräch wurde bereits von einem anderen Mitarbeiter übernommen.');
      run(loadQueue);
      if (S.openId === id) openConversation(id);
    } else {
      view.showError(e.message);
    }
  }
}

// --- Conversations ---------------------------------------------------------------------------
async function loadConvs() {
  const d = await call('GET', '/agent/conversations');
  S.setConvs(d.conversations);
  view.renderConvList();
}

function upsertConv(c) {
  const r = S.upsertConv(c);
  if (!r) return;
  view.renderConvList();
  if (r.open) view.renderConvHeader();
}

async function openConversation(id) {
  S.openId = id;
  let d;
  try { d = await call('GET', `/agent/conversations/${enc(id)}`); } catch (e) { view.showError(e.message); return; }
  if (S.openId !== id) return;
  S.setOpen(id, d);
  view.showConversation();
  view.renderConvHeader();
  view.renderSummary(d.handoff, d.conversation);
  (d.messages || []).forEach(view.appendMessage);
  view.renderNotes(d.notes || []);
  run(loadAgents);
  view.renderConvList();
  view.renderQueue();
}

$('note-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('note-text').value.trim();
  const id = S.openId;
  if (!text || !id) return;
  run(async () => {
    const d = await call('POST', `/agent/conversations/${enc(id)}/notes`, { text });
    $('note-text').value = '';
    const note = d.note || (d.id ? d : null);
    if (note && S.openId === id) view.addNote(note);
    else if (S.openId === id) await openConversation(id);
  });
});

// --- Reply / canned ----------------------------------------------------------------------------
$('reply-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('reply-text').value.trim();
  const id = S.openId;
  if (!text || !id) return;
  $('reply-send').disabled = true;
  run(async () => {
    const d = await call('POST', `/agent/conversations/${enc(id)}/messages`, { text });
    $('reply-text').value = '';
    const msg = d.message || (d.messages && d.messages[0]) || (d.id ? d : null);
    if (msg && S.openId === id) view.appendMessage(msg);
  }).finally(() => { $('reply-send').disabled = $('reply-text').disabled; $('reply-text').focus(); });
});

$('reply-text').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $('reply-form').requestSubmit();
  }
});

async function loadCanned() {
  const d = await call('GET', '/agent/canned');
  S.canned = d.canned || [];
  view.renderCanned();
}

$('canned-select').addEventListener('change', (e) => {
  const c = S.canned.find((x) => String(x.id) === e.target.value);
  e.target.value = '';
  if (!c) return;
  const ta = $('reply-text');
  const start = ta.selectionStart != null ? ta.selectionStart : ta.value.length;
  const end = ta.selectionEnd != null ? ta.selectionEnd : start;
  ta.value = ta.value.slice(0, start) + c.text + ta.value.slice(end);
  ta.focus();
  ta.selectionStart = ta.selectionEnd = start + c.text.length;
});

// --- Actions -----------------------------------------------------------------------------------
async function loadAgents() {
  const d = await call('GET', '/agent/agents');
  S.agents = d.agents || [];
  if (S.open) view.renderConvHeader();
  else view.renderTransferOptions();
}

// Performs a conversation action, then refreshes view and lists.
function convAction(path, body) {
  const id = S.openId;
  if (!id) return Promise.resolve();
  return run(async () => {
    const d = await call('POST', `/agent/conversations/${enc(id)}/${path}`, body);
    if (d && d.conversation) upsertConv(d.conversation);
    await Promise.all([loadConvs(), openConversation(id)]);
  });
}

$('claim-btn').addEventListener('click', () => S.openId && claim(S.openId));
$('handback-btn').addEventListener('click', () => convAction('handback'));
$('transfer-btn').addEventListener('click', () => {
  const agentId = $('transfer-select').value;
  if (!agentId) { view.showError('Bitte wählen Sie einen Mitarbeiter für die Weiterleitung aus.'); return; }
  const agent = S.agents.find((a) => String(a.id) === agentId);
  convAction('transfer', { agent_id: agent ? agent.id : agentId });
});
$('close-btn').addEventListener('click', () => {
  const resolution = $('close-resolution').value.trim();
  convAction('close', { resolution }).then(() => { $('close-resolution').value = ''; });
});

// --- Tickets -----------------------------------------------------------------------------------
async function loadTickets() {
  const d = await call('GET', '/agent/tickets');
  S.setTickets(d.tickets);
  view.renderTickets();
}

// --- WebSocket ---------------------------------------------------------------------------------
function connectWs() {
  if (!net.token || net.ws || typeof WebSocket === 'undefined') return;
  clearTimeout(net.wsTimer);
  const sock = api.socket(net.token);
  net.ws = sock;
  sock.onopen = () => {
    net.wsAttempts = 0;
    view.setWsStatus(true);
    if (net.wsEverOpen) resync();
    net.wsEverOpen = true;
  };
  sock.onmessage = (e) => {
    let f;
    try { f = JSON.parse(e.data); } catch (err) { return; }
    handleFrame(f);
  };
  sock.onclose = () => {
    if (net.ws !== sock) return;
    net.ws = null;
    view.setWsStatus(false);
    if (!net.token) return;
    net.wsTimer = setTimeout(connectWs, reconnectDelay(net.wsAttempts++));
  };
}

// After a reconnect: fetch everything that may have changed meanwhile.
function resync() {
  run(loadQueue);
  run(loadConvs);
  run(loadTickets);
  if (S.openId) {
    const id = S.openId;
    call('GET', `/agent/conversations/${enc(id)}`).then((d) => {
      if (S.openId !== id) return;
      S.open = d;
      view.renderConvHeader();
      (d.messages || []).forEach(view.appendMessage);
    }).catch(() => {});
  }
}

function handleFrame(f) {
  const r = S.applyFrame(f);
  if (!r) return;
  if (r.queue) queueChanged(r.fresh);
  if (r.append) view.appendMessage(r.append);
  if (r.convs) view.renderConvList();
  if (r.header) view.renderConvHeader();
  if (r.tickets) view.renderTickets();
}

boot();
