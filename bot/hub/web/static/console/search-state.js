/* The console search's pure helpers (search.js): the query string from the form, the labels and
 * the status line of a result page. No DOM here, so node tests them (tests/js/console-search.test.mjs).
 */

export const KIND_LABELS = { message: 'Nachricht', note: 'Interne Notiz', ticket: 'Anfrage', contact: 'Kontakt' };
export const SENDER_LABELS = { customer: 'Kunde', bot: 'Bot', agent: 'Mitarbeiter', system: 'System' };
const FILTERS = ['kind', 'channel', 'state', 'team', 'tag', 'agent', 'from', 'to'];
const WORD = /[\p{L}\p{N}]/u;

// {query} (a URL query string without "?") or {error} (German, for the status line).
export function searchQuery(values, page = 1) {
  const q = String(values.q || '').trim();
  if (!WORD.test(q)) return { error: 'Bitte geben Sie mindestens einen Buchstaben oder eine Ziffer ein.' };
  if (q.length > 200) return { error: 'Der Suchbegriff darf höchstens 200 Zeichen lang sein.' };
  if (values.from && values.to && values.from > values.to) return { error: 'Das Datum „von“ liegt nach dem Datum „bis“.' };
  const params = new URLSearchParams({ q });
  FILTERS.forEach((name) => { if (values[name]) params.set(name, String(values[name])); });
  if (page > 1) params.set('page', String(page));
  return { query: params.toString() };
}

// The heading of one hit: what it is and whose, e.g. "Anfrage #88 · Jürgen Weiß".
export function hitTitle(hit, channelLabel = (c) => c) {
  let what = KIND_LABELS[hit.kind] || hit.kind;
  if (hit.kind === 'ticket') what += ` #${hit.id}`;
  if (hit.kind === 'message' && SENDER_LABELS[hit.sender]) what += ` (${SENDER_LABELS[hit.sender]})`;
  return `${what} · ${hit.display_name || channelLabel(hit.channel)}`;
}

// The status line below the form after a page arrived.
export function statusText(body, q) {
  const n = (body.results || []).length;
  if (!n) return body.page > 1 ? 'Keine weiteren Treffer.' : `Keine Treffer für „${q}“.`;
  const hits = n === 1 ? '1 Treffer' : `${n} Treffer`;
  return `${hits} auf Seite ${body.page}${body.has_more ? ', weitere Seiten vorhanden' : ''}.`;
}
