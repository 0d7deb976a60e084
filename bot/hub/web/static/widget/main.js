/* Kundendialog chat widget: wiring of api.js, state.js and view.js.
 * Loaded as a module by the /widget.js loader, which sets
 * window.KundendialogConfig = {hub: '<hub base URL>'} before injecting it
 * ('' = same origin as the page). Loaded without that config, the hub is the
 * origin this module was served from. Exposes window.KundendialogWidget.
 */
import { createApi } from './api.js';
import {
  Transcript, frameAction, lastAgentSeq, parseFrame, parseStoredConversation, readFrame, reconnectDelay, statusFor, typingFrame, typingStatus, uuid,
} from './state.js';
import { registerOf } from './strings.js';
import { T, createView, errorText } from './view.js';

const CONV_KEY = 'kd-conversation';
const OPEN_KEY = 'kd-open';

const store = {
  get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
  set(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* storage unavailable */ } },
  del(k) { try { localStorage.removeItem(k); } catch (e) { /* storage unavailable */ } },
};

function hubBase() {
  const cfg = window.KundendialogConfig;
  const hub = cfg && typeof cfg.hub === 'string' ? cfg.hub : new URL(import.meta.url).origin;
  return hub.trim().replace(/\/+$/, '');
}

function start() {
  const HUB = hubBase();
  const api = createApi(HUB);

  let conv = null;          // {conversation_id, token}
  let gen = 0;              // bumped by forget() to drop stale creations
  let starting = null;      // pending create promise
  let ws = null, wsTimer = null, wsAttempts = 0, wsConnecting = false;
  let busy = 0, agentTypingTimer = null;
  let isOpen = false, callbackSent = false;
  let view = null;
  const transcript = new Transcript((type, entry, t) => view && view.onTranscript(type, entry, t));

  const systemNote = (text) => transcript.addLocal(text);
  const applyState = (state, queue) => view.applyStatus(statusFor(state, queue, callbackSent));
  const updateTyping = () => view.setTyping(typingStatus(busy, agentTypingTimer !== null));
  // The hub says how the customer is addressed (answers and frames); the widget's texts follow.
  const follow = (data) => { const r = registerOf(data && data.register); if (r && view) view.setRegister(r); };

  // Typing and read state to the agent, over the socket (issue 27.3): typing at most every 2 s.
  let lastTypingSent = 0, lastReadSent = -1;
  const socketSend = (data) => {
    if (!ws || ws.readyState !== 1) return false;
    ws.send(data);
    return true;
  };
  function customerTyping() {
    const now = Date.now();
    if (now - lastTypingSent < 2000) return;
    if (socketSend(typingFrame())) lastTypingSent = now; // not sent (reconnecting): the next key tries again
  }
  function markRead() {
    if (!isOpen || document.hidden || !view) return;
    const items = [...view.ui.messages.querySelectorAll('.kd-msg[data-seq]')].map((n) => ({ sender: n.dataset.sender, seq: Number(n.dataset.seq) }));
    const seq = lastAgentSeq(items);
    if (seq == null || seq <= lastReadSent) return;
    lastReadSent = seq;
    socketSend(readFrame(seq));
  }
  document.addEventListener('visibilitychange', () => markRead());

  function showAgentTyping() {
    clearTimeout(agentTypingTimer);
    agentTypingTimer = setTimeout(() => { agentTypingTimer = null; updateTyping(); }, 5000);
    updateTyping();
  }

  // --- Conversation lifecycle ------------------------------------------------
  function ensureConversation() {
    if (conv) return Promise.resolve(conv);
    if (starting) return starting;
    const g = gen;
    const p = api.create({ page: location.href }, true)
      .then((res) => {
        if (g !== gen) {
          if (!isOpen) throw new Error('reset');
          return ensureConversation();
        }
        if (!res.ok || !res.data || !res.data.conversation_id) throw new Error(errorText(res));
        conv = { conversation_id: res.data.conversation_id, token: res.data.token };
        store.set(CONV_KEY, JSON.stringify(conv));
        follow(res.data);
        transcript.merge(res.data.messages || []); // Wanda's greeting, before the customer types
        if (view) view.setCanEnd(true);
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
    if (view) { view.setCanEnd(false); view.setRegister('sie'); }
    clearTimeout(wsTimer);
    wsAttempts = 0;
    if (ws) { const s = ws; ws = null; s.close(); }
  }

  // blob: URLs of attachments, per id and variant; released when the transcript is cleared.
  const fileUrls = new Map();
  function loadFile(a, variant) {
    const key = `${a.id}:${variant}`;
    if (!fileUrls.has(key)) {
      const c = conv;
      const p = c ? api.file(c, a.id, variant).then((blob) => URL.createObjectURL(blob)) : Promise.reject(new Error('no conversation'));
      p.catch(() => fileUrls.delete(key));
      fileUrls.set(key, p);
    }
    return fileUrls.get(key);
  }
  function releaseFiles() {
    fileUrls.forEach((p) => p.then((url) => URL.revokeObjectURL(url), () => {}));
    fileUrls.clear();
  }

  async function sendFile(file) {
    busy++;
    updateTyping();
    const note = systemNote(T.uploading);
    try {
      const c = await ensureConversation();
      const res = await api.upload(c, file);
      if (res.ok) {
        ((res.data && res.data.messages) || []).forEach((m) => transcript.add(m));
        resyncSoon();
      } else {
        systemNote(errorText(res));
      }
    } catch (err) {
      systemNote(conv ? T.sendFailed : T.startFailed);
    } finally {
      transcript.remove(note);
      busy--;
      updateTyping();
      view.ui.input.focus();
    }
  }

  function clearView() {
    releaseFiles();
    transcript.clear();
    callbackSent = false;
    view.ui.cbForm.reset();
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
    try { res = await api.messages(c); } catch (e) { return; }
    if (conv !== c) return;
    if (res.status === 401 || res.status === 404) { restart(); return; }
    if (res.ok && res.data) { follow(res.data); transcript.merge(res.data.messages || []); }
    fetchState(c);
  }

  async function fetchState(c) {
    try {
      const res = await api.conversation(c);
      if (res.ok && res.data && conv === c) { follow(res.data); applyState(res.data.state, res.data.queue); }
    } catch (e) { /* next resync will retry */ }
  }

  // --- WebSocket ---------------------------------------------------------------
  // A ticket first (POST .../ws-ticket), then the socket.
  function connectWs() {
    if (!conv || ws || wsConnecting || typeof WebSocket === 'undefined') return;
    clearTimeout(wsTimer);
    const c = conv;
    wsConnecting = true;
    const again = () => { if (conv && conv !== c && !ws) connectWs(); }; // the conversation changed meanwhile
    api.socket(c).then((sock) => {
      wsConnecting = false;
      if (conv !== c || ws) { if (sock.close) sock.close(); again(); return; }
      if (!sock.close) { // no ticket: 401/404 means the conversation is gone, anything else is retried
        if (sock.status === 401 || sock.status === 404) restart();
        else scheduleReconnect();
        return;
      }
      attachWs(c, sock);
    }, () => {
      wsConnecting = false;
      if (conv === c) scheduleReconnect();
      else again();
    });
  }

  function attachWs(c, sock) {
    ws = sock;
    sock.onopen = () => { wsAttempts = 0; lastReadSent = -1; resync(); markRead(); };
    sock.onmessage = (e) => handleFrame(parseFrame(e.data));
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      if (conv === c) scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    const delay = reconnectDelay(wsAttempts++);
    clearTimeout(wsTimer);
    wsTimer = setTimeout(connectWs, delay);
  }

  function handleFrame(a) {
    if (!a) return;
    follow(a);
    if (a.kind === 'message') {
      if (a.fromAgent && agentTypingTimer !== null) {
        clearTimeout(agentTypingTimer);
        agentTypingTimer = null;
        updateTyping();
      }
      transcript.add(a.message);
      if (a.fromAgent) markRead();
    } else if (a.kind === 'agentRead') {
      view.setRead(a.seq);
    } else if (a.kind === 'state') {
      applyState(a.state, a.queue);
    } else if (a.kind === 'agentTyping') {
      showAgentTyping();
    }
  }

  window.addEventListener('online', () => {
    if (conv && !ws) { wsAttempts = 0; connectWs(); }
  });

  // The customer ends the chat: closed on the server (its token stops working) and forgotten here,
  // so the next person at a shared computer sees nothing of it. Forgotten even when the hub is unreachable.
  async function endChat() {
    const c = conv;
    const ended = T.ended; // in the register of the chat that ends
    view.toggleEndConfirm(false);
    forget();
    clearView();
    if (c) {
      try { await api.end(c); } catch (e) { /* the token also expires on its own (idle time) */ }
    }
    systemNote(ended);
    view.ui.input.focus();
  }

  const tokenExpired = (res) => res.status === 401 && !!res.data && !!res.data.error && res.data.error.code === 'token_expired';

  // --- Sending -------------------------------------------------------------------
  async function send(body, displayText, isRetry) {
    const cmid = uuid();
    body.client_message_id = cmid;
    const entry = transcript.addPending(cmid, displayText);
    busy++;
    updateTyping();
    const fail = (msg) => {
      transcript.fail(entry);
      systemNote(msg);
    };
    try {
      const c = await ensureConversation();
      const res = await api.send(c, body);
      if (res.ok) {
        follow(res.data);
        transcript.confirm(entry, (res.data && res.data.messages) || []);
        resyncSoon();
      } else if (tokenExpired(res) && conv === c && !isRetry) {
        // Idle too long (KD_CUSTOMER_IDLE_HOURS): start over and send this message in a new conversation.
        const note = T.expiredNew; // in the register of the chat that expired
        restart();
        systemNote(note);
        await send({ ...body }, displayText, true);
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

  async function submitCallback() {
    const ui = view.ui;
    const contact = ui.cbContact.value.trim();
    const note = ui.cbNote.value.trim();
    if (!contact) { view.callbackError(T.contactMissing); ui.cbContact.focus(); return; }
    if (!conv) { view.callbackError(T.genericError); return; }
    const btn = ui.cbForm.querySelector('[type=submit]');
    btn.disabled = true;
    try {
      const res = await api.callback(conv, { contact, note });
      if (!res.ok) { view.callbackError(errorText(res)); return; }
      callbackSent = true;
      ui.cbForm.reset();
      view.toggleCallback(false);
      ui.cbToggle.hidden = true;
      resync(); // the hub's confirmation (with the request number) is the one shown; no second local one
      ui.input.focus();
    } catch (err) {
      view.callbackError(T.sendFailed);
    } finally {
      btn.disabled = false;
    }
  }

  // --- Public API -------------------------------------------------------------------
  function open() {
    if (!view) return;
    isOpen = true;
    store.set(OPEN_KEY, '1');
    view.setOpen(true);
    if (!conv) ensureConversation().catch(() => systemNote(T.startFailed));
    markRead();
  }

  function close() {
    if (!view) return;
    isOpen = false;
    store.set(OPEN_KEY, '0');
    view.setOpen(false);
  }

  function reset() {
    forget();
    if (!view) return;
    clearView();
    if (isOpen) ensureConversation().catch(() => systemNote(T.startFailed));
  }

  window.KundendialogWidget = { open, close, reset };

  function init() {
    view = createView(HUB, {
      onLauncher: () => (isOpen ? close() : open()),
      onClose: () => close(),
      onSubmit: (text) => send({ text }, text),
      onTyping: customerTyping,
      onQuickReply: (body, text) => send(body, text),
      onCallback: submitCallback,
      onEnd: endChat,
      onFile: sendFile,
      loadFile,
      onFileError: () => systemNote(T.fileFailed),
    });
    conv = parseStoredConversation(store.get(CONV_KEY));
    view.setCanEnd(!!conv);
    // The history is shown, not read aloud: announcements start once it is in place.
    if (conv) resync().finally(() => { view.setAnnouncing(true); if (conv) connectWs(); });
    else view.setAnnouncing(true);
    if (store.get(OPEN_KEY) === '1') open();
  }

  if (document.body) init();
  else document.addEventListener('DOMContentLoaded', init);
}

if (!window.KundendialogWidget) start();
