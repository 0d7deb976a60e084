// Unit tests of the console's team and e-mail state (static/console/state.js). Run: node --test tests/js/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  ConsoleState, isEmail, mailBox, mailsPending, teamStatus,
} from '../../bot/hub/web/static/console/state.js';

// What GET /api/v1/agent/teams answers with two (here three) teams configured.
const TEAMS = {
  configured: true,
  teams: [
    { key: 'kundenservice', name: 'Kundenservice', default: true, open: true, next_available: null, waiting: 1, online: 2 },
    { key: 'buchhaltung', name: 'Buchhaltung', default: false, open: false, next_available: 'ab Montag, 8 Uhr', waiting: 0, online: 0 },
    { key: 'retouren', name: 'Retouren', default: false, open: true, next_available: null, waiting: 2, online: 1 },
  ],
  mine: ['buchhaltung'],
  members: { 7: ['buchhaltung', 'retouren'] },
};
const QUEUE = [
  { conversation_id: 'a', team: 'buchhaltung', team_name: 'Buchhaltung', wait_seconds: 5 },
  { conversation_id: 'b', team: 'retouren', team_name: 'Retouren', wait_seconds: 3 },
];

function state(role, mine = TEAMS.mine) {
  const s = new ConsoleState();
  s.me = { id: 1, role };
  s.setTeams(Object.assign({}, TEAMS, { mine }));
  s.setQueue(QUEUE, 10000);
  return s;
}

test('an agent with one team gets no filter; with two teams a filter of their teams', () => {
  assert.deepEqual(state('agent').filterTeams(), []);
  assert.deepEqual(state('agent', ['buchhaltung', 'retouren']).filterTeams().map((t) => t.key), ['buchhaltung', 'retouren']);
});

test('supervisors and admins filter over all teams', () => {
  for (const role of ['supervisor', 'admin']) {
    assert.deepEqual(state(role, ['kundenservice', 'buchhaltung', 'retouren']).filterTeams().map((t) => t.key),
      ['kundenservice', 'buchhaltung', 'retouren']);
  }
});

test('without teams configured there is neither filter nor team transfer', () => {
  const s = new ConsoleState();
  s.me = { id: 1, role: 'admin' };
  s.setTeams({ configured: false, teams: [{ key: 'kundenservice', name: 'Kundenservice' }], mine: ['kundenservice'] });
  assert.deepEqual(s.filterTeams(), []);
  assert.deepEqual(s.transferTeams(), []);
});

test('the queue filter shows one team; a filter on a team no longer listed is dropped', () => {
  const s = state('admin');
  assert.equal(s.visibleQueue().length, 2);
  s.teamFilter = 'retouren';
  assert.deepEqual(s.visibleQueue().map((h) => h.conversation_id), ['b']);
  s.setTeams(Object.assign({}, TEAMS, { teams: TEAMS.teams.filter((t) => t.key !== 'retouren') }));
  assert.equal(s.teamFilter, '');
  assert.equal(s.visibleQueue().length, 2);
});

test('team names, transfer targets and memberships (none stored: the default team)', () => {
  const s = state('admin');
  assert.equal(s.teamName('buchhaltung'), 'Buchhaltung');
  assert.equal(s.teamName('weg'), 'weg');
  assert.deepEqual(s.transferTeams().map((t) => t.key), ['kundenservice', 'buchhaltung', 'retouren']);
  assert.deepEqual(s.memberTeams(7), ['buchhaltung', 'retouren']);
  assert.deepEqual(s.memberTeams(8), ['kundenservice']);
  s.reset();
  assert.equal(s.teams.configured, false);
  assert.equal(s.teamFilter, '');
});

test('team status in words', () => {
  assert.equal(teamStatus(TEAMS.teams[0]), 'Kundenservice: jetzt geöffnet, 1 wartet, 2 online');
  assert.equal(teamStatus(TEAMS.teams[1]), 'Buchhaltung: geschlossen – wieder erreichbar ab Montag, 8 Uhr, 0 warten, 0 online');
  assert.equal(teamStatus({ name: 'X', open: false, next_available: null }), 'X: geschlossen, 0 warten, 0 online');
});

test('"Antwort per E-Mail" only with mail on, an address and an open request', () => {
  const t = { id: 1, contact: ' kunde@example.de ', status: 'open' };
  assert.deepEqual(mailBox(t, true), { enabled: true, hint: '' });
  assert.equal(mailBox(t, false).enabled, false);
  assert.match(mailBox(t, false).hint, /nicht eingerichtet/);
  assert.match(mailBox({ id: 2, contact: 'webchat:+49 170 123' }, true).hint, /keine E-Mail-Adresse/);
  assert.match(mailBox({ id: 3, contact: null }, true).hint, /keine E-Mail-Adresse/);
  assert.match(mailBox({ id: 4, contact: 'a@b.de', status: 'done' }, true).hint, /erledigt/);
  assert.equal(isEmail('a@b'), false);
  assert.equal(isEmail('<a@b.de>'), false);
});

test('mails: added once, pending until sent or failed', () => {
  const s = new ConsoleState();
  s.addMail(5, { id: 1, state: 'pending' });
  s.addMail(5, { id: 1, state: 'sending' });
  assert.equal(s.mails.get('5').length, 1);
  assert.equal(mailsPending(s.mails.get('5')), true);
  s.setMails(5, [{ id: 1, state: 'sent' }, { id: 2, state: 'failed' }]);
  assert.equal(mailsPending(s.mails.get('5')), false);
  assert.equal(mailsPending(undefined), false);
});
