/* Kundendialog chat widget.
 * Embed: <script src="https://HUB/widget.js" data-hub="https://HUB"></script>
 * An empty data-hub means "same origin as the host page".
 */
(function () {
  'use strict';
  if (window.KundendialogWidget) return;

  // --- Configuration ----------------------------------------------------------
  const script = document.currentScript ||
    Array.prototype.find.call(document.scripts, (s) => /widget\.js(?:[?#]|$)/.test(s.src));
  let HUB = '';
  if (script && script.hasAttribute('data-hub')) HUB = script.getAttribute('data-hub').trim();
  else if (script && script.src) {
    const origin = new URL(script.src, location.href).origin;
    HUB = origin === 'null' ? '' : origin;
  }
  HUB = HUB.replace(/\/+$/, '');
  const API = HUB + '/api/v1/conversations';
  const CONV_KEY = 'kd-conversation';
  const OPEN_KEY = 'kd-open';
  const MAX_TRIES = 5;

  const T = {
    open: 'Chat öffnen',
    close: 'Chat schließen',
    title: 'Kundenservice',
    placeholder: 'Ihre Nachricht …',
    inputLabel: 'Nachricht eingeben',
    send: 'Senden',
    botTyping: 'Der Assistent schreibt …',
    agentTyping: 'Ein Mitarbeiter schreibt …',
    agent: 'Mitarbeiter',
    agentActive: 'Sie schreiben mit einem Mitarbeiter',
    queuedNoInfo: 'Sie sind in der Warteschlange – ein Mitarbeiter ist gleich für Sie da.',
    callbackToggle: 'Rückruf / E-Mail statt warten',
    contact: 'E-Mail oder Telefonnummer',
    note: 'Ihr Anliegen (optional)',
    callbackSend: 'Anfrage senden',
    cancel: 'Abbrechen',
    callbackThanks: 'Vielen Dank! Wir haben Ihre Anfrage erhalten und melden uns so schnell wie möglich bei Ihnen.',
    contactMissing: 'Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer an.',
    sendFailed: 'Ihre Nachricht konnte leider nicht gesendet werden. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
    startFailed: 'Der Chat ist im Moment nicht erreichbar. Bitte versuchen Sie es später erneut.',
    expired: 'Diese Unterhaltung ist nicht mehr verfügbar. Ihre nächste Nachricht startet ein neues Gespräch.',
    genericError: 'Es ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut.',
    quickReplies: 'Antwortvorschläge',
  };

  // --- Helpers ----------------------------------------------------------------
  const store = {
    get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* storage unavailable */ } },
    del(k) { try { localStorage.removeItem(k); } catch (e) { /* storage unavailable */ } },
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const enc = encodeURIComponent;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // Creates an element; 'text' sets textContent, 'on*' adds listeners.
  function el(tag, attrs, children) {
    const n = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v == null || v === false) return;
      if (k === 'class') n.className = v;
      else if (k === 'text') n.textContent = v;
      else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? '' : v);
    });
    (children || []).forEach((c) => c && n.appendChild(c));
    return n;
  }

  async function api(method, url, body, token) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty body */ }
    return { ok: res.ok, status: res.status, data };
  }

  // Retries on network errors and 5xx with back-off 1s, 2s, 4s, 4s (max 5 tries).
  async function apiRetry(method, url, body, token) {
    let lastErr;
    for (let i = 0; i < MAX_TRIES; i++) {
      try {
        const res = await api(method, url, body, token);
        if (res.status < 500) return res;
        lastErr = new Error('HTTP ' + res.status);
      } catch (e) { lastErr = e; }
      if (i < MAX_TRIES - 1) await sleep(1000 * Math.pow(2, Math.min(i, 2)));
    }
    throw lastErr;
  }

  const errorText = (res) => (res.data && res.data.error && res.data.error.message) || T.genericError;

  // --- State ------------------------------------------------------------------
  let conv = null;          // {conversation_id, token}
  let gen = 0;              // bumped by forget() to drop stale creations
  let starting = null;      // pending create promise
  let ws = null, wsTimer = null, wsAttempts = 0;
  let busy = 0, agentTypingTimer = null;
  let isOpen = false, callbackSent = false;
  const shown = new Map();  // message id -> element
  let pending = [];         // optimistic customer messages: {cmid, text, el}
  let ui = null;

  function loadConv() {
    try {
      const c = JSON.parse(store.get(CONV_KEY));
      return c && c.conversation_id && c.token ? c : null;
    } catch (e) { return null; }
  }

  // --- UI ---------------------------------------------------------------------
  function build() {
    const link = el('link', { rel: 'stylesheet', href: HUB + '/widget.css' });
    const root = el('div', { id: 'kd-widget', class: 'kd-root', style: 'visibility:hidden' });
    const show = () => { root.style.visibility = ''; };
    link.addEventListener('load', show);
    link.addEventListener('error', show);
    setTimeout(show, 3000);
    document.head.appendChild(link);

    const launcher = el('button', {
      id: 'kd-launcher', class: 'kd-launcher', type: 'button',
      'aria-label': T.open, 'aria-expanded': 'false', 'aria-controls': 'kd-panel',
      onclick: () => (isOpen ? close() : open()),
    });
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
    svg.appendChild(path);
    launcher.appendChild(svg);

    const statusText = el('span', { class: 'kd-status-text' });
    const cbToggle = el('button', {
      type: 'button', class: 'kd-callback-toggle', text: T.callbackToggle,
      'aria-controls': 'kd-callback-form', 'aria-expanded': 'false',
      onclick: () => toggleCallback(),
    });
    const status = el('div', { id: 'kd-status', class: 'kd-status', role: 'status', hidden: true }, [statusText, cbToggle]);

    const cbContact = el('input', { id: 'kd-cb-contact', class: 'kd-field', type: 'text', autocomplete: 'email', required: true });
    const cbNote = el('textarea', { id: 'kd-cb-note', class: 'kd-field', rows: '2' });
    const cbError = el('p', { class: 'kd-form-error', role: 'alert', hidden: true });
    const cbForm = el('form', { id: 'kd-callback-form', class: 'kd-callback', hidden: true, novalidate: true, onsubmit: submitCallback }, [
      el('label', { for: 'kd-cb-contact', text: T.contact }), cbContact,
      el('label', { for: 'kd-cb-note', text: T.note }), cbNote,
      cbError,
      el('div', { class: 'kd-callback-actions' }, [
        el('button', { type: 'button', class: 'kd-btn-secondary', text: T.cancel, onclick: () => toggleCallback(false) }),
        el('button', { type: 'submit', class: 'kd-btn-primary', text: T.callbackSend }),
      ]),
    ]);

    const messages = el('div', { id: 'kd-messages', class: 'kd-messages', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' });
    const typingText = el('span', { class: 'kd-typing-text', text: T.botTyping });
    const typing = el('div', { id: 'kd-typing', class: 'kd-typing', hidden: true, 'aria-live': 'polite' }, [
      el('span', { class: 'kd-dots', 'aria-hidden': 'true' }, [el('i'), el('i'), el('i')]), typingText,
    ]);
    const input = el('input', {
      id: 'kd-input', class: 'kd-input', type: 'text', autocomplete: 'off', maxlength: '2000',
      'aria-label': T.inputLabel, placeholder: T.placeholder,
    });
    const sendBtn = el('button', { id: 'kd-send', class: 'kd-send', type: 'submit', text: T.send });
    const composer = el('form', { class: 'kd-composer', onsubmit: onSubmit }, [input, sendBtn]);

    const panel = el('section', { id: 'kd-panel', class: 'kd-panel', role: 'dialog', 'aria-label': T.title, hidden: true }, [
      el('header', { class: 'kd-header' }, [
        el('h2', { class: 'kd-title', text: T.title }),
        el('button', { type: 'button', class: 'kd-close', 'aria-label': T.close, text: '×', onclick: () => close() }),
      ]),
      status, cbForm, messages, typing, composer,
    ]);
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); close(); }
    });

    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);
    ui = { root, launcher, panel, status, statusText, cbToggle, cbForm, cbContact, cbNote, cbError, messages, typing, typingText, input };
  }

  function scrollDown() { ui.messages.scrollTop = ui.messages.scrollHeight; }

  function senderOf(m) {
    return ['customer', 'bot', 'agent', 'system'].includes(m.sender) ? m.sender : 'bot';
  }

  function renderMessage(m) {
    const sender = senderOf(m);
    const node = el('div', { class: `kd-msg kd-msg-${sender}`, 'data-sender': sender, 'data-id': m.id });
    if (sender === 'agent') {
      node.appendChild(el('div', { class: 'kd-msg-label', text: m.agent_name ? `${T.agent} · ${m.agent_name}` : T.agent }));
    }
    if (m.text) node.appendChild(el('div', { class: 'kd-bubble', text: m.text }));
    const t = m.created_at ? new Date(m.created_at) : null;
    if (t && !isNaN(t)) node.title = t.toLocaleString('de-DE');
    if (Array.isArray(m.buttons) && m.buttons.length) {
      const group = el('div', { class: 'kd-quick-replies', role: 'group', 'aria-label': T.quickReplies });
      m.buttons.forEach((b) => {
        const btn = el('button', { type: 'button', class: 'kd-quick-reply', text: b.title || b.payload });
        btn.addEventListener('click', () => {
          group.querySelectorAll('button').forEach((x) => { x.disabled = true; });
          btn.classList.add('kd-chosen');
          send({ payload: b.payload, title: b.title }, b.title || b.payload);
        });
        group.appendChild(btn);
      });
      node.appendChild(group);
    }
    return node;
  }

  // Only the newest server message keeps active quick replies.
  function refreshQuickReplies() {
    const msgs = ui.messages.querySelectorAll('.kd-msg:not(.kd-local)');
    const last = msgs[msgs.length - 1];
    ui.messages.querySelectorAll('.kd-quick-reply').forEach((b) => {
      if (!last || !last.contains(b)) b.disabled = true;
    });
  }

  // Keeps server messages in server order (seq), whatever order they arrive in
  // (POST answer, websocket, resync). Local notes and pending sends stay last.
  function place(node, seq) {
    node.dataset.seq = seq;
    let ref = null;
    for (let n = ui.messages.lastElementChild; n; n = n.previousElementSibling) {
      if (n === node) continue;
      if (n.dataset.seq === undefined) { ref = n; continue; }
      if (Number(n.dataset.seq) < seq) break;
      ref = n;
    }
    if (node.nextSibling !== ref || node.parentNode !== ui.messages) ui.messages.insertBefore(node, ref);
  }

  // The server stored what we sent: the pending bubble becomes that message.
  function adopt(entry, m) {
    pending = pending.filter((p) => p !== entry);
    const node = entry.el;
    node.dataset.id = m.id;
    node.classList.remove('kd-pending');
    shown.set(m.id, node);
    if (typeof m.seq === 'number') place(node, m.seq);
    refreshQuickReplies();
    return node;
  }

  // Adds a server message unless already shown.
  function addMessage(m) {
    if (!m || !m.id) return undefined;
    const known = shown.get(m.id);
    if (known && known.isConnected) return known;
    if (senderOf(m) === 'customer') {
      const p = pending.find((e) => e.text === (m.text || ''));
      if (p) return adopt(p, m);
    }
    const node = renderMessage(m);
    shown.set(m.id, node);
    if (typeof m.seq === 'number') place(node, m.seq); else ui.messages.appendChild(node);
    refreshQuickReplies();
    scrollDown();
    return node;
  }

  // Merges a full transcript (oldest first).
  function mergeTranscript(list) {
    list.forEach((m) => addMessage(m));
  }

  function systemNote(text) {
    const node = renderMessage({ id: 'local-' + uuid(), sender: 'system', text });
    node.classList.add('kd-local');
    ui.messages.appendChild(node);
    scrollDown();
  }

  function updateTyping() {
    const agentTyping = agentTypingTimer !== null;
    ui.typing.hidden = !busy && !agentTyping;
    ui.typingText.textContent = busy ? T.botTyping : T.agentTyping;
    if (!ui.typing.hidden) scrollDown();
  }

  function showAgentTyping() {
    clearTimeout(agentTypingTimer);
    agentTypingTimer = setTimeout(() => { agentTypingTimer = null; updateTyping(); }, 5000);
    updateTyping();
  }

  function applyState(state, queue) {
    const s = ui;
    if (state === 'queued') {
      s.statusText.textContent = queue && queue.position != null
        ? `Sie sind an Position ${queue.position} – geschätzte Wartezeit ca. ${Math.max(1, Math.ceil((queue.expected_wait_seconds || 0) / 60))} Min.`
        : T.queuedNoInfo;
      s.cbToggle.hidden = callbackSent;
      s.status.hidden = false;
      s.status.dataset.state = state;
    } else if (state === 'agent') {
      s.statusText.textContent = T.agentActive;
      s.cbToggle.hidden = true;
      s.status.hidden = false;
      s.status.dataset.state = state;
      toggleCallback(false);
    } else {
      s.status.hidden = true;
      toggleCallback(false);
    }
  }

  function toggleCallback(show) {
    const f = ui.cbForm;
    show = show === undefined ? f.hidden : show;
    f.hidden = !show;
    ui.cbToggle.setAttribute('aria-expanded', String(show));
    if (show) { ui.cbError.hidden = true; ui.cbContact.focus(); }
  }

  // --- Conversation lifecycle --------------------------------------------------
  function ensureConversation() {
    if (conv) return Promise.resolve(conv);
    if (starting) return starting;
    const g = gen;
    const p = apiRetry('POST', API, { channel: 'webchat', metadata: { page: location.href } })
      .then((res) => {
        if (g !== gen) {
          if (!isOpen) throw new Error('reset');
          return ensureConversation();
        }
        if (!res.ok || !res.data || !res.data.conversation_id) throw new Error(errorText(res));
        conv = { conversation_id: res.data.conversation_id, token: res.data.token };
        store.set(CONV_KEY, JSON.stringify(conv));
        connectWs();
        return conv;
      })
      .finally(() => { if (starting === p) starting = null; });
    starting = p;
    return p;
  }

  function forget() {
    gen++;
    conv = null;
    starting = null;
    store.del(CONV_KEY);
    clearTimeout(wsTimer);
    wsAttempts = 0;
    if (ws) { const s = ws; ws = null; s.close(); }
  }

  function clearView() {
    shown.clear();
    pending = [];
    callbackSent = false;
    ui.messages.textContent = '';
    ui.cbForm.reset();
    applyState('bot');
  }

  // Conversation vanished server-side: start over.
  function restart() {
    forget();
    clearView();
    if (isOpen) ensureConversation().catch(() => systemNote(T.startFailed));
  }

  // Self-healing: shortly after every exchange, merge the server transcript, so a
  // frame lost between POST answer and websocket can never stay missing.
  let resyncTimer = null;
  function resyncSoon() {
    clearTimeout(resyncTimer);
    resyncTimer = setTimeout(resync, 500);
  }

  async function resync() {
    const c = conv;
    if (!c) return;
    let res;
    try {
      res = await api('GET', `${API}/${enc(c.conversation_id)}/messages`, undefined, c.token);
    } catch (e) { return; }
    if (conv !== c) return;
    if (res.status === 401 || res.status === 404) { restart(); return; }
    if (res.ok && res.data) mergeTranscript(res.data.messages || []);
    fetchState(c);
  }

  async function fetchState(c) {
    try {
      const res = await api('GET', `${API}/${enc(c.conversation_id)}`, undefined, c.token);
      if (res.ok && res.data && conv === c) applyState(res.data.state, res.data.queue);
    } catch (e) { /* next resync will retry */ }
  }

  // --- WebSocket ----------------------------------------------------------------
  function connectWs() {
    if (!conv || ws || typeof WebSocket === 'undefined') return;
    clearTimeout(wsTimer);
    const c = conv;
    const u = new URL(`${API}/${enc(c.conversation_id)}/ws`, location.href);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('token', c.token);
    const sock = new WebSocket(u.toString());
    ws = sock;
    sock.onopen = () => { wsAttempts = 0; resync(); };
    sock.onmessage = (e) => {
      let f;
      try { f = JSON.parse(e.data); } catch (err) { return; }
      handleFrame(f);
    };
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      if (conv === c) scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    const base = Math.min(30000, 1000 * Math.pow(2, wsAttempts++));
    const delay = Math.min(30000, Math.max(1000, base * (0.75 + Math.random() * 0.5)));
    clearTimeout(wsTimer);
    wsTimer = setTimeout(connectWs, delay);
  }

  function handleFrame(f) {
    if (!f || !f.type) return;
    if (f.type === 'message' && f.message) {
      if (f.message.sender === 'agent' && agentTypingTimer !== null) {
        clearTimeout(agentTypingTimer);
        agentTypingTimer = null;
        updateTyping();
      }
      addMessage(f.message);
    } else if (f.type === 'state') {
      applyState(f.state, f.queue);
    } else if (f.type === 'typing' && f.sender === 'agent') {
      showAgentTyping();
    }
  }

  window.addEventListener('online', () => {
    if (conv && !ws) { wsAttempts = 0; connectWs(); }
  });

  // --- Sending ------------------------------------------------------------------
  function onSubmit(e) {
    e.preventDefault();
    const text = ui.input.value.trim();
    if (!text) return;
    ui.input.value = '';
    send({ text }, text);
  }

  async function send(body, displayText) {
    const cmid = uuid();
    body.client_message_id = cmid;
    const node = renderMessage({ id: 'pending-' + cmid, sender: 'customer', text: displayText });
    node.classList.add('kd-pending');
    const entry = { cmid, text: displayText, el: node };
    pending.push(entry);
    ui.messages.appendChild(node);
    refreshQuickReplies();
    scrollDown();
    busy++;
    updateTyping();
    const fail = (msg) => {
      pending = pending.filter((p) => p !== entry);
      node.classList.remove('kd-pending');
      node.classList.add('kd-failed');
      systemNote(msg);
    };
    try {
      const c = await ensureConversation();
      const res = await apiRetry('POST', `${API}/${enc(c.conversation_id)}/messages`, body, c.token);
      if (res.ok) {
        const msgs = (res.data && res.data.messages) || [];
        msgs.forEach((m, i) => {
          if (i === 0 && pending.includes(entry)) {
            const known = shown.get(m.id);
            if (known && known.isConnected && known !== node) {
              pending = pending.filter((p) => p !== entry);
              node.remove();
              return;
            }
            adopt(entry, m);
          } else {
            addMessage(m);
          }
        });
        if (pending.includes(entry)) { pending = pending.filter((p) => p !== entry); node.classList.remove('kd-pending'); }
        resyncSoon();
      } else if ((res.status === 401 || res.status === 404) && conv === c) {
        forget();
        fail(T.expired);
      } else {
        fail(errorText(res));
      }
    } catch (err) {
      fail(conv ? T.sendFailed : T.startFailed);
    } finally {
      busy--;
      updateTyping();
    }
  }

  async function submitCallback(e) {
    e.preventDefault();
    const contact = ui.cbContact.value.trim();
    const note = ui.cbNote.value.trim();
    const showErr = (msg) => { ui.cbError.textContent = msg; ui.cbError.hidden = false; };
    if (!contact) { showErr(T.contactMissing); ui.cbContact.focus(); return; }
    if (!conv) { showErr(T.genericError); return; }
    const btn = ui.cbForm.querySelector('[type=submit]');
    btn.disabled = true;
    try {
      const res = await api('POST', `${API}/${enc(conv.conversation_id)}/callback`, { contact, note }, conv.token);
      if (!res.ok) { showErr(errorText(res)); return; }
      callbackSent = true;
      ui.cbForm.reset();
      toggleCallback(false);
      ui.cbToggle.hidden = true;
      systemNote(T.callbackThanks);
      ui.input.focus();
    } catch (err) {
      showErr(T.sendFailed);
    } finally {
      btn.disabled = false;
    }
  }

  // --- Public API ---------------------------------------------------------------
  function open() {
    if (!ui) return;
    isOpen = true;
    ui.root.style.visibility = ''; // hidden elements cannot take focus
    ui.panel.hidden = false;
    ui.root.classList.add('kd-is-open');
    ui.launcher.setAttribute('aria-expanded', 'true');
    ui.launcher.setAttribute('aria-label', T.close);
    store.set(OPEN_KEY, '1');
    scrollDown();
    ui.input.focus();
    if (!conv) ensureConversation().catch(() => systemNote(T.startFailed));
  }

  function close() {
    if (!ui) return;
    const hadFocus = ui.panel.contains(document.activeElement);
    isOpen = false;
    ui.panel.hidden = true;
    ui.root.classList.remove('kd-is-open');
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.launcher.setAttribute('aria-label', T.open);
    store.set(OPEN_KEY, '0');
    if (hadFocus) ui.launcher.focus();
  }

  function reset() {
    forget();
    if (!ui) return;
    clearView();
    if (isOpen) ensureConversation().catch(() => systemNote(T.startFailed));
  }

  window.KundendialogWidget = { open, close, reset };

  function init() {
    build();
    conv = loadConv();
    if (conv) resync().then(() => { if (conv) connectWs(); });
    if (store.get(OPEN_KEY) === '1') open();
  }

  if (document.body) init();
  else document.addEventListener('DOMContentLoaded', init);
})();
