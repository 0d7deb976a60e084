// The console's macro picker, SLA texts and "who else is here" logic (issue 27.10, 27.11, 27.13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { macroExtras, matchMacros, moveActive, slashQuery, slashStart } from '../../bot/hub/web/static/console/macros-state.js';
import { duration, slaClock, slaLong, slaShort } from '../../bot/hub/web/static/console/sla-state.js';
import {
  agentOption, atQuery, atStart, heard, matchAgents, mentionLine, mentionOf, othersIn, replyWarning, viewersText,
} from '../../bot/hub/web/static/console/mentions-state.js';

const MACROS = [
  { id: 1, title: 'Begrüßung', text: 'Hallo, hier ist das Team', text_du: null },
  { id: 2, title: 'Erstattung veranlasst', text: 'Ich habe die Erstattung veranlasst.', tags: ['erstattung'], action: 'close' },
  { id: 3, title: 'Abschluss', text: 'Kann ich sonst noch etwas tun? Die Erstattung läuft.' },
];

test('"/" at the start of the box or of a line asks for a macro', () => {
  assert.equal(slashQuery('/', 1), '');
  assert.equal(slashQuery('/erst', 5), 'erst');
  assert.equal(slashQuery('Hallo\n/abs', 10), 'abs');
  assert.equal(slashQuery('1/2 Preis', 3), null); // a slash inside a word is text
  assert.equal(slashQuery('/erst ', 6), null); // a space ends the query
  assert.equal(slashStart('Hallo\n/abs', 10), 6);
});

test('titles match before texts, umlauts folded', () => {
  assert.deepEqual(matchMacros(MACROS, 'erst').map((m) => m.id), [2, 3]);
  assert.deepEqual(matchMacros(MACROS, 'begrussung').map((m) => m.id), [1]);
  assert.equal(matchMacros(MACROS, '').length, 3);
});

test('arrow keys move the highlight and wrap; other keys do not', () => {
  assert.equal(moveActive(-1, 3, 'ArrowDown'), 0);
  assert.equal(moveActive(2, 3, 'ArrowDown'), 0);
  assert.equal(moveActive(0, 3, 'ArrowUp'), 2);
  assert.equal(moveActive(1, 3, 'a'), null);
  assert.equal(moveActive(0, 0, 'ArrowDown'), null);
});

test('what a macro does besides its text', () => {
  assert.equal(macroExtras(MACROS[1]), 'danach abschließen · Schlagwörter: erstattung');
  assert.equal(macroExtras({ action: 'transfer_team:buchhaltung', tags: [] }, () => 'Buchhaltung'), 'danach an Team Buchhaltung');
});

test('the SLA clock: first response until answered, then resolution', () => {
  const running = { state: 'running', left_seconds: 720, paused: false };
  const warning = { state: 'warning', left_seconds: 120, paused: false };
  assert.deepEqual(slaClock({ first_response: running, resolution: warning }).kind, 'first_response');
  assert.deepEqual(slaClock({ first_response: { state: 'met' }, resolution: warning }).kind, 'resolution');
  assert.equal(slaShort(running), 'noch 12 Min.');
  assert.equal(slaShort({ state: 'breached', left_seconds: -3900 }), 'überfällig 1 Std. 5 Min.');
  assert.equal(slaLong('resolution', warning), 'Lösung: noch 2 Min. – knapp');
  assert.equal(slaLong('first_response', { ...running, paused: true }), 'Erstantwort: noch 12 Min. (pausiert, Team gerade geschlossen)');
  assert.equal(duration(10), '1 Min.');
  assert.equal(duration(7200), '2 Std.');
});

test('who else views or writes, expired entries dropped, a warning for the second agent', () => {
  const seen = new Map();
  heard(seen, { conversation_id: 'c1', agent_id: 2, agent_name: 'Tom', ttl: 30 }, 0);
  heard(seen, { conversation_id: 'c1', agent_id: 3, agent_name: 'Ali', replying: true, ttl: 30 }, 0);
  heard(seen, { conversation_id: 'c1', agent_id: 1, agent_name: 'Eva', ttl: 30 }, 0);
  const others = othersIn(seen, 'c1', 1, 1000);
  assert.deepEqual(others.map((o) => o.name), ['Ali', 'Tom']);
  assert.equal(viewersText(others), 'Ali schreibt gerade eine Antwort · Auch geöffnet von: Tom');
  assert.equal(replyWarning(others), 'Achtung: Ali schreibt gerade ebenfalls eine Antwort in diesem Gespräch.');
  heard(seen, { conversation_id: 'c1', agent_id: 3, left: true }, 2000);
  assert.equal(replyWarning(othersIn(seen, 'c1', 1, 2000)), 'Hinweis: Tom hat dieses Gespräch gerade auch geöffnet.');
  assert.deepEqual(othersIn(seen, 'c1', 1, 31000), []); // not heard of for 30 s
  assert.equal(replyWarning([]), null);
});

test('a mention of a conversation one may not open shows no note', () => {
  assert.equal(mentionLine({ by_name: 'Eva', text: '@Tom bitte' }), 'Eva: @Tom bitte');
  assert.equal(mentionLine({ by_name: 'Eva', text: null, visible: false }),
    'Eva hat Sie in einem Gespräch erwähnt, das Ihnen gerade nicht freigegeben ist.');
});

const AGENTS = [
  { id: 1, name: 'Eva Schulz', status: 'online', active: true },
  { id: 2, name: 'Birgit Maier', status: 'away', active: true },
  { id: 3, name: 'Björn  Albers', status: 'offline', active: true },
  { id: 4, name: 'Bernd Alt', status: 'online', active: false },
  { id: 5, name: 'Tom', status: 'online', active: true },
];

test('"@" where a word starts asks for a colleague; an address does not', () => {
  assert.equal(atQuery('@', 1), '');
  assert.equal(atQuery('Bitte @bi', 9), 'bi');
  assert.equal(atQuery('(@Tom', 5), 'Tom');
  assert.equal(atQuery('@Birgit Ma', 10), 'Birgit Ma'); // a second word for full names
  assert.equal(atQuery('@Birgit Maier kannst', 20), null); // a third word is the note again
  assert.equal(atQuery('eva@shop', 8), null);
  assert.equal(atQuery('@Tom ', 5), 'Tom '); // still open right after the name, closes with the next word
  assert.equal(atQuery('Hallo @bi und', 9), 'bi'); // the caret decides, not the end of the text
  assert.equal(atStart('Hallo @bi', 9), 6);
});

test('names match from their start or a word start, folded, without the writer or deactivated agents', () => {
  assert.deepEqual(matchAgents(AGENTS, 'b', 1).map((a) => a.id), [2, 3]); // Bernd is deactivated
  assert.deepEqual(matchAgents(AGENTS, 'bjo', 1).map((a) => a.id), [3]); // "Björn" folded
  assert.deepEqual(matchAgents(AGENTS, 'maier', 1).map((a) => a.id), [2]); // a later word
  assert.deepEqual(matchAgents(AGENTS, 'bjorn a', 1).map((a) => a.id), [3]); // double space in the name
  assert.deepEqual(matchAgents(AGENTS, 'eva', 1), []); // naming oneself is no mention
  assert.deepEqual(matchAgents(AGENTS, '', 1).map((a) => a.id), [2, 3, 5]);
  assert.equal(matchAgents(AGENTS, '', 99, 2).length, 2);
});

test('the picked name goes in whole, with its presence shown in the list', () => {
  assert.equal(mentionOf(AGENTS[2]), '@Björn Albers ');
  assert.equal(agentOption(AGENTS[1]), 'Birgit Maier (abwesend)');
  assert.equal(agentOption({ name: 'X' }), 'X');
});
