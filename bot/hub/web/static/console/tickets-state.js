/* Pure logic of the request (ticket) list (issue 27.7): the filters as a query, whether a request
 * still belongs on the list after a live update, the status moves an agent is offered, grouping of
 * one customer's repeated requests into one card, and dates always with their time. No DOM access:
 * tests/js/ runs it in node.
 */

export const STATUS_FILTERS = [
  ['active', 'Offen, wartend und wieder geöffnet'], ['open', 'Offen'], ['waiting', 'Wartet auf Kunde'],
  ['reopened', 'Wieder geöffnet'], ['done', 'Erledigt'], ['all', 'Alle'],
];
export const SORTS = [['newest', 'Neueste zuerst'], ['oldest', 'Älteste zuerst'], ['due', 'Fällige zuerst']];
export const DEFAULT_FILTERS = Object.freeze({ status: 'active', team: '', assignee: '', tag: '', sort: 'newest' });

// The moves the hub allows from each status (bot/hub/tickets/status.py) with the button's words.
export const MOVES = {
  open: [['waiting', 'Wartet auf Kunde'], ['done', 'Erledigt']],
  waiting: [['open', 'Wieder offen'], ['done', 'Erledigt']],
  reopened: [['waiting', 'Wartet auf Kunde'], ['done', 'Erledigt']],
  done: [['reopened', 'Wieder öffnen']],
};
export const movesFrom = (status) => MOVES[status] || [];

// Without e-mail the card explains, in plain German, how to answer instead (no settings named).
export const MAIL_OFF_TEXT = 'Antworten per E-Mail sind in diesem System nicht eingerichtet. Übernehmen Sie die '
  + 'Anfrage in den Chat, solange der Kunde erreichbar ist, oder melden Sie sich über den hinterlegten Kontakt.';

// GET /agent/tickets?… for the chosen filters (empty ones left out).
export function ticketQuery(f) {
  const q = new URLSearchParams();
  ['status', 'team', 'assignee', 'tag', 'sort'].forEach((k) => { if (f && f[k]) q.set(k, String(f[k])); });
  const s = q.toString();
  return s ? `?${s}` : '';
}

const ACTIVE = ['open', 'waiting', 'reopened'];

// Whether a request (after a live update) still matches the list's filters; `me`: the agent's id.
export function matches(t, f, me) {
  if (!t) return false;
  const status = t.status || 'open';
  if (f.status === 'active' ? !ACTIVE.includes(status) : f.status !== 'all' && f.status !== status) return false;
  if (f.team && t.team != null && t.team !== f.team) return false;
  if (f.assignee === 'me' && t.assignee_id !== me) return false;
  if (f.assignee === 'none' && t.assignee_id != null) return false;
  if (f.tag && Array.isArray(t.tags) && !t.tags.some((x) => String(x.id) === String(f.tag))) return false;
  return true;
}

// The cards to show: a group of one customer's requests about one matter is one card (its first request
// in list order) with the others in `more`.
export function cards(tickets) {
  const seen = new Map();
  const out = [];
  (tickets || []).forEach((t) => {
    const key = t.group && t.group.key;
    if (key && seen.has(key)) { seen.get(key).more.push(t); return; }
    const card = { ticket: t, more: [] };
    if (key) seen.set(key, card);
    out.push(card);
  });
  return out;
}

export const number = (t) => (t && (t.number != null ? t.number : t.id));

export function groupText(count) {
  return count > 1 ? `${count} Anfragen dieses Kunden zur selben Sache` : '';
}

// A date always with its time ("07.12.2026, 10:15"), in the browser's time zone.
export function fmtDateTime(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || isNaN(d)) return '';
  return d.toLocaleString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function assigneeText(t) {
  return t.assignee_name ? `Zuständig: ${t.assignee_name}` : 'Noch niemand zuständig';
}

export function contactText(t) {
  return t.contact ? String(t.contact) : 'Kein Kontakt hinterlegt';
}

// The take-over button: into the chat while the customer is there, else the request becomes mine.
export function takeOverLabel(t) {
  return t.reachable ? 'Im Chat übernehmen' : 'Übernehmen (Kunde nicht im Chat)';
}
