// Request list and customer history logic of the console (issue 27.7, 27.9, 27.12).
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_FILTERS, MAIL_OFF_TEXT, cards, fmtDateTime, matches, movesFrom, number, takeOverLabel, ticketQuery,
} from '../../bot/hub/web/static/console/tickets-state.js';
import { earlier, mergeable, recognisedText } from '../../bot/hub/web/static/console/history-state.js';
import { mailBox } from '../../bot/hub/web/static/console/state.js';
import { tables } from '../../bot/hub/web/static/console/report-state.js';

test('the filters become the list query, empty ones left out', () => {
  assert.equal(ticketQuery(DEFAULT_FILTERS), '?status=active&sort=newest');
  assert.equal(ticketQuery({ status: 'done', team: 'buchhaltung', assignee: 'me', tag: '3', sort: 'due' }),
    '?status=done&team=buchhaltung&assignee=me&tag=3&sort=due');
  assert.equal(ticketQuery({}), '');
});

test('a live update keeps a request on the list only while it matches', () => {
  const f = { ...DEFAULT_FILTERS };
  assert.equal(matches({ status: 'waiting' }, f, 1), true);
  assert.equal(matches({ status: 'done' }, f, 1), false); // closed by a colleague: off the active list
  assert.equal(matches({ status: 'done' }, { ...f, status: 'done' }, 1), true);
  assert.equal(matches({ status: 'open', assignee_id: 2 }, { ...f, assignee: 'me' }, 1), false);
  assert.equal(matches({ status: 'open', assignee_id: null }, { ...f, assignee: 'none' }, 1), true);
  assert.equal(matches({ status: 'open', tags: [{ id: 4 }] }, { ...f, tag: '3' }, 1), false);
  assert.equal(matches({ status: 'open', team: 'retouren' }, { ...f, team: 'buchhaltung' }, 1), false);
});

test('status moves as the hub allows them', () => {
  assert.deepEqual(movesFrom('open').map(([to]) => to), ['waiting', 'done']);
  assert.deepEqual(movesFrom('done').map(([to]) => to), ['reopened']);
  assert.deepEqual(movesFrom('nonsense'), []);
});

test('one card per group of repeated requests, with the others under it', () => {
  const list = [
    { id: 7, group: { key: 'a', count: 2 } }, { id: 8 }, { id: 9, group: { key: 'a', count: 2 } }, { id: 10, number: 10 },
  ];
  const shown = cards(list);
  assert.deepEqual(shown.map((c) => c.ticket.id), [7, 8, 10]);
  assert.deepEqual(shown[0].more.map((t) => t.id), [9]);
  assert.equal(number({ id: 5 }), 5);
});

test('dates always carry their time, and mail off names no setting', () => {
  assert.match(fmtDateTime('2026-12-07T09:15:00Z'), /^\d{2}\.\d{2}\.2026, \d{2}:\d{2}$/);
  assert.equal(fmtDateTime(null), '');
  assert.doesNotMatch(MAIL_OFF_TEXT, /KD_|ENABLED/);
  assert.doesNotMatch(mailBox({ contact: 'a@b.de' }, false).hint, /KD_/);
  assert.equal(takeOverLabel({ reachable: true }), 'Im Chat übernehmen');
});

test('the history says how the customer was recognised, and what can be merged', () => {
  assert.match(recognisedText({ recognised: false }), /nicht sicher erkannt/);
  assert.equal(recognisedText({ recognised: true, emails: ['k@x.de'], messenger: null }), 'Erkannt über bestätigte E-Mail k@x.de.');
  assert.equal(mergeable({ state: 'closed' }), true);
  assert.equal(mergeable({ state: 'agent' }), false);
  assert.equal(mergeable({ state: 'bot', merged_into: 'x' }), false);
  assert.equal(mergeable({ state: 'bot', current: true }), false);
  assert.deepEqual(earlier({ conversations: [{ current: true }, { conversation_id: 'b' }] }), [{ conversation_id: 'b' }]);
});

test('the tags report has its table', () => {
  const t = tables('tags', { tags: [{ id: 1, name: 'Zahlung', conversations: 3, tickets: 1 }] });
  assert.deepEqual(t.by_tag, { caption: 'Schlagwörter im Zeitraum', head: ['Schlagwort', 'Gespräche', 'Anfragen'], rows: [['Zahlung', 3, 1]] });
});
