/* Kundendialog agent console (served at /console): wiring of api.js, state.js
 * and view.js — login, loading, websocket, and the buttons and forms of
 * console.html. Labels come once at start from GET /api/v1/states.
 */
import { byId as $ } from '../shared/dom.js';
import { createApi } from './api.js';
import {
  ConsoleState, SESSION_ENDED, mailsPending, needsOtp, reconnectDelay, twoFactorForm,
} from './state.js';
import { createView } from './view.js';
import { createMacros } from './macros.js';
import { createMentions } from './mentions.js';
import { createSla } from './sla.js';
import { createTickets } from './tickets.js';
import { createHistory } from './history.js';

const enc = encodeURIComponent;
const TOKEN_KEY = 'kd-agent-token';
const PING_INTERVAL = 60000;

const S = new ConsoleState();
const net = { token: null, ws: null, wsConnecting: false, wsTimer: null, wsAttempts: 0, wsEverOpen: false, audio: null };
const twofa = { pending: null }; // {secret, otpauth_uri} while a set-up waits for its first code
const api = createApi({ token: () => net.token, onUnauthorized: () => logoutLocal() });
const call = (method, path, body) => api.call(method, path, body);
const view = createView(S, {
  openConversation: (id) => openConversation(id),
  claim: (id) => claim(id),
  openTicketConversation: (id) => { showView('chats'); openConversation(id); },
  loadFile: (a, variant) => loadFile(a, variant),
  sendMail: (t, text) => sendMail(t, text),
  saveTeams: (agent, keys) => saveTeams(agent, keys),
});

// Requests (issue 27.7, 27.9) and the open conversation's tags and customer history (27.9, 27.12).
const tickets = createTickets(S, call, {
  showError: (m) => view.showError(m),
  confirm: (m) => view.confirmAction(m),
  mailSection: (t) => view.mailSection(t),
  summaryList: (s, keys) => view.summaryList(s, keys),
  openConversation: (id) => { showView('chats'); openConversation(id); },
  conversationTaken: (c) => { upsertConv(c); run(loadConvs); showView('chats'); openConversation(c.conversation_id).then(() => $('reply-text').focus()); },
  loadMails: (id) => loadMails(id),
});
const history = createHistory(S, call, {
  showError: (m) => view.showError(m), confirm: (m) => view.confirmAction(m), openId: () => S.openId,
  conversationTaken: (c) => { upsertConv(c); openConversation(c.conversation_id).then(() => $('reply-text').focus()); },
});

// Macros in the reply box, "Für mich" and who else is in a conversation, SLA time left (27.10, 27.11, 27.13).
const APPLIED = {
  close: 'Makro gesendet, das Gespräch ist abgeschlossen.',
  handback: 'Makro gesendet, das Gespräch ist wieder beim Bot.',
};
const macros = createMacros(S, call, {
  showError: (m) => view.showError(m),
  announce: (m) => view.announce(m),
  applied: async (id, d) => {
    if (d.conversation) upsertConv(d.conversation);
    if (d.action) view.confirmAction(APPLIED[d.action] || 'Makro gesendet, das Gespräch wartet beim anderen Team.');
    await Promise.all([loadConvs(), openConversation(id, true)]);
  },
});
const mentions = createMentions(S, call, {
  openConversation: (id) => { showView('chats'); return openConversation(id); },
  send: (frame) => wsSend(frame),
  announce: (m) => view.announce(m),
  beep: () => beep(),
});
const sla = createSla(S, call, { announce: (m) => view.announce(m) });

// Loaded once; a missing or failed list leaves the raw values on screen.
const labelsReady = api.states().then((d) => { S.labels = d; }, () => {});

// Runs an async action, showing API errors in the banner.
async function run(fn) {
  try { return await fn(); } catch (e) { view.showError(e.message); return undefined; }
}

$('error-close').addEventListener('click', view.hideError);
$('notice-close').addEventListener('click', () => { $('notice-banner').hidden = true; });

// --- Auth -------------------------------------------------------------------------
function showOtp(show) {
  ['login-otp-label', 'login-otp', 'login-otp-hint'].forEach((id) => { $(id).hidden = !show; });
  $('login-otp').required = show;
  if (!show) $('login-otp').value = '';
}

function logoutLocal() {
  net.token = null;
  S.me = null;
  twofa.pending = null;
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(net.wsTimer);
  if (net.ws) { const w = net.ws; net.ws = null; w.close(); }
  net.wsEverOpen = false;
  S.reset();
  sla.stop();
  mentions.stop();
  showOtp(false);
  $('setup-view').hidden = true;
  view.showLogin();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  view.hideError();
  const btn = $('login-submit');
  btn.disabled = true;
  try {
    const body = { email: $('login-email').value.trim(), password: $('login-password').value };
    const otp = $('login-otp').value.replace(/\s+/g, '');
    if (!$('login-otp').hidden && otp) body.otp = otp;
    const d = await call('POST', '/agent/login', body);
    net.token = d.token;
    sessionStorage.setItem(TOKEN_KEY, d.token);
    $('login-password').value = '';
    showOtp(false);
    await labelsReady;
    if (d.two_factor_setup_required) await showSetup();
    else startApp(d.agent);
  } catch (err) {
    if (needsOtp(err)) {
      showOtp(true);
      $('login-otp').value = '';
      $('login-otp').focus();
      if (err.code === 'invalid_otp') view.showError(err.message);
    } else {
      view.showError(err.message);
    }
  } finally {
    btn.disabled = false;
  }
});

$('logout-btn').addEventListener('click', async () => {
  try { await call('POST', '/agent/logout'); } catch (e) { /* logging out anyway */ }
  logoutLocal();
});

// --- Two-factor set-up required right after login (admins, when the hub says so) ---------
// Two steps: the one-time enrolment code another admin issued starts it (the password alone does
// not), then the first code from the authenticator app confirms it.
function setupStep(started) {
  $('setup-start').hidden = started;
  $('setup-confirm').hidden = !started;
  $('setup-enrolment-code').required = !started;
  $('setup-code').required = started;
  $('setup-submit').textContent = started ? 'Bestätigen' : 'Weiter';
  $(started ? 'setup-code' : 'setup-enrolment-code').focus();
}

async function showSetup() {
  $('login-view').hidden = true;
  $('app').hidden = true;
  $('setup-view').hidden = false;
  $('setup-enrolment-code').value = '';
  $('setup-secret').value = '';
  $('setup-code').value = '';
  setupStep(false);
}

$('setup-form').addEventListener('submit', (e) => {
  e.preventDefault();
  run(async () => {
    if (!$('setup-start').hidden) {
      const d = await call('POST', '/agent/2fa/enroll', { enrolment_code: $('setup-enrolment-code').value.trim() });
      $('setup-enrolment-code').value = '';
      $('setup-secret').value = d.secret || '';
      $('setup-uri').href = d.otpauth_uri || '#';
      setupStep(true);
      return;
    }
    const agent = await call('POST', '/agent/2fa/confirm', { code: $('setup-code').value.replace(/\s+/g, '') });
    $('setup-view').hidden = true;
    $('setup-secret').value = '';
    startApp(agent);
  });
});

$('setup-cancel').addEventListener('click', async () => {
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
  run(macros.load);
  run(mentions.load);
  sla.start();
  run(loadTeams);
  connectWs();
}

async function boot() {
  net.token = sessionStorage.getItem(TOKEN_KEY);
  if (!net.token) return view.showLogin();
  try {
    const d = await call('GET', '/agent/me');
    await labelsReady;
    if (d.two_factor_setup_required) await showSetup();
    else startApp(d.agent || d);
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
  $('view-account').hidden = name !== 'account';
  if (name === 'tickets') run(loadTickets);
  if (name === 'teams') run(loadTeams);
  if (name === 'account') renderAccount();
}
document.querySelectorAll('.tabs [role=tab]').forEach((t) => t.addEventListener('click', () => showView(t.dataset.tab)));
// One tab stop for the tab list (roving tabindex): the selected tab; arrow keys, Home and End move (issue 27.6).
const tabs = () => [...document.querySelectorAll('.tabs [role=tab]')].filter((t) => !t.hidden);
function syncTabStops() { tabs().forEach((t) => { t.tabIndex = t.getAttribute('aria-selected') === 'true' ? 0 : -1; }); }
new MutationObserver(syncTabStops).observe(document.querySelector('.tabs'), { attributes: true, subtree: true, attributeFilter: ['aria-selected', 'hidden'] });
syncTabStops();
document.querySelector('.tabs').addEventListener('keydown', (e) => {
  const list = tabs(), i = list.indexOf(document.activeElement);
  if (i < 0) return;
  const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: list.length - 1 }[e.key];
  if (next === undefined) return;
  e.preventDefault();
  const t = list[(next + list.length) % list.length];
  t.focus();
  t.click();
});

async function loadQueue() {
  const d = await call('GET', '/agent/queue');
  queueChanged(S.setQueue(d.handoffs || []));
}

function queueChanged(fresh) {
  view.renderQueue();
  view.updateTitle();
  if (fresh) beep();
  if (!$('view-teams').hidden) refreshTeamsSoon();
}

// --- Teams: status, queue filter, transfer to a team, memberships (admins) ---------------------
async function loadTeams() {
  const d = await call('GET', '/agent/teams');
  S.setTeams(d);
  view.renderTeamFilter();
  view.renderQueue();
  view.renderTeams();
  tickets.renderFilters();
  if (S.open) view.renderConvHeader();
}

let teamsTimer = null; // waiting counts change with every queue frame: ask again at most every 2 s
function refreshTeamsSoon() {
  if (teamsTimer) return;
  teamsTimer = setTimeout(() => { teamsTimer = null; if (net.token) run(loadTeams); }, 2000);
}

// The tag filter narrows the queue and "Meine Gespräche" alike (issue 27.9).
$('queue-tag').addEventListener('change', (e) => {
  S.tagFilter = e.target.value;
  view.renderQueue();
  view.renderConvList();
  view.announce(`${S.visibleQueue().length} wartend, ${S.convList().length} meiner Gespräche.`);
});

$('queue-team').addEventListener('change', (e) => {
  S.teamFilter = e.target.value;
  view.renderQueue();
  view.announce(S.teamFilter ? `Warteschlange von ${S.teamName(S.teamFilter)}: ${S.visibleQueue().length} wartend.`
    : `Alle Teams: ${S.visibleQueue().length} wartend.`);
});

$('team-transfer-btn').addEventListener('click', () => {
  const key = $('team-transfer-select').value;
  if (!key) { view.showError('Bitte wählen Sie ein Team für die Übergabe aus.'); $('team-transfer-select').focus(); return; }
  const name = S.teamName(key);
  convAction('transfer-team', { team: key }).then((ok) => {
    if (!ok) return;
    view.confirmAction(`Das Gespräch wurde an das Team ${name} übergeben.`);
    run(loadQueue);
    // the conversation may be gone from this agent's view (another team's queue now): focus stays in reach
    const target = !$('conv-body').hidden ? $('claim-btn') : document.querySelector('#queue .queue-item') || $('tab-chats');
    (target.hidden ? $('tab-chats') : target).focus();
  });
});

async function saveTeams(agent, keys) {
  const status = $('team-members-status');
  status.textContent = '';
  const d = await run(() => call('POST', `/agent/agents/${enc(agent.id)}/teams`, { teams: keys }));
  if (!d) return;
  S.teams.members[String(agent.id)] = d.teams || keys;
  status.textContent = `Teams von ${agent.name} gespeichert: ${(d.teams || keys).map((k) => S.teamName(k)).join(', ')}.`;
  run(loadTeams);
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
    const { tags } = S.queue.find((q) => q.conversation_id === id) || {}; // its tags stay shown (27.9)
    S.dropFromQueue(id);
    view.renderQueue();
    view.updateTitle();
    if (d.conversation) upsertConv(tags ? Object.assign({}, d.conversation, { tags }) : d.conversation);
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

// The conversation pane goes back to its placeholder.
function closeOpen() {
  mentions.opened(null);
  S.openId = null;
  S.open = null;
  $('conv-body').hidden = true;
  $('conv-empty').hidden = false;
  view.renderConvList();
  view.renderQueue();
}

// quiet: after a hand-back or close the conversation may no longer be visible to an agent (403): no banner.
async function openConversation(id, quiet = false) {
  S.openId = id;
  let d;
  try {
    d = await call('GET', `/agent/conversations/${enc(id)}`);
  } catch (e) {
    if (e.status === 403 && S.openId === id) closeOpen();
    if (!(quiet && e.status === 403)) view.showError(e.message);
    return;
  }
  if (S.openId !== id) return;
  S.setOpen(id, d);
  view.showConversation();
  view.renderConvHeader();
  view.renderSummary(d.handoff, d.conversation);
  (d.messages || []).forEach(view.appendMessage);
  view.setCustomerTyping(false);
  markRead();
  view.renderNotes(d.notes || []);
  macros.opened();
  mentions.opened(id);
  sla.renderOpen();
  history.open(id);
  run(loadAgents);
  view.renderConvList();
  view.renderQueue();
}

// A search hit (search.js) opens its conversation here.
document.addEventListener('kd:open-conversation', (e) => {
  showView('chats');
  openConversation(e.detail.id).then(view.focusConversation);
});

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

// --- Attachments -------------------------------------------------------------------------------
const fileUrls = new Map(); // "<conversation>/<id>:<variant>" -> Promise of a blob: URL
function loadFile(a, variant) {
  const key = `${S.openId}/${a.id}:${variant}`;
  if (!fileUrls.has(key)) {
    const p = api.blob(`/agent/conversations/${enc(S.openId)}/attachments/${enc(a.id)}?variant=${variant}`)
      .then((blob) => URL.createObjectURL(blob));
    p.catch(() => fileUrls.delete(key));
    fileUrls.set(key, p);
  }
  return fileUrls.get(key);
}

$('reply-attach').addEventListener('click', () => $('reply-file').click());
$('reply-file').addEventListener('change', () => {
  const input = $('reply-file');
  const file = input.files && input.files[0];
  input.value = '';
  const id = S.openId;
  if (!file || !id) return;
  run(async () => {
    const msg = await api.upload(`/agent/conversations/${enc(id)}/attachments`, file);
    if (msg && msg.id && S.openId === id) view.appendMessage(msg);
  }).finally(() => $('reply-attach').focus());
});

// --- Reply / canned ----------------------------------------------------------------------------
$('reply-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('reply-text').value.trim();
  const id = S.openId;
  if (!text || !id) return;
  $('reply-send').disabled = true;
  run(async () => {
    const d = macros.pending() ? await macros.send(text) // a macro: its tags and action too
      : await call('POST', `/agent/conversations/${enc(id)}/messages`, { text });
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

// Canned replies are macros now (company.yml's are imported as shared macros): macros.js.

// --- Actions -----------------------------------------------------------------------------------
async function loadAgents() {
  const d = await call('GET', '/agent/agents');
  S.agents = d.agents || [];
  if (S.open) view.renderConvHeader();
  else view.renderTransferOptions();
  if (!$('view-teams').hidden && !$('team-members').hidden) view.renderTeams();
}

// Performs a conversation action, then refreshes view and lists.
function convAction(path, body) {
  const id = S.openId;
  if (!id) return Promise.resolve();
  return run(async () => {
    const d = await call('POST', `/agent/conversations/${enc(id)}/${path}`, body);
    view.hideError(); // an earlier failed try of this action is resolved
    if (d && d.conversation) upsertConv(d.conversation);
    await Promise.all([loadConvs(), openConversation(id, true)]);
    return true;
  });
}

$('claim-btn').addEventListener('click', () => S.openId && claim(S.openId));
$('handback-btn').addEventListener('click', () => convAction('handback').then((ok) => {
  if (ok) view.confirmAction('Das Gespräch ist wieder beim Bot. Der Kunde wird um eine Bewertung gebeten.');
}));
$('transfer-btn').addEventListener('click', () => {
  const agentId = $('transfer-select').value;
  if (!agentId) { view.showError('Bitte wählen Sie einen Mitarbeiter für die Weiterleitung aus.'); return; }
  const agent = S.agents.find((a) => String(a.id) === agentId);
  convAction('transfer', { agent_id: agent ? agent.id : agentId });
});
$('close-btn').addEventListener('click', () => {
  const resolution = $('close-resolution').value.trim();
  convAction('close', resolution ? { resolution } : {}).then((ok) => {
    if (!ok) return;
    $('close-resolution').value = '';
    view.confirmAction('Das Gespräch ist abgeschlossen. Der Kunde wird um eine Bewertung gebeten.');
  });
});

// --- Tickets -----------------------------------------------------------------------------------
const loadTickets = () => Promise.all([tickets.load(), tickets.loadTags()]); // filters, sorting, cards, tags: tickets.js

// --- Tickets: answer by e-mail -------------------------------------------------------------------
async function loadMails(ticketId) {
  const d = await call('GET', `/agent/tickets/${enc(ticketId)}/emails`);
  S.setMails(ticketId, d.mails);
  view.renderTicketMails(ticketId);
  return d.mails || [];
}

// Until the outbox has sent (or given up on) the ticket's mails: ask again, every 2 s for a minute at most.
function followMails(ticketId, rounds = 30) {
  setTimeout(async () => {
    let mails;
    try { mails = await loadMails(ticketId); } catch (e) { return; }
    if (mailsPending(mails) && rounds > 1) followMails(ticketId, rounds - 1);
    else if (mails.length) view.setMailStatus(ticketId, `E-Mail ${S.label('mail', mails[mails.length - 1].state).toLowerCase()}.`);
  }, 2000);
}

async function sendMail(t, text) {
  const form = $(`mail-text-${t.id}`);
  view.setMailStatus(t.id, 'Wird gesendet …');
  const d = await run(() => call('POST', `/agent/tickets/${enc(t.id)}/email`, { text }));
  if (!d) { view.setMailStatus(t.id, 'Die E-Mail wurde nicht gesendet.'); return; }
  S.mailDrafts.delete(String(t.id));
  if (form) form.value = '';
  S.addMail(t.id, d.mail);
  view.renderTicketMails(t.id);
  view.setMailStatus(t.id, 'Die Antwort ist gespeichert und wird per E-Mail verschickt.');
  followMails(t.id);
}

// --- Account: password, two-factor, log out everywhere ------------------------------------------
function renderAccount() {
  $('pw-status').textContent = '';
  const f = twoFactorForm(S.me, twofa.pending);
  $('twofa-state').textContent = f.state;
  $('twofa-password-label').hidden = $('twofa-password').hidden = !f.password;
  $('twofa-secret-label').hidden = $('twofa-secret').hidden = $('twofa-uri').hidden = !f.secret;
  $('twofa-code-label').hidden = $('twofa-code').hidden = !f.code;
  $('twofa-secret').value = twofa.pending ? twofa.pending.secret || '' : '';
  $('twofa-uri').href = twofa.pending ? twofa.pending.otpauth_uri || '#' : '#';
  $('twofa-submit').textContent = f.button;
}

$('password-form').addEventListener('submit', (e) => {
  e.preventDefault();
  run(async () => {
    const d = await call('POST', '/agent/password', { old_password: $('pw-old').value, new_password: $('pw-new').value });
    $('pw-old').value = '';
    $('pw-new').value = '';
    const others = d.sessions_ended ? ` ${d.sessions_ended} andere Sitzung(en) wurden abgemeldet.` : '';
    $('pw-status').textContent = 'Ihr Passwort wurde geändert.' + others;
  });
});

$('twofa-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const { action } = twoFactorForm(S.me, twofa.pending);
  const code = $('twofa-code').value.replace(/\s+/g, '');
  const password = $('twofa-password').value;
  run(async () => {
    if (action === 'enroll') {
      twofa.pending = await call('POST', '/agent/2fa/enroll', { password });
    } else if (action === 'confirm') {
      S.me = Object.assign({}, S.me, await call('POST', '/agent/2fa/confirm', { code }));
      twofa.pending = null;
    } else {
      S.me = Object.assign({}, S.me, await call('POST', '/agent/2fa/disable', { password, code }));
    }
    $('twofa-password').value = '';
    $('twofa-code').value = '';
    renderAccount();
    if (action === 'confirm') $('twofa-state').textContent = 'Eingeschaltet. Ihre anderen Sitzungen wurden abgemeldet.';
  });
});

$('logout-all-btn').addEventListener('click', async () => {
  try { await call('POST', '/agent/logout-all'); } catch (e) { /* logging out anyway */ }
  logoutLocal();
});

// --- WebSocket ---------------------------------------------------------------------------------
function retryWs() {
  view.setWsStatus(false);
  if (net.token) net.wsTimer = setTimeout(connectWs, reconnectDelay(net.wsAttempts++));
}

// A ticket first (POST /agent/ws-ticket), then the socket; a 401 there logs out (api.call).
function connectWs() {
  if (!net.token || net.ws || net.wsConnecting || typeof WebSocket === 'undefined') return;
  clearTimeout(net.wsTimer);
  const token = net.token;
  net.wsConnecting = true;
  const again = () => { if (net.token && net.token !== token && !net.ws) connectWs(); }; // logged in anew meanwhile
  api.socket().then((sock) => {
    net.wsConnecting = false;
    if (net.token !== token || net.ws) { sock.close(); again(); return; }
    attachWs(sock);
  }, () => {
    net.wsConnecting = false;
    if (net.token === token) retryWs();
    else again();
  });
}

function attachWs(sock) {
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
  sock.onclose = (e) => {
    if (net.ws !== sock) return;
    net.ws = null;
    view.setWsStatus(false);
    if (!net.token) return;
    if (e && e.code === SESSION_ENDED) {
      logoutLocal();
      view.showError('Ihre Sitzung wurde beendet (abgemeldet, Passwort geändert oder Konto deaktiviert). Bitte melden Sie sich erneut an.');
      return;
    }
    retryWs();
  };
}

// Typing and read state to the customer over the socket (issue 27.3); the hub passes them on only
// from the agent the conversation is assigned to. Typing at most every 2 s.
let lastTypingSent = 0;
function wsSend(frame) { if (net.ws && net.ws.readyState === 1) net.ws.send(JSON.stringify(frame)); }
$('reply-text').addEventListener('input', () => {
  const now = Date.now();
  if (!S.openId || now - lastTypingSent < 2000 || !$('reply-text').value) return;
  lastTypingSent = now;
  wsSend({ type: 'typing', conversation_id: S.openId });
});
function markRead() {
  const seq = view.lastCustomerSeq();
  if (S.openId && seq != null && !document.hidden) wsSend({ type: 'read', conversation_id: S.openId, seq });
}
document.addEventListener('visibilitychange', markRead);

// After a reconnect: fetch everything that may have changed meanwhile.
function resync() {
  run(loadQueue);
  run(loadConvs);
  run(loadTickets);
  run(loadTeams);
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
  mentions.frame(f);
  sla.frame(f);
  const r = S.applyFrame(f);
  if (!r) return;
  if (r.queue) queueChanged(r.fresh);
  if (r.append) { view.appendMessage(r.append); if (r.append.sender === 'customer') markRead(); }
  if (r.typing) view.setCustomerTyping(true);
  if (r.presence) refreshTeamsSoon();
  if (r.read != null) view.setRead(r.read);
  if (r.convs) view.renderConvList();
  if (r.header) view.renderConvHeader();
  if (r.tickets) tickets.upsert(f.ticket); // off the list when it no longer matches the filters
}

boot();
