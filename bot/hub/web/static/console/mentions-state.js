/* "Für mich", who else is in a conversation and the "@" picker of the note box (issue 27.11), pure so
 * node tests it. */
import { fold } from './macros-state.js';

export const VIEWING_RESEND_MS = 10000; // the hub's consoles forget an entry after its ttl (30 s)

// Others in a conversation from the viewing frames heard: [{agent_id, name, replying}], newest state
// per agent, expired ones dropped. seen: Map conversation -> Map agent_id -> {name, replying, until}.
export function othersIn(seen, convId, me, now) {
  const here = seen.get(convId);
  if (!here) return [];
  const out = [];
  here.forEach((v, agentId) => {
    if (agentId === me || v.until < now) return;
    out.push({ agent_id: agentId, name: v.name, replying: v.replying });
  });
  return out.sort((a, b) => a.name.localeCompare(b.name, 'de'));
}

// Remembers one viewing frame; returns the map for chaining.
export function heard(seen, f, now) {
  if (!seen.has(f.conversation_id)) seen.set(f.conversation_id, new Map());
  const here = seen.get(f.conversation_id);
  if (f.left) here.delete(f.agent_id);
  else here.set(f.agent_id, { name: f.agent_name || '?', replying: !!f.replying, until: now + (f.ttl || 30) * 1000 });
  return seen;
}

const names = (people) => people.map((p) => p.name).join(', ');

// The line in the conversation head: "Tom schreibt gerade eine Antwort · Auch geöffnet von: Ali".
export function viewersText(others) {
  const writing = others.filter((o) => o.replying);
  const looking = others.filter((o) => !o.replying);
  const parts = [];
  if (writing.length) parts.push(`${names(writing)} ${writing.length > 1 ? 'schreiben' : 'schreibt'} gerade eine Antwort`);
  if (looking.length) parts.push(`Auch geöffnet von: ${names(looking)}`);
  return parts.join(' · ');
}

// The warning for an agent who starts replying while someone else is there (null: nobody).
export function replyWarning(others) {
  const writing = others.filter((o) => o.replying);
  if (writing.length) return `Achtung: ${names(writing)} ${writing.length > 1 ? 'schreiben' : 'schreibt'} gerade ebenfalls eine Antwort in diesem Gespräch.`;
  if (others.length) return `Hinweis: ${names(others)} ${others.length > 1 ? 'haben' : 'hat'} dieses Gespräch gerade auch geöffnet.`;
  return null;
}

// One entry of "Für mich"; the note's text only while its conversation is one this agent may open.
export function mentionLine(m) {
  if (m.text == null) return `${m.by_name || 'Jemand'} hat Sie in einem Gespräch erwähnt, das Ihnen gerade nicht freigegeben ist.`;
  return `${m.by_name || 'Jemand'}: ${m.text}`;
}

// --- the "@" picker in the note box ---------------------------------------------------------------
// "@bir" typed where a word starts (as the hub reads mentions: bot/hub/mentions/names.py), the caret right
// after it: the query ("bir"); one more word may follow for full names ("@Birgit Ma"). null: no picker.
export function atQuery(value, caret) {
  const before = value.slice(0, caret);
  const m = /(?:^|[\s(\[,;:])@([^\s@]{0,40}(?: [^\s@]{0,40})?)$/.exec(before);
  return m ? m[1] : null;
}

// Where the "@query" starts, to replace it with the picked name.
export function atStart(value, caret) {
  return value.slice(0, caret).lastIndexOf('@');
}

// Active colleagues whose name (or one of its words) starts with the query, name starts first, then by
// name; never the writer (naming oneself is no mention); at most `limit`.
export function matchAgents(agents, query, me, limit = 8) {
  const q = fold(query).replace(/\s+/g, ' ');
  const others = agents.filter((a) => a.active !== false && a.id !== me && a.name);
  const name = (a) => fold(a.name.trim().split(/\s+/).join(' '));
  const starts = others.filter((a) => name(a).startsWith(q));
  const words = others.filter((a) => !starts.includes(a) && name(a).split(' ').some((w) => w.startsWith(q)));
  const byName = (a, b) => a.name.localeCompare(b.name, 'de');
  return starts.sort(byName).concat(words.sort(byName)).slice(0, limit);
}

// What replaces "@query": the full name (always names the agent, also when a first name is shared).
export function mentionOf(agent) {
  return `@${agent.name.split(/\s+/).join(' ')} `;
}

const STATUS = { online: 'online', away: 'abwesend', offline: 'offline' };

// The option's words: "Tom Berger (abwesend)".
export function agentOption(agent) {
  const status = STATUS[agent.status];
  return status ? `${agent.name} (${status})` : agent.name;
}
