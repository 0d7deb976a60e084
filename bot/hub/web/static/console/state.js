/* Pure state of the agent console: queue, my conversations, tickets, the open
 * conversation, websocket frames and label lookup (labels come from the hub's
 * GET /api/v1/states, never from a copy here). No DOM access, so node can
 * import it and tests/js/ can check the logic; view.js renders from it.
 */

import { INTERNAL_KEYS } from './story.js';

// Senders the stylesheet styles (msg-customer …); anything else shows as system.
export const SENDERS = ['customer', 'bot', 'agent', 'system'];
export const senderOf = (m) => (SENDERS.includes(m.sender) ? m.sender : 'system');

// The server's label for key in group ('conversation', 'channel', 'sender', …),
// else the raw key, else `empty` when there is no key at all.
export function labelFor(labels, group, key, empty = '') {
  const map = labels && labels[group];
  if (map && key != null && Object.prototype.hasOwnProperty.call(map, key) && map[key]) return String(map[key]);
  return key || empty;
}

// --- Formatting ------------------------------------------------------------------
export const pct = (v) => Math.round(Math.max(0, Math.min(1, Number(v) || 0)) * 100);
export const moodClass = (v) => (v >= 0.7 ? 'mood-high' : v >= 0.4 ? 'mood-mid' : 'mood-low');

export function fmtDuration(sec) {
  sec = Math.max(0, Math.floor(sec));
  const h = Math.floor(sec / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
  const pad = (x) => String(x).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export function fmtTime(iso, now = new Date()) {
  const d = iso ? new Date(iso) : null;
  if (!d || isNaN(d)) return '';
  const today = now.toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString('de-DE', { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString('de-DE', { dateStyle: 'short', timeStyle: 'short' });
}

export const ticketDone = (t) => ['closed', 'done', 'erledigt'].includes(String(t.status || '').toLowerCase());

// Websocket reconnects: exponential with jitter, between 1s and 30s.
export function reconnectDelay(attempts, rnd = Math.random()) {
  const base = Math.min(30000, 1000 * Math.pow(2, attempts));
  return Math.min(30000, Math.max(1000, base * (0.75 + rnd * 0.5)));
}

// Supervisors and admins see and act on every conversation (the hub enforces it; this only shapes the UI).
export const elevated = (me) => !!me && (me.role === 'admin' || me.role === 'supervisor');

// The websocket close code the hub uses when the session behind a socket ended
// (logout, logout everywhere, password change elsewhere, deactivation, expiry).
export const SESSION_ENDED = 4001;

// A login answer that asks for the two-factor code (first time: otp_required; wrong code: invalid_otp).
export const needsOtp = (err) => !!err && (err.code === 'otp_required' || err.code === 'invalid_otp');

// The two-factor part of the account view: what to show and what the button does.
// pending: {secret, otpauth_uri} while a set-up waits for its first code.
export function twoFactorForm(me, pending) {
  if (me && me.two_factor) {
    return { state: 'Eingeschaltet. Zum Ausschalten Passwort und aktuellen Code eingeben.', password: true,
      secret: false, code: true, button: 'Ausschalten', action: 'disable' };
  }
  if (pending) {
    return { state: 'Schlüssel in die Authenticator-App übernehmen, dann den angezeigten Code eingeben.',
      password: false, secret: true, code: true, button: 'Bestätigen', action: 'confirm' };
  }
  return { state: 'Ausgeschaltet. Mit Ihrem Passwort richten Sie einen zweiten Faktor (TOTP-App) ein.',
    password: true, secret: false, code: false, button: 'Einrichten', action: 'enroll' };
}

// What the header of the open conversation allows the agent `me` to do.
export function headerInfo(c, me, agents) {
  const assignee = c.assigned_agent_id ? (agents || []).find((a) => a.id === c.assigned_agent_id) : null;
  const mine = !!me && (c.assigned_agent_id === me.id || elevated(me));
  const active = c.state === 'agent' && mine;
  return {
    assignee: assignee || null,
    active,
    claim: c.state === 'queued',
    close: active || (c.state === 'queued' && elevated(me)),
    hint: c.state === 'closed' ? 'closed' : c.state === 'queued' ? 'queued' : !active ? 'other' : '',
  };
}

// Summary keys in display order; email_verified goes into the email row when both exist.
export const SUMMARY_ORDER = ['topic', 'request', 'latest_topic', 'intents', 'order_id', 'email', 'email_verified', 'order_status', 'bot_actions', 'knowledge_pages', 'mood_trend', 'register', 'last_messages'];

// A canned reply in the register of the conversation (c: from GET /agent/canned; register: the conversation's).
export const cannedText = (c, register) => (register === 'du' && c.text_du ? c.text_du : c.text) || '';

export function summaryFields(handoff, conv) {
  const s = Object.assign({}, (handoff && handoff.summary) || {});
  if (s.register == null && conv && conv.register) s.register = conv.register;
  if (s.email == null && s.email_given) s.email = s.email_given; // typed by the customer, shown unverified
  const keys = Object.keys(s).filter((k) => !INTERNAL_KEYS.includes(k) && !(k === 'email_verified' && s.email != null));
  const ordered = SUMMARY_ORDER.filter((k) => keys.includes(k)).concat(keys.filter((k) => !SUMMARY_ORDER.includes(k)));
  return { summary: s, keys: ordered };
}

// --- Teams and e-mail answers -------------------------------------------------------
// A ticket's contact is an e-mail address (the hub checks again).
export const isEmail = (v) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(String(v || '').trim());

// Whether "Antwort per E-Mail" is usable for ticket t, and the German hint when it is not.
export function mailBox(t, mailEnabled) {
  if (!mailEnabled) return { enabled: false, hint: 'Antworten per E-Mail sind in diesem System nicht eingerichtet.' };
  if (!t || !isEmail(t.contact)) return { enabled: false, hint: 'Zu dieser Anfrage gibt es keine E-Mail-Adresse.' };
  if (ticketDone(t)) return { enabled: false, hint: 'Die Anfrage ist erledigt.' };
  return { enabled: true, hint: '' };
}

// Mails still on their way (the console asks again until none is).
export const mailsPending = (mails) => (mails || []).some((m) => m.state === 'pending' || m.state === 'sending');

// One line on a team's state for the teams view and the live region.
export function teamStatus(t) {
  if (!t) return '';
  const waiting = Number(t.waiting) || 0, online = Number(t.online) || 0;
  const open = t.open ? 'jetzt geöffnet' : t.next_available ? `geschlossen – wieder erreichbar ${t.next_available}` : 'geschlossen';
  return `${t.name}: ${open}, ${waiting === 1 ? '1 wartet' : `${waiting} warten`}, ${online} online`;
}

export class ConsoleState {
  constructor() {
    this.me = null;
    this.labels = {};
    this.agents = [];
    this.canned = [];
    this.reset();
  }

  // Forget everything of the logged-in agent's session.
  reset() {
    this.teams = { configured: false, teams: [], mine: [], members: {} };
    this.teamFilter = ''; // '' = every team this agent sees
    this.tagFilter = ''; // a tag id (string) for the queue and "Meine Gespräche"; '' = any (issue 27.9)
    this.mailEnabled = false;
    this.mails = new Map(); // ticket id -> its e-mails (GET /agent/tickets/{id}/emails)
    this.mailDrafts = new Map(); // ticket id -> text typed into "Antwort per E-Mail"
    this.queue = [];
    this.seenHandoffs = null;
    this.convs = new Map();
    this.tickets = [];
    this.openId = null;
    this.open = null;
    this.shownMsgs = new Set();
  }

  label(group, key, empty) { return labelFor(this.labels, group, key, empty); }

  // Replaces the queue; returns how many handoffs are new since the last call
  // (none on the first call, so a fresh login does not beep).
  setQueue(handoffs, now = Date.now()) {
    this.queue = handoffs.map((h) => {
      const queued = Date.parse(h.queued_at);
      const since = h.wait_seconds != null ? now - h.wait_seconds * 1000 : (isNaN(queued) ? now : queued);
      return Object.assign({}, h, { _since: since });
    });
    const fresh = this.seenHandoffs ? handoffs.filter((h) => !this.seenHandoffs.has(h.conversation_id)) : [];
    this.seenHandoffs = this.seenHandoffs || new Set();
    handoffs.forEach((h) => this.seenHandoffs.add(h.conversation_id));
    return fresh.length;
  }

  // GET /agent/teams: {configured, teams, mine, members}. A filter on a team no longer listed is dropped.
  setTeams(d) {
    d = d || {};
    this.teams = {
      configured: !!d.configured, teams: Array.isArray(d.teams) ? d.teams : [],
      mine: Array.isArray(d.mine) ? d.mine : [], members: d.members && typeof d.members === 'object' ? d.members : {},
    };
    if (this.teamFilter && !this.filterTeams().some((t) => t.key === this.teamFilter)) this.teamFilter = '';
  }

  teamName(key) {
    const t = this.teams.teams.find((x) => x.key === key);
    return t ? t.name : key || '';
  }

  // The teams the queue filter offers: supervisors and admins all, agents their own (a choice from two or more).
  filterTeams() {
    if (!this.teams.configured) return [];
    const list = elevated(this.me) ? this.teams.teams : this.teams.teams.filter((t) => this.teams.mine.includes(t.key));
    return list.length > 1 ? list : [];
  }

  // The queue as shown: only the chosen team's waiting conversations when a filter is set.
  visibleQueue() {
    return this.queue.filter((h) => (!this.teamFilter || h.team === this.teamFilter) && this.hasTag(h));
  }

  // Whether a queue item or listed conversation passes the tag filter (its `tags` from the hub).
  hasTag(item) {
    return !this.tagFilter || (item.tags || []).some((t) => String(t.id) === this.tagFilter);
  }

  // The tags the filter offers: those of the waiting and my conversations, by name, each once.
  tagChoices() {
    const byId = new Map();
    [...this.queue, ...this.convs.values()].forEach((item) => (item.tags || []).forEach((t) => byId.set(String(t.id), t)));
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'de'));
  }

  // Teams an open conversation can be handed to ("An Team übergeben").
  transferTeams() { return this.teams.configured ? this.teams.teams : []; }

  // An agent's teams as the admin screen shows them (no stored membership: the default team, as the hub does).
  memberTeams(agentId) {
    const keys = this.teams.members[String(agentId)];
    if (Array.isArray(keys) && keys.length) return keys;
    const fallback = this.teams.teams.find((t) => t.default) || this.teams.teams[0];
    return fallback ? [fallback.key] : [];
  }

  setMails(ticketId, mails) { this.mails.set(String(ticketId), mails || []); }

  addMail(ticketId, mail) {
    if (!mail || mail.id == null) return;
    const list = (this.mails.get(String(ticketId)) || []).filter((m) => m.id !== mail.id);
    this.mails.set(String(ticketId), list.concat([mail]));
  }

  dropFromQueue(id) { this.queue = this.queue.filter((h) => h.conversation_id !== id); }

  setConvs(list) {
    this.convs.clear();
    (list || []).forEach((c) => this.convs.set(c.conversation_id, c));
  }

  // Merges a conversation update. Keeps only conversations already listed or
  // assigned to me. Returns null for junk, else {open: whether it is the open one}.
  upsertConv(c) {
    if (!c || !c.conversation_id) return null;
    const id = c.conversation_id;
    const assignedToMe = !!this.me && c.assigned_agent_id != null && c.assigned_agent_id === this.me.id;
    const assignedToOther = c.assigned_agent_id != null && !assignedToMe;
    if (assignedToOther) this.convs.delete(id);
    else if (assignedToMe || this.convs.has(id)) this.convs.set(id, Object.assign({}, this.convs.get(id), c));
    const open = !!this.open && this.openId === id;
    if (open) Object.assign(this.open.conversation, c);
    return { open };
  }

  // My conversations, most recent message first.
  convList() {
    return Array.from(this.convs.values()).filter((c) => this.hasTag(c))
      .sort((a, b) => String(b.last_message_at || '').localeCompare(String(a.last_message_at || '')));
  }

  // A message in a listed conversation that is not open: count it as unread.
  noteUnread(id, message) {
    const c = this.convs.get(id);
    if (!c) return false;
    c.unread = (c.unread || 0) + 1;
    if (message && message.created_at) c.last_message_at = message.created_at;
    return true;
  }

  // The conversation `id` was loaded as d ({conversation, messages, notes, handoff}).
  setOpen(id, d) {
    this.open = d;
    this.shownMsgs = new Set();
    const c = this.convs.get(id);
    if (c && c.unread) c.unread = 0;
  }

  // True if the message is to be shown in the transcript (not shown yet).
  takeMessage(m) {
    if (!m || (m.id && this.shownMsgs.has(m.id))) return false;
    if (m.id) this.shownMsgs.add(m.id);
    return true;
  }

  setTickets(list) { this.tickets = list || []; }

  upsertTicket(t) {
    if (!t || t.id == null) return false;
    const i = this.tickets.findIndex((x) => x.id === t.id);
    if (i >= 0) this.tickets[i] = Object.assign({}, this.tickets[i], t);
    else this.tickets.unshift(t);
    return true;
  }

  openTicketCount() { return this.tickets.filter((t) => !ticketDone(t)).length; }

  /* Applies a websocket frame; returns what to redraw, or null:
   * {queue: true, fresh}, {append: message}, {convs: true, header: bool}, {tickets: true}, {typing: true}, {read: seq}. */
  applyFrame(f, now = Date.now()) {
    if (!f || !f.type) return null;
    switch (f.type) {
      case 'queue':
        return { queue: true, fresh: this.setQueue(f.handoffs || [], now) };
      case 'message': {
        const id = f.conversation_id;
        if (id && id === this.openId) {
          // the customer switched to du (or back): header and canned replies follow
          const conv = this.open && this.open.conversation;
          const turned = !!conv && (f.register === 'du' || f.register === 'sie') && conv.register !== f.register;
          if (turned) conv.register = f.register;
          return turned ? { append: f.message, header: true } : { append: f.message };
        }
        if (id && this.noteUnread(id, f.message)) return { convs: true, header: false };
        return null;
      }
      case 'conversation': {
        const r = this.upsertConv(f.conversation);
        return r && { convs: true, header: r.open };
      }
      case 'ticket':
        return this.upsertTicket(f.ticket) ? { tickets: true } : null;
      case 'presence': // someone came online or left: the teams' online counts are fetched again
        return { presence: true };
      case 'typing': // the customer of the open conversation is typing (issue 27.3)
        return f.sender === 'customer' && f.conversation_id && f.conversation_id === this.openId ? { typing: true } : null;
      case 'read': // ... has read the agent's messages up to seq
        return f.sender === 'customer' && f.conversation_id === this.openId && Number.isInteger(f.seq) ? { read: f.seq } : null;
      default:
        return null;
    }
  }
}
