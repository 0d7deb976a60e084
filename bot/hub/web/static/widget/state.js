/* Pure state of the chat widget: the transcript model (server order by seq,
 * dedupe by id, pending sends, local notes), websocket frames, the status line
 * (queue position) and retry timings. It never touches the DOM, so node can
 * import it and tests/js/ can check the logic; view.js mirrors the transcript
 * into the page through the listener.
 */

import { registerOf } from './strings.js';

export const SENDERS = ['customer', 'bot', 'agent', 'system'];
export const MAX_TRIES = 5;

// Unknown senders are shown as bot messages.
export const senderOf = (m) => (SENDERS.includes(m.sender) ? m.sender : 'bot');

// HTTP retries: back-off 1s, 2s, 4s, 4s between the MAX_TRIES tries.
export const retryDelay = (i) => 1000 * Math.pow(2, Math.min(i, 2));

// Websocket reconnects: exponential with jitter, between 1s and 30s.
export function reconnectDelay(attempts, rnd = Math.random()) {
  const base = Math.min(30000, 1000 * Math.pow(2, attempts));
  return Math.min(30000, Math.max(1000, base * (0.75 + rnd * 0.5)));
}

export function uuid(c = globalThis.crypto) {
  if (c && c.randomUUID) return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// The stored {conversation_id, token}, or null when missing or broken.
export function parseStoredConversation(raw) {
  try {
    const c = JSON.parse(raw);
    return c && c.conversation_id && c.token ? c : null;
  } catch (e) { return null; }
}

// A websocket frame as an action for main.js, or null to ignore it. `register`: 'du'/'sie' when the frame says.
export function frameAction(f) {
  if (!f || !f.type) return null;
  const r = registerOf(f.register);
  const register = r ? { register: r } : {};
  if (f.type === 'message' && f.message) return { kind: 'message', message: f.message, fromAgent: f.message.sender === 'agent', ...register };
  if (f.type === 'state') return { kind: 'state', state: f.state, queue: f.queue, ...register };
  if (f.type === 'typing' && f.sender === 'agent') return { kind: 'agentTyping' };
  if (f.type === 'read' && f.sender === 'agent' && Number.isInteger(f.seq)) return { kind: 'agentRead', seq: f.seq };
  return null;
}

export function parseFrame(data) {
  try { return frameAction(JSON.parse(data)); } catch (e) { return null; }
}

// Queue position and expected wait in whole minutes (at least 1), or null.
export function queueInfo(queue) {
  if (!queue || queue.position == null) return null;
  // the hub's own rounding (bot/hub/handoff/queue.py wait_minutes), so chat notice and status line agree
  const minutes = Number.isInteger(queue.expected_wait_minutes) ? queue.expected_wait_minutes : Math.ceil((queue.expected_wait_seconds || 0) / 60);
  return { position: queue.position, minutes: Math.max(1, minutes) };
}

// What the status line shows for a conversation state.
export function statusFor(state, queue, callbackSent) {
  if (state === 'queued') return { visible: true, state, queue: queueInfo(queue), callbackToggle: !callbackSent, closeCallback: false };
  if (state === 'agent') return { visible: true, state, queue: null, callbackToggle: false, closeCallback: true };
  return { visible: false, state, queue: null, callbackToggle: false, closeCallback: true };
}

// Frames the widget sends on its socket (the hub relays them to the agent, bot/hub/web/live_frames.py).
export const typingFrame = () => JSON.stringify({ type: 'typing' });
export const readFrame = (seq) => JSON.stringify({ type: 'read', seq });
// The highest seq of the agent's messages in a list of bubbles' {sender, seq} (null: none).
export function lastAgentSeq(items) {
  const seqs = items.filter((m) => m && m.sender === 'agent' && Number.isInteger(m.seq)).map((m) => m.seq);
  return seqs.length ? Math.max(...seqs) : null;
}

// Which typing indicator shows: 'bot' while our sends are busy, else 'agent', else null.
export const typingStatus = (busy, agentTyping) => (busy ? 'bot' : agentTyping ? 'agent' : null);

/* The transcript in display order. An entry is one bubble:
 *   {kind: 'server'|'pending'|'sent'|'failed'|'local', id, message, seq?, text?}
 * Server messages (with seq) stay in server order; entries without seq
 * (local notes, pending or failed sends) keep their place at the end.
 * The listener gets (type, entry, transcript) with type 'add', 'adopt'
 * (a pending entry became a server message and may have moved), 'update'
 * (kind changed), 'remove' or 'clear'.
 */
export class Transcript {
  constructor(listener) {
    this.entries = [];
    this.byId = new Map();
    this.pending = [];
    this.listener = listener || (() => {});
  }

  emit(type, entry) { this.listener(type, entry, this); }

  // The entry shown after this one, or null when it is the last (or gone).
  next(entry) {
    const i = this.entries.indexOf(entry);
    return i < 0 ? null : this.entries[i + 1] || null;
  }

  has(entry) { return this.entries.includes(entry); }
  isPending(entry) { return this.pending.includes(entry); }
  ids() { return this.entries.map((e) => e.id); }

  clear() {
    this.entries = [];
    this.byId.clear();
    this.pending = [];
    this.emit('clear', null);
  }

  // Puts the entry before the later server messages and any entries without seq.
  place(entry, seq) {
    entry.seq = seq;
    const list = this.entries.filter((e) => e !== entry);
    let at = list.length;
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i];
      if (e.seq === undefined) { at = i; continue; }
      if (e.seq < seq) break;
      at = i;
    }
    list.splice(at, 0, entry);
    this.entries = list;
  }

  // Adds a server message unless already shown; returns its entry.
  add(m) {
    if (!m || !m.id) return null;
    const known = this.byId.get(m.id);
    if (known) return known;
    if (senderOf(m) === 'customer') {
      const p = this.pending.find((e) => e.text === (m.text || ''));
      if (p) return this.adopt(p, m);
    }
    const entry = { kind: 'server', id: m.id, message: m };
    this.byId.set(m.id, entry);
    if (typeof m.seq === 'number') this.place(entry, m.seq);
    else this.entries.push(entry);
    this.emit('add', entry);
    return entry;
  }

  // Merges a full transcript (oldest first), e.g. after a reconnect.
  merge(list) {
    (list || []).forEach((m) => this.add(m));
  }

  // A customer message on its way to the server; shown at the end.
  addPending(cmid, text) {
    const id = 'pending-' + cmid;
    const entry = { kind: 'pending', id, cmid, text, message: { id, sender: 'customer', text } };
    this.pending.push(entry);
    this.entries.push(entry);
    this.emit('add', entry);
    return entry;
  }

  // A note of the widget itself (errors, thanks); always last, never sent.
  addLocal(text, key = uuid()) {
    const id = 'local-' + key;
    const entry = { kind: 'local', id, message: { id, sender: 'system', text } };
    this.entries.push(entry);
    this.emit('add', entry);
    return entry;
  }

  // The server stored what we sent: the pending entry becomes that message.
  adopt(entry, m) {
    this.pending = this.pending.filter((p) => p !== entry);
    entry.kind = 'server';
    entry.id = m.id;
    this.byId.set(m.id, entry);
    if (typeof m.seq === 'number' && this.has(entry)) this.place(entry, m.seq);
    this.emit('adopt', entry);
    return entry;
  }

  // The answer to our POST: its first message is what we sent, the rest are replies.
  confirm(entry, messages) {
    (messages || []).forEach((m, i) => {
      if (i === 0 && this.isPending(entry)) {
        const known = m && this.byId.get(m.id);
        if (known && known !== entry) {
          // The websocket or a resync was faster: drop the duplicate bubble.
          this.pending = this.pending.filter((p) => p !== entry);
          this.remove(entry);
          return;
        }
        this.adopt(entry, m);
      } else {
        this.add(m);
      }
    });
    if (this.isPending(entry)) this.setKind(entry, 'sent');
  }

  fail(entry) { this.setKind(entry, 'failed'); }

  setKind(entry, kind) {
    this.pending = this.pending.filter((p) => p !== entry);
    entry.kind = kind;
    this.emit('update', entry);
  }

  remove(entry) {
    if (!this.has(entry)) return;
    this.entries = this.entries.filter((e) => e !== entry);
    this.emit('remove', entry);
  }
}
