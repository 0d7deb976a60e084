/* Kundendialog agent console – single page app served at /console. */
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const enc = encodeURIComponent;
  const TOKEN_KEY = 'kd-agent-token';
  const TITLE = 'Kundendialog Konsole';
  const PING_INTERVAL = 60000;

  const SENDER = { customer: 'Kunde', bot: 'Bot', agent: 'Mitarbeiter', system: 'System' };
  const STATE = { bot: 'Bot', queued: 'Wartet', agent: 'Mitarbeiter', closed: 'Abgeschlossen' };
  const CHANNEL = { webchat: 'Webchat', whatsapp: 'WhatsApp', email: 'E-Mail', telegram: 'Telegram', facebook: 'Facebook' };
  const PRESENCE = { online: 'online', away: 'abwesend', offline: 'offline', busy: 'beschäftigt' };

  const S = {
    token: null, me: null, ws: null, wsTimer: null, wsAttempts: 0, wsEverOpen: false,
    queue: [], seenHandoffs: null, convs: new Map(), tickets: [], agents: [], canned: [],
    openId: null, open: null, shownMsgs: new Set(), lastApiAt: 0, audio: null,
  };

  // --- Helpers ----------------------------------------------------------------
  function el(tag, attrs, children) {
    const n = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v == null || v === false) return;
      if (k === 'class') n.className = v;
      else if (k === 'text') n.textContent = v;
      else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? '' : v);
    });
    (children || []).forEach((c) => c != null && n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c));
    return n;
  }
  const clear = (n) => { n.textContent = ''; return n; };
  const channelLabel = (c) => CHANNEL[c] || c || '–';
  const pct = (v) => Math.round(Math.max(0, Math.min(1, Number(v) || 0)) * 100);
  const moodClass = (v) => (v >= 0.7 ? 'mood-high' : v >= 0.4 ? 'mood-mid' : 'mood-low');

  function fmtTime(iso) {
    const d = iso ? new Date(iso) : null;
    if (!d || isNaN(d)) return '';
    const today = new Date().toDateString() === d.toDateString();
    return today ? d.toLocaleTimeString('de-DE', { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString('de-DE', { dateStyle: 'short', timeStyle: 'short' });
  }

  function fmtDuration(sec) {
    sec = Math.max(0, Math.floor(sec));
    const h = Math.floor(sec / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
    const pad = (x) => String(x).padStart(2, '0');
    return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  }

  class ApiError extends Error {
    constructor(status, code, message) { super(message); this.status = status; this.code = code; }
  }

  function defaultError(status, path) {
    if (status === 401) return path === '/agent/login' ? 'E-Mail oder Passwort ist falsch.' : 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.';
    if (status === 403) return 'Dafür fehlt Ihnen die Berechtigung.';
    if (status === 404) return 'Der Eintrag wurde nicht gefunden.';
    if (status === 409) return 'Die Aktion ist nicht mehr möglich – jemand anderes war schneller.';
    if (status >= 500) return 'Serverfehler. Bitte versuchen Sie es später erneut.';
    return 'Die Anfrage ist fehlgeschlagen.';
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (S.token) headers.Authorization = 'Bearer ' + S.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, 'network', 'Keine Verbindung zum Server. Bitte prüfen Sie Ihre Netzwerkverbindung.');
    }
    S.lastApiAt = Date.now();
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty body */ }
    if (!res.ok) {
      const err = (data && data.error) || {};
      if (res.status === 401 && path !== '/agent/login') logoutLocal();
      throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || defaultError(res.status, path));
    }
    return data || {};
  }

  function showError(msg) {
    $('error-text').textContent = msg || 'Es ist ein Fehler aufgetreten.';
    $('error-banner').hidden = false;
  }
  const hideError = () => { $('error-banner').hidden = true; };
  $('error-close').addEventListener('click', hideError);

  // Runs an async action, showing API errors in the banner.
  async function run(fn) {
    try { return await fn(); } catch (e) { showError(e.message); return undefined; }
  }

  // --- Auth -------------------------------------------------------------------
  function showLogin() {
    $('app').hidden = true;
    $('login-view').hidden = false;
    document.title = TITLE;
    $('login-email').focus();
  }

  function logoutLocal() {
    S.token = null;
    S.me = null;
    sessionStorage.removeItem(TOKEN_KEY);
    clearTimeout(S.wsTimer);
    if (S.ws) { const w = S.ws; S.ws = null; w.close(); }
    Object.assign(S, { queue: [], seenHandoffs: null, tickets: [], openId: null, open: null, wsEverOpen: false });
    S.convs.clear();
    showLogin();
  }

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    hideError();
    const btn = $('login-submit');
    btn.disabled = true;
    try {
      const d = await api('POST', '/agent/login', { email: $('login-email').value.trim(), password: $('login-password').value });
      S.token = d.token;
      sessionStorage.setItem(TOKEN_KEY, d.token);
      $('login-password').value = '';
      startApp(d.agent);
    } catch (err) {
      showError(err.message);
    } finally {
      btn.disabled = false;
    }
  });

  $('logout-btn').addEventListener('click', async () => {
    try { await api('POST', '/agent/logout'); } catch (e) { /* logging out anyway */ }
    logoutLocal();
  });

  function startApp(agent) {
    S.me = agent || {};
    $('login-view').hidden = true;
    $('app').hidden = false;
    $('agent-name').textContent = S.me.name || S.me.email || '';
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
    S.token = sessionStorage.getItem(TOKEN_KEY);
    if (!S.token) return showLogin();
    try {
      const d = await api('GET', '/agent/me');
      startApp(d.agent || d);
    } catch (e) {
      if (e.status !== 401) showError(e.message);
      showLogin();
    }
  }

  // --- Presence / activity ------------------------------------------------------
  async function setPresence(status) {
    try {
      await api('POST', '/agent/presence', { status });
      $('presence').value = status;
    } catch (e) { showError(e.message); }
  }
  $('presence').addEventListener('change', (e) => setPresence(e.target.value));

  // Any API call counts as activity; otherwise ping at most once a minute.
  function onActivity() {
    if (!S.token || !S.me || Date.now() - S.lastApiAt < PING_INTERVAL) return;
    S.lastApiAt = Date.now();
    api('POST', '/agent/presence', { status: $('presence').value || 'online' }).catch(() => {});
  }
  ['mousedown', 'keydown', 'mousemove', 'touchstart', 'focus'].forEach((ev) => window.addEventListener(ev, onActivity, { passive: true }));

  // --- Tabs ---------------------------------------------------------------------
  function showView(name) {
    document.querySelectorAll('.tabs [role=tab]').forEach((t) => t.setAttribute('aria-selected', String(t.dataset.tab === name)));
    $('view-chats').hidden = name !== 'chats';
    $('view-tickets').hidden = name !== 'tickets';
    if (name === 'tickets') run(loadTickets);
  }
  document.querySelectorAll('.tabs [role=tab]').forEach((t) => t.addEventListener('click', () => showView(t.dataset.tab)));

  // --- Queue --------------------------------------------------------------------
  async function loadQueue() {
    const d = await api('GET', '/agent/queue');
    setQueue(d.handoffs || []);
  }

  function setQueue(handoffs) {
    const now = Date.now();
    S.queue = handoffs.map((h) => {
      const queued = Date.parse(h.queued_at);
      const since = h.wait_seconds != null ? now - h.wait_seconds * 1000 : (isNaN(queued) ? now : queued);
      return Object.assign({}, h, { _since: since });
    });
    const fresh = S.seenHandoffs ? handoffs.filter((h) => !S.seenHandoffs.has(h.conversation_id)) : [];
    S.seenHandoffs = S.seenHandoffs || new Set();
    handoffs.forEach((h) => S.seenHandoffs.add(h.conversation_id));
    renderQueue();
    updateTitle();
    if (fresh.length) beep();
  }

  function updateTitle() {
    const n = S.queue.length;
    document.title = n ? `(${n}) ${TITLE}` : TITLE;
  }

  function moodBar(v) {
    return el('span', { class: 'mood', title: `Frust ${pct(v)} %` }, [
      el('span', { class: 'mood-label', text: 'Frust' }),
      el('span', { class: 'mood-bar' }, [el('span', { class: `mood-fill ${moodClass(v)}`, style: `width:${pct(v)}%` })]),
    ]);
  }

  function renderQueue() {
    const list = clear($('queue'));
    $('queue-count').textContent = String(S.queue.length);
    if (!S.queue.length) list.appendChild(el('li', { class: 'empty', text: 'Niemand wartet.' }));
    S.queue.forEach((h) => {
      const urgent = h.priority === 'urgent';
      const item = el('li', {
        class: 'queue-item' + (urgent ? ' urgent' : '') + (h.conversation_id === S.openId ? ' active' : ''),
        'data-id': h.conversation_id, tabindex: '0',
      }, [
        el('div', { class: 'row' }, [
          el('span', { class: 'badge ' + (urgent ? 'badge-urgent' : 'badge-normal'), text: urgent ? 'Dringend' : 'Normal' }),
          el('span', { class: 'reason', text: h.reason_label || h.reason || '' }),
          el('span', { class: 'channel', text: channelLabel(h.channel) }),
        ]),
        el('div', { class: 'name', text: h.display_name || 'Unbekannter Kunde' }),
        h.topic ? el('div', { class: 'topic muted', text: h.topic }) : null,
        el('div', { class: 'row' }, [
          h.mood != null ? moodBar(h.mood) : null,
          el('span', { class: 'wait', 'data-since': String(h._since), text: 'wartet seit ' + fmtDuration((Date.now() - h._since) / 1000) }),
          el('button', { type: 'button', class: 'claim-btn primary small', text: 'Übernehmen' }),
        ]),
      ]);
      item.addEventListener('click', (e) => {
        if (e.target.closest('.claim-btn')) claim(h.conversation_id);
        else openConversation(h.conversation_id);
      });
      item.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && e.target === item) openConversation(h.conversation_id);
      });
      list.appendChild(item);
    });
  }

  setInterval(() => {
    document.querySelectorAll('.wait[data-since]').forEach((w) => {
      w.textContent = 'wartet seit ' + fmtDuration((Date.now() - Number(w.dataset.since)) / 1000);
    });
  }, 1000);

  function beep() {
    if (!$('sound').checked) return;
    try {
      const ctx = S.audio || (S.audio = new (window.AudioContext || window.webkitAudioContext)());
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
    if (e.target.checked && !S.audio) {
      try { S.audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (err) { /* no audio */ }
    }
  });

  async function claim(id) {
    try {
      const d = await api('POST', `/agent/conversations/${enc(id)}/claim`);
      S.queue = S.queue.filter((h) => h.conversation_id !== id);
      renderQueue();
      updateTitle();
      if (d.conversation) upsertConv(d.conversation);
      await openConversation(id);
      $('reply-text').focus();
    } catch (e) {
      if (e.status === 409) {
        showError(e.message || 'Dieses Gespräch wurde bereits von einem anderen Mitarbeiter übernommen.');
        run(loadQueue);
        if (S.openId === id) openConversation(id);
      } else {
        showError(e.message);
      }
    }
  }

  // --- My conversations ---------------------------------------------------------
  async function loadConvs() {
    const d = await api('GET', '/agent/conversations');
    S.convs.clear();
    (d.conversations || []).forEach((c) => S.convs.set(c.conversation_id, c));
    renderConvList();
  }

  function upsertConv(c) {
    if (!c || !c.conversation_id) return;
    const id = c.conversation_id;
    const assignedToMe = !!S.me && c.assigned_agent_id != null && c.assigned_agent_id === S.me.id;
    const assignedToOther = c.assigned_agent_id != null && !assignedToMe;
    // Keep only conversations already listed or assigned to me.
    if (assignedToOther) S.convs.delete(id);
    else if (assignedToMe || S.convs.has(id)) S.convs.set(id, Object.assign({}, S.convs.get(id), c));
    renderConvList();
    if (S.open && S.openId === id) {
      Object.assign(S.open.conversation, c);
      renderConvHeader();
    }
  }

  function renderConvList() {
    const list = clear($('conv-list'));
    const convs = Array.from(S.convs.values()).sort((a, b) => String(b.last_message_at || '').localeCompare(String(a.last_message_at || '')));
    if (!convs.length) list.appendChild(el('li', { class: 'empty', text: 'Keine aktiven Gespräche.' }));
    convs.forEach((c) => {
      const item = el('li', {
        class: 'conv-item' + (c.conversation_id === S.openId ? ' active' : '') + (c.state === 'closed' ? ' closed' : ''),
        'data-id': c.conversation_id, tabindex: '0',
      }, [
        el('div', { class: 'row' }, [
          el('span', { class: 'name', text: c.display_name || 'Unbekannter Kunde' }),
          c.unread ? el('span', { class: 'unread', text: String(c.unread), title: 'Ungelesene Nachrichten' }) : null,
        ]),
        el('div', { class: 'row muted small' }, [
          el('span', { text: `${channelLabel(c.channel)} · ${STATE[c.state] || c.state || ''}` }),
          el('span', { text: fmtTime(c.last_message_at) }),
        ]),
      ]);
      const openIt = () => openConversation(c.conversation_id);
      item.addEventListener('click', openIt);
      item.addEventListener('keydown', (e) => { if (e.key === 'Enter') openIt(); });
      list.appendChild(item);
    });
  }

  // --- Conversation view --------------------------------------------------------
  async function openConversation(id) {
    S.openId = id;
    let d;
    try { d = await api('GET', `/agent/conversations/${enc(id)}`); } catch (e) { showError(e.message); return; }
    if (S.openId !== id) return;
    S.open = d;
    S.shownMsgs = new Set();
    $('conv-empty').hidden = true;
    $('conv-body').hidden = false;
    renderConvHeader();
    renderSummary(d.handoff, d.conversation);
    clear($('transcript'));
    (d.messages || []).forEach(appendMessage);
    renderNotes(d.notes || []);
    run(loadAgents);
    const c = S.convs.get(id);
    if (c && c.unread) { c.unread = 0; }
    renderConvList();
    renderQueue();
  }

  function renderConvHeader() {
    const c = (S.open && S.open.conversation) || {};
    $('conv-title').textContent = c.display_name || 'Unbekannter Kunde';
    const parts = [channelLabel(c.channel), 'Status: ' + (STATE[c.state] || c.state || '–')];
    if (c.register) parts.push(c.register === 'du' ? 'Kunde duzt' : 'Kunde siezt');
    const assignee = c.assigned_agent_id && S.agents.find((a) => a.id === c.assigned_agent_id);
    if (assignee) parts.push('Bearbeitet von ' + assignee.name);
    $('conv-meta').textContent = parts.join(' · ');
    const mine = !!S.me && (c.assigned_agent_id === S.me.id || S.me.role === 'admin');
    const active = c.state === 'agent' && mine;
    $('claim-btn').hidden = c.state !== 'queued';
    $('transfer-group').hidden = !active;
    $('handback-btn').hidden = !active;
    $('close-group').hidden = !(active || (c.state === 'queued' && S.me && S.me.role === 'admin'));
    $('reply-text').disabled = $('reply-send').disabled = !active;
    $('reply-hint').textContent = c.state === 'closed' ? 'Das Gespräch ist abgeschlossen.'
      : c.state === 'queued' ? 'Übernehmen Sie das Gespräch, um zu antworten.'
        : !active ? 'Sie bearbeiten dieses Gespräch nicht.' : '';
    renderTransferOptions();
  }

  function appendMessage(m) {
    if (!m || (m.id && S.shownMsgs.has(m.id))) return;
    if (m.id) S.shownMsgs.add(m.id);
    const sender = SENDER[m.sender] ? m.sender : 'system';
    const who = sender === 'agent' && m.agent_name ? `${SENDER.agent} · ${m.agent_name}` : SENDER[sender];
    const meta = el('div', { class: 'msg-meta' }, [
      el('span', { class: 'msg-who', text: who }),
      el('span', { class: 'msg-time', text: fmtTime(m.created_at) }),
    ]);
    if (sender === 'customer') {
      if (m.intent) meta.appendChild(el('span', { class: 'msg-intent', text: 'Intent: ' + m.intent }));
      if (m.mood != null) meta.appendChild(el('span', { class: 'msg-mood ' + moodClass(m.mood), text: `Frust ${pct(m.mood)} %` }));
    }
    const node = el('div', { class: 'msg msg-' + sender, 'data-sender': sender, 'data-id': m.id || '' }, [
      meta,
      m.text != null ? el('div', { class: 'msg-text', text: m.text }) : null,
    ]);
    if (Array.isArray(m.buttons) && m.buttons.length) {
      node.appendChild(el('div', { class: 'msg-buttons' }, m.buttons.map((b) => el('span', { class: 'chip', text: b.title || b.payload }))));
    }
    const t = $('transcript');
    const atBottom = t.scrollHeight - t.scrollTop - t.clientHeight < 60;
    t.appendChild(node);
    if (atBottom || sender === 'agent') t.scrollTop = t.scrollHeight;
  }

  // --- Summary ------------------------------------------------------------------
  const SUMMARY_ORDER = ['topic', 'request', 'intents', 'order_id', 'email', 'email_verified', 'order_status', 'bot_actions', 'mood_trend', 'register', 'last_messages'];
  const SUMMARY_LABEL = {
    topic: 'Thema', request: 'Anliegen', intents: 'Erkannte Absichten', order_id: 'Bestellnummer', email: 'E-Mail',
    email_verified: 'E-Mail verifiziert', order_status: 'Bestellstatus', bot_actions: 'Aktionen des Bots',
    mood_trend: 'Frust-Verlauf', register: 'Anrede', last_messages: 'Letzte Nachrichten',
  };

  const str = (v) => (v == null ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const list = (items, fn) => el('ul', { class: 'plain' }, (items || []).map((x) => el('li', { text: fn ? fn(x) : str(x) })));

  function sparkline(values) {
    const NS = 'http://www.w3.org/2000/svg';
    const w = 120, h = 28, n = values.length;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    svg.setAttribute('class', 'sparkline');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Frust-Verlauf: ' + values.map((v) => pct(v) + ' %').join(', '));
    const pts = values.map((v, i) => `${n > 1 ? (i * (w - 4)) / (n - 1) + 2 : w / 2},${h - 2 - (pct(v) / 100) * (h - 4)}`);
    const line = document.createElementNS(NS, 'polyline');
    line.setAttribute('points', pts.join(' '));
    svg.appendChild(line);
    return svg;
  }

  function summaryValue(key, v, s) {
    switch (key) {
      case 'intents': return Array.isArray(v) ? el('span', { text: v.join(', ') || '–' }) : el('span', { text: str(v) });
      case 'bot_actions': return Array.isArray(v) ? list(v) : el('span', { text: str(v) });
      case 'email': {
        const verified = s.email_verified;
        return el('span', {}, [str(v), verified == null ? null
          : el('span', { class: 'badge ' + (verified ? 'badge-ok' : 'badge-warn'), text: verified ? 'verifiziert' : 'nicht verifiziert' })]);
      }
      case 'email_verified': return el('span', { text: v ? 'Ja' : 'Nein' });
      case 'order_status':
        if (v && typeof v === 'object' && !Array.isArray(v)) return list(Object.entries(v), ([k, x]) => `${k}: ${str(x)}`);
        return el('span', { text: str(v) });
      case 'mood_trend': {
        if (!Array.isArray(v) || !v.length) return el('span', { text: '–' });
        const diff = (Number(v[v.length - 1]) || 0) - (Number(v[0]) || 0);
        const trend = diff > 0.1 ? '↗ steigend' : diff < -0.1 ? '↘ sinkend' : '→ gleichbleibend';
        return el('span', { class: 'trend' }, [sparkline(v), el('span', { text: ` ${trend} (zuletzt ${pct(v[v.length - 1])} %)` })]);
      }
      case 'register': return el('span', { text: String(v).toLowerCase() === 'du' ? 'Kunde duzt' : 'Kunde siezt' });
      case 'last_messages':
        return Array.isArray(v) ? list(v, (m) => `${SENDER[m && m.sender] || (m && m.sender) || '?'}: ${m && m.text != null ? m.text : ''}`) : el('span', { text: str(v) });
      default: return el('span', { text: str(v) });
    }
  }

  function renderSummary(handoff, conv) {
    const box = clear($('summary'));
    if (handoff) {
      const urgent = handoff.priority === 'urgent';
      box.appendChild(el('div', { class: 'row' }, [
        el('span', { class: 'badge ' + (urgent ? 'badge-urgent' : 'badge-normal'), text: urgent ? 'Dringend' : 'Normal' }),
        el('strong', { text: handoff.reason_label || handoff.reason || '' }),
      ]));
    }
    const s = Object.assign({}, (handoff && handoff.summary) || {});
    if (s.register == null && conv && conv.register) s.register = conv.register;
    // email_verified is shown as a badge next to the email when both exist
    const keys = Object.keys(s).filter((k) => !(k === 'email_verified' && s.email != null));
    if (!keys.length) { box.appendChild(el('p', { class: 'muted', text: 'Keine Zusammenfassung vorhanden.' })); return; }
    const ordered = SUMMARY_ORDER.filter((k) => keys.includes(k)).concat(keys.filter((k) => !SUMMARY_ORDER.includes(k)));
    const dl = el('dl', { class: 'summary' });
    ordered.forEach((k) => {
      dl.appendChild(el('dt', { text: SUMMARY_LABEL[k] || k }));
      dl.appendChild(el('dd', {}, [summaryValue(k, s[k], s)]));
    });
    box.appendChild(dl);
  }

  // --- Notes --------------------------------------------------------------------
  function noteItem(n) {
    return el('li', { class: 'note', 'data-id': n.id || '' }, [
      el('div', { class: 'muted small', text: `${n.agent_name || 'Mitarbeiter'} · ${fmtTime(n.created_at)}` }),
      el('div', { class: 'note-text', text: n.text || '' }),
    ]);
  }
  function renderNotes(notes) {
    const ul = clear($('notes-list'));
    notes.forEach((n) => ul.appendChild(noteItem(n)));
  }

  $('note-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('note-text').value.trim();
    const id = S.openId;
    if (!text || !id) return;
    run(async () => {
      const d = await api('POST', `/agent/conversations/${enc(id)}/notes`, { text });
      $('note-text').value = '';
      const note = d.note || (d.id ? d : null);
      if (note && S.openId === id) $('notes-list').appendChild(noteItem(note));
      else if (S.openId === id) await openConversation(id);
    });
  });

  // --- Reply / canned -----------------------------------------------------------
  $('reply-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('reply-text').value.trim();
    const id = S.openId;
    if (!text || !id) return;
    $('reply-send').disabled = true;
    run(async () => {
      const d = await api('POST', `/agent/conversations/${enc(id)}/messages`, { text });
      $('reply-text').value = '';
      const msg = d.message || (d.messages && d.messages[0]) || (d.id ? d : null);
      if (msg && S.openId === id) appendMessage(msg);
    }).finally(() => { $('reply-send').disabled = $('reply-text').disabled; $('reply-text').focus(); });
  });

  $('reply-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('reply-form').requestSubmit();
    }
  });

  async function loadCanned() {
    const d = await api('GET', '/agent/canned');
    S.canned = d.canned || [];
    const sel = $('canned-select');
    while (sel.options.length > 1) sel.remove(1);
    S.canned.forEach((c) => sel.appendChild(el('option', { value: String(c.id), text: c.title })));
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

  // --- Actions ------------------------------------------------------------------
  async function loadAgents() {
    const d = await api('GET', '/agent/agents');
    S.agents = d.agents || [];
    if (S.open) renderConvHeader();
    else renderTransferOptions();
  }

  function renderTransferOptions() {
    const sel = $('transfer-select');
    const prev = sel.value;
    clear(sel).appendChild(el('option', { value: '', text: 'Mitarbeiter wählen …' }));
    S.agents.filter((a) => !S.me || a.id !== S.me.id).forEach((a) => {
      sel.appendChild(el('option', { value: String(a.id), text: `${a.name} (${PRESENCE[a.status] || a.status || '–'})` }));
    });
    sel.value = prev;
    if (sel.value !== prev) sel.value = '';
  }

  // Performs a conversation action, then refreshes view and lists.
  function convAction(path, body) {
    const id = S.openId;
    if (!id) return Promise.resolve();
    return run(async () => {
      const d = await api('POST', `/agent/conversations/${enc(id)}/${path}`, body);
      if (d && d.conversation) upsertConv(d.conversation);
      await Promise.all([loadConvs(), openConversation(id)]);
    });
  }

  $('claim-btn').addEventListener('click', () => S.openId && claim(S.openId));
  $('handback-btn').addEventListener('click', () => convAction('handback'));
  $('transfer-btn').addEventListener('click', () => {
    const agentId = $('transfer-select').value;
    if (!agentId) { showError('Bitte wählen Sie einen Mitarbeiter für die Weiterleitung aus.'); return; }
    const agent = S.agents.find((a) => String(a.id) === agentId);
    convAction('transfer', { agent_id: agent ? agent.id : agentId });
  });
  $('close-btn').addEventListener('click', () => {
    const resolution = $('close-resolution').value.trim();
    convAction('close', { resolution }).then(() => { $('close-resolution').value = ''; });
  });

  // --- Tickets ------------------------------------------------------------------
  async function loadTickets() {
    const d = await api('GET', '/agent/tickets');
    S.tickets = d.tickets || [];
    renderTickets();
  }

  const ticketDone = (t) => ['closed', 'done', 'erledigt'].includes(String(t.status || '').toLowerCase());

  function upsertTicket(t) {
    if (!t || t.id == null) return;
    const i = S.tickets.findIndex((x) => x.id === t.id);
    if (i >= 0) S.tickets[i] = Object.assign({}, S.tickets[i], t);
    else S.tickets.unshift(t);
    renderTickets();
  }

  function renderTickets() {
    const box = clear($('tickets'));
    const open = S.tickets.filter((t) => !ticketDone(t)).length;
    $('ticket-count').textContent = String(open);
    $('ticket-count').hidden = !open;
    if (!S.tickets.length) { box.appendChild(el('p', { class: 'muted', text: 'Keine Anfragen vorhanden.' })); return; }
    S.tickets.forEach((t) => {
      const done = ticketDone(t);
      const summary = t.summary && typeof t.summary === 'object'
        ? el('dl', { class: 'summary' }, Object.entries(t.summary).flatMap(([k, v]) => [
          el('dt', { text: SUMMARY_LABEL[k] || k }), el('dd', {}, [summaryValue(k, v, t.summary)])]))
        : t.summary ? el('p', { class: 'ticket-summary', text: String(t.summary) }) : null;
      const card = el('article', { class: 'ticket' + (done ? ' done' : ''), 'data-id': String(t.id) }, [
        el('div', { class: 'row' }, [
          el('span', { class: 'badge ' + (done ? 'badge-ok' : 'badge-normal'), text: done ? 'Erledigt' : 'Offen' }),
          el('strong', { class: 'contact', text: t.contact || '–' }),
          el('span', { class: 'muted small', text: fmtTime(t.created_at) }),
          t.reason ? el('span', { class: 'muted small', text: 'Grund: ' + t.reason }) : null,
        ]),
        t.note ? el('p', { class: 'ticket-note', text: t.note }) : null,
        summary,
        el('div', { class: 'row' }, [
          t.conversation_id ? el('button', {
            type: 'button', class: 'link', text: 'Gespräch ansehen',
            onclick: () => { showView('chats'); openConversation(t.conversation_id); },
          }) : null,
          done ? null : el('button', {
            type: 'button', class: 'ticket-close primary small', text: 'Erledigt',
            onclick: () => run(async () => {
              const d = await api('POST', `/agent/tickets/${enc(t.id)}/close`);
              upsertTicket((d && d.ticket) || Object.assign({}, t, { status: 'closed' }));
            }),
          }),
        ]),
      ]);
      box.appendChild(card);
    });
  }

  // --- WebSocket ----------------------------------------------------------------
  function setWsStatus(ok) {
    const dot = $('ws-status');
    dot.classList.toggle('online', ok);
    dot.title = ok ? 'Echtzeitverbindung aktiv' : 'Echtzeitverbindung getrennt – neuer Versuch läuft';
  }

  function connectWs() {
    if (!S.token || S.ws || typeof WebSocket === 'undefined') return;
    clearTimeout(S.wsTimer);
    const u = new URL('/api/v1/agent/ws', location.href);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('token', S.token);
    const sock = new WebSocket(u.toString());
    S.ws = sock;
    sock.onopen = () => {
      S.wsAttempts = 0;
      setWsStatus(true);
      if (S.wsEverOpen) resync();
      S.wsEverOpen = true;
    };
    sock.onmessage = (e) => {
      let f;
      try { f = JSON.parse(e.data); } catch (err) { return; }
      handleFrame(f);
    };
    sock.onclose = () => {
      if (S.ws !== sock) return;
      S.ws = null;
      setWsStatus(false);
      if (!S.token) return;
      const base = Math.min(30000, 1000 * Math.pow(2, S.wsAttempts++));
      S.wsTimer = setTimeout(connectWs, Math.min(30000, Math.max(1000, base * (0.75 + Math.random() * 0.5))));
    };
  }

  // After a reconnect: fetch everything that may have changed meanwhile.
  function resync() {
    run(loadQueue);
    run(loadConvs);
    run(loadTickets);
    if (S.openId) {
      const id = S.openId;
      api('GET', `/agent/conversations/${enc(id)}`).then((d) => {
        if (S.openId !== id) return;
        S.open = d;
        renderConvHeader();
        (d.messages || []).forEach(appendMessage);
      }).catch(() => {});
    }
  }

  function handleFrame(f) {
    if (!f || !f.type) return;
    switch (f.type) {
      case 'queue':
        setQueue(f.handoffs || []);
        break;
      case 'message': {
        const id = f.conversation_id;
        if (id && id === S.openId) {
          appendMessage(f.message);
        } else if (id) {
          const c = S.convs.get(id);
          if (c) {
            c.unread = (c.unread || 0) + 1;
            if (f.message && f.message.created_at) c.last_message_at = f.message.created_at;
            renderConvList();
          }
        }
        break;
      }
      case 'conversation':
        upsertConv(f.conversation);
        break;
      case 'ticket':
        upsertTicket(f.ticket);
        break;
      default:
        break;
    }
  }

  boot();
})();
