/* The handoff summary told as a story (issue 27.2): who the customer is, what they want and since
 * when, how they feel, how to reach them and what the bot already did and said - in German words,
 * never internal keys, payloads or raw scores. Pure functions, no DOM (tests/js/console-story.test.mjs);
 * the view puts the result into text nodes, so customer words are never parsed as HTML.
 */

export const UNKNOWN_CUSTOMER = 'Unbekannter Kunde';

// What the customer is called: the messenger name, else the verified e-mail, else the typed one.
export function customerName(conv, handoff) {
  const s = (handoff && handoff.summary) || {};
  return (conv && conv.display_name) || s.email || s.email_given || UNKNOWN_CUSTOMER;
}

// Frustration 0..1 in words (the same bands as the mood chip).
export function moodWords(v) {
  if (v == null || Number.isNaN(Number(v))) return null;
  const n = Number(v);
  return n >= 0.7 ? 'wirkt verärgert' : n >= 0.4 ? 'wirkt ungeduldig' : 'wirkt ruhig';
}

const two = (n) => String(n).padStart(2, '0');
function since(iso, now) {
  if (!iso) return '';
  const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : iso + 'Z');
  if (Number.isNaN(d.getTime())) return '';
  const minutes = Math.max(0, Math.round((now - d) / 60000));
  const ago = minutes < 1 ? 'gerade eben' : minutes === 1 ? 'vor 1 Minute' : minutes < 120 ? `vor ${minutes} Minuten` : `vor ${Math.round(minutes / 60)} Stunden`;
  return ` seit ${two(d.getHours())}:${two(d.getMinutes())} Uhr (${ago})`;
}

const quote = (t) => `„${String(t).trim()}“`;

// Sentences, each a plain string: [wants, mood, contact, bot did, bot said] (empty ones left out).
export function handoffStory(handoff, conv, now = new Date()) {
  const s = (handoff && handoff.summary) || {};
  const who = conv && conv.display_name ? conv.display_name : 'Der Kunde';
  const topic = s.topic && s.topic !== 'unklar' ? s.topic : '';
  const words = s.request ? quote(s.request) : '';
  const what = words && topic ? `${words} (${topic})` : words || topic || 'Hilfe von einem Menschen';
  const start = since((conv && conv.created_at) || (handoff && handoff.queued_at), now);
  const out = [`${who} möchte ${what}${start ? ',' + start : ''}.`];
  const feel = moodWords(s.mood);
  if (feel) out.push(`${who === 'Der Kunde' ? 'Er/Sie' : who} ${feel}${handoff && handoff.reason_label ? ` – ${handoff.reason_label}` : ''}.`);
  if (s.email) out.push(`Kontakt: ${s.email}, geprüft${s.order_id ? ` über Bestellung ${s.order_id}` : ''}.`);
  else if (s.email_given) out.push(`Kontakt: ${s.email_given} (selbst angegeben, nicht geprüft).`);
  else if (s.order_id) out.push(`Bestellung ${s.order_id} genannt, noch nicht geprüft.`);
  else out.push('Noch kein Kontakt bekannt.');
  const did = Array.isArray(s.bot_actions) ? s.bot_actions.filter(Boolean) : [];
  if (did.length) out.push(`Der Bot hat schon: ${did.join('; ')}.`);
  const said = Array.isArray(s.last_messages) ? s.last_messages.filter((m) => m && m.sender === 'bot' && m.text) : [];
  if (said.length) out.push(`Zuletzt schrieb der Bot: ${quote(said[said.length - 1].text)}`);
  return out;
}

// Summary keys that are for the hub (routing, scores) or already told by the story: not listed.
export const INTERNAL_KEYS = ['topic_key', 'reason_detail', 'mood', 'intents', 'email_given'];
