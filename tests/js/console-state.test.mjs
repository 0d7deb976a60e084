// Unit tests of the agent console's pure state (static/console/state.js). Run: node --test tests/js/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  ConsoleState, SESSION_ENDED, elevated, fmtDuration, headerInfo, labelFor, moodClass, needsOtp, pct, reconnectDelay,
  senderOf, summaryFields, ticketDone, twoFactorForm,
} from '../../bot/hub/web/static/console/state.js';

// What GET /api/v1/states answers (bot/hub/states.py LABELS).
const LABELS = {
  conversation: { bot: 'Bot', queued: 'Wartet', agent: 'Mitarbeiter', closed: 'Abgeschlossen' },
  handoff: { queued: 'Wartet', claimed: 'Übernommen', done: 'Erledigt', ticket: 'Anfrage notiert', left: 'Rückruf gewünscht' },
  ticket: { open: 'Offen', done: 'Erledigt' },
  sender: { customer: 'Kunde', bot: 'Bot', agent: 'Mitarbeiter', system: 'System' },
  agent_status: { online: 'Online', away: 'Abwesend', offline: 'Offline' },
  channel: { webchat: 'Webchat', telegram: 'Telegram', messenger: 'Messenger', whatsapp: 'WhatsApp' },
};

function loggedIn(me = { id: 7, role: 'agent' }) {
  const S = new ConsoleState();
  S.me = me;
  S.labels = LABELS;
  return S;
}

test('labels come from the served list, with the raw value as fallback', () => {
  const S = loggedIn();
  assert.equal(S.label('conversation', 'queued'), 'Wartet');
  assert.equal(S.label('channel', 'messenger'), 'Messenger');
  assert.equal(S.label('sender', 'customer'), 'Kunde');
  assert.equal(S.label('ticket', 'done'), 'Erledigt');
  assert.equal(S.label('agent_status', 'away'), 'Abwesend');
  assert.equal(S.label('agent_status', 'busy'), 'busy'); // a status the server does not have
  assert.equal(S.label('channel', 'email'), 'email'); // unknown key: raw value
  assert.equal(S.label('nosuchgroup', 'x'), 'x');
  assert.equal(S.label('channel', undefined, '–'), '–');
  assert.equal(S.label('conversation', null), '');
  assert.equal(S.label('channel', 'constructor'), 'constructor'); // no prototype lookups
});

test('without a label list every label is the raw value', () => {
  const S = new ConsoleState();
  assert.equal(S.label('conversation', 'agent'), 'agent');
  assert.equal(labelFor(null, 'channel', 'webchat'), 'webchat');
  assert.equal(labelFor({ channel: { webchat: '' } }, 'channel', 'webchat'), 'webchat');
});

test('senders the stylesheet does not know show as system', () => {
  assert.equal(senderOf({ sender: 'agent' }), 'agent');
  assert.equal(senderOf({ sender: 'robot' }), 'system');
  assert.equal(senderOf({}), 'system');
});

test('queue frames replace the queue and count new handoffs (not on the first load)', () => {
  const S = loggedIn();
  const now = 1_000_000;
  let r = S.applyFrame({ type: 'queue', handoffs: [{ conversation_id: 'a', wait_seconds: 30 }] }, now);
  assert.deepEqual(r, { queue: true, fresh: 0 });
  assert.equal(S.queue[0]._since, now - 30000);
  r = S.applyFrame({ type: 'queue', handoffs: [{ conversation_id: 'a' }, { conversation_id: 'b', queued_at: '1970-01-01T00:00:10Z' }] }, now);
  assert.deepEqual(r, { queue: true, fresh: 1 });
  assert.deepEqual(S.queue.map((h) => h.conversation_id), ['a', 'b']);
  assert.equal(S.queue[0]._since, now); // neither wait_seconds nor queued_at
  assert.equal(S.queue[1]._since, 10000);
  r = S.applyFrame({ type: 'queue', handoffs: [{ conversation_id: 'b' }] }, now);
  assert.deepEqual(r, { queue: true, fresh: 0 });
  assert.equal(S.queue.length, 1);
  S.dropFromQueue('b');
  assert.equal(S.queue.length, 0);
});

test('a message for the open conversation is appended, others count as unread', () => {
  const S = loggedIn();
  S.setConvs([{ conversation_id: 'a', last_message_at: '2024-01-01T10:00:00Z' }, { conversation_id: 'b' }]);
  S.openId = 'b';
  const m = { id: 'm1', sender: 'customer', text: 'Hallo', created_at: '2024-01-01T11:00:00Z' };
  assert.deepEqual(S.applyFrame({ type: 'message', conversation_id: 'b', message: m }), { append: m });
  assert.deepEqual(S.applyFrame({ type: 'message', conversation_id: 'a', message: m }), { convs: true, header: false });
  S.applyFrame({ type: 'message', conversation_id: 'a', message: { id: 'm2' } });
  assert.equal(S.convs.get('a').unread, 2);
  assert.equal(S.convs.get('a').last_message_at, '2024-01-01T11:00:00Z');
  assert.equal(S.applyFrame({ type: 'message', conversation_id: 'zzz', message: m }), null); // not mine
  assert.equal(S.applyFrame({ type: 'message', message: m }), null);
});

test('conversation frames keep mine and listed ones, drop those taken by others', () => {
  const S = loggedIn({ id: 7, role: 'agent' });
  S.setConvs([{ conversation_id: 'listed', state: 'agent', assigned_agent_id: 7 }]);
  assert.deepEqual(S.applyFrame({ type: 'conversation', conversation: { conversation_id: 'new', assigned_agent_id: 7, state: 'agent' } }),
    { convs: true, header: false });
  assert.ok(S.convs.has('new'));
  S.applyFrame({ type: 'conversation', conversation: { conversation_id: 'stranger', assigned_agent_id: null } });
  assert.ok(!S.convs.has('stranger'));
  S.applyFrame({ type: 'conversation', conversation: { conversation_id: 'listed', state: 'closed', assigned_agent_id: null } });
  assert.equal(S.convs.get('listed').state, 'closed');
  S.applyFrame({ type: 'conversation', conversation: { conversation_id: 'listed', assigned_agent_id: 9 } });
  assert.ok(!S.convs.has('listed'));
  assert.equal(S.applyFrame({ type: 'conversation', conversation: {} }), null);
  assert.equal(S.applyFrame({ type: 'nonsense' }), null);
  assert.equal(S.applyFrame(null), null);
});

test('an update of the open conversation refreshes its header data', () => {
  const S = loggedIn();
  S.setConvs([{ conversation_id: 'a', state: 'queued' }]);
  S.openId = 'a';
  S.setOpen('a', { conversation: { conversation_id: 'a', state: 'queued', display_name: 'Anna' } });
  const r = S.applyFrame({ type: 'conversation', conversation: { conversation_id: 'a', state: 'agent', assigned_agent_id: 7 } });
  assert.deepEqual(r, { convs: true, header: true });
  assert.equal(S.open.conversation.state, 'agent');
  assert.equal(S.open.conversation.display_name, 'Anna');
});

test('conversation list is sorted by last message, newest first', () => {
  const S = loggedIn();
  S.setConvs([
    { conversation_id: 'old', last_message_at: '2024-01-01T08:00:00Z' },
    { conversation_id: 'none' },
    { conversation_id: 'new', last_message_at: '2024-01-02T08:00:00Z' },
  ]);
  assert.deepEqual(S.convList().map((c) => c.conversation_id), ['new', 'old', 'none']);
});

test('opening a conversation resets unread and the transcript dedupe', () => {
  const S = loggedIn();
  S.setConvs([{ conversation_id: 'a', unread: 3 }]);
  assert.equal(S.takeMessage({ id: 'm1' }), true);
  assert.equal(S.takeMessage({ id: 'm1' }), false);
  assert.equal(S.takeMessage({ text: 'no id' }), true);
  assert.equal(S.takeMessage({ text: 'no id' }), true);
  assert.equal(S.takeMessage(null), false);
  S.setOpen('a', { conversation: {} });
  assert.equal(S.convs.get('a').unread, 0);
  assert.equal(S.takeMessage({ id: 'm1' }), true);
});

test('ticket frames update or add tickets and the open count', () => {
  const S = loggedIn();
  S.setTickets([{ id: 1, status: 'open' }, { id: 2, status: 'done' }]);
  assert.equal(S.openTicketCount(), 1);
  assert.deepEqual(S.applyFrame({ type: 'ticket', ticket: { id: 3, status: 'open' } }), { tickets: true });
  assert.deepEqual(S.tickets.map((t) => t.id), [3, 1, 2]);
  S.applyFrame({ type: 'ticket', ticket: { id: 1, status: 'closed' } });
  assert.equal(S.openTicketCount(), 1);
  assert.equal(S.applyFrame({ type: 'ticket', ticket: {} }), null);
  assert.ok(ticketDone({ status: 'Erledigt' }));
  assert.ok(!ticketDone({ status: 'open' }));
  assert.ok(!ticketDone({}));
});

test('reset forgets the session but keeps the labels', () => {
  const S = loggedIn();
  S.setQueue([{ conversation_id: 'a' }]);
  S.setConvs([{ conversation_id: 'a' }]);
  S.openId = 'a';
  S.reset();
  assert.equal(S.queue.length, 0);
  assert.equal(S.convs.size, 0);
  assert.equal(S.openId, null);
  assert.equal(S.seenHandoffs, null);
  assert.equal(S.label('conversation', 'closed'), 'Abgeschlossen');
});

test('header actions depend on state and assignment', () => {
  const me = { id: 7, role: 'agent' };
  const agents = [{ id: 7, name: 'Eva' }, { id: 9, name: 'Max' }];
  let h = headerInfo({ state: 'agent', assigned_agent_id: 7 }, me, agents);
  assert.equal(h.active, true);
  assert.equal(h.close, true);
  assert.equal(h.claim, false);
  assert.equal(h.assignee.name, 'Eva');
  h = headerInfo({ state: 'agent', assigned_agent_id: 9 }, me, agents);
  assert.equal(h.active, false);
  assert.equal(h.hint, 'other');
  assert.equal(headerInfo({ state: 'agent', assigned_agent_id: 9 }, { id: 1, role: 'admin' }, agents).active, true);
  h = headerInfo({ state: 'queued' }, me, agents);
  assert.equal(h.claim, true);
  assert.equal(h.close, false);
  assert.equal(h.hint, 'queued');
  assert.equal(headerInfo({ state: 'queued' }, { id: 1, role: 'admin' }, agents).close, true);
  assert.equal(headerInfo({ state: 'closed' }, me, agents).hint, 'closed');
  assert.equal(headerInfo({}, null, null).active, false);
});

test('summary fields follow the display order; email_verified folds into email', () => {
  const { summary, keys } = summaryFields(
    { summary: { custom: 1, email_verified: true, email: 'a@b.de', topic: 'Lieferung' } }, { register: 'du' });
  assert.deepEqual(keys, ['topic', 'email', 'register', 'custom']);
  assert.equal(summary.register, 'du');
  assert.deepEqual(summaryFields({ summary: { email_verified: false } }, null).keys, ['email_verified']);
  assert.deepEqual(summaryFields(null, null).keys, []);
});

test('formatting helpers', () => {
  assert.equal(fmtDuration(5), '0:05');
  assert.equal(fmtDuration(125.9), '2:05');
  assert.equal(fmtDuration(3725), '1:02:05');
  assert.equal(fmtDuration(-3), '0:00');
  assert.equal(pct(0.456), 46);
  assert.equal(pct(2), 100);
  assert.equal(pct('x'), 0);
  assert.equal(moodClass(0.8), 'mood-high');
  assert.equal(moodClass(0.5), 'mood-mid');
  assert.equal(moodClass(0.1), 'mood-low');
  assert.equal(reconnectDelay(0, 0), 1000);
  assert.equal(reconnectDelay(20, 1), 30000);
});

test('supervisors act like admins in the header; agents only on their own', () => {
  const agents = [{ id: 7, name: 'Eva' }];
  assert.equal(headerInfo({ state: 'agent', assigned_agent_id: 7 }, { id: 2, role: 'supervisor' }, agents).active, true);
  assert.equal(headerInfo({ state: 'queued' }, { id: 2, role: 'supervisor' }, agents).close, true);
  assert.equal(headerInfo({ state: 'agent', assigned_agent_id: 7 }, { id: 2, role: 'agent' }, agents).active, false);
  assert.equal(elevated({ role: 'supervisor' }) && elevated({ role: 'admin' }), true);
  assert.equal(elevated({ role: 'agent' }) || elevated(null), false);
});

test('the login asks for the two-factor code on otp_required and invalid_otp only', () => {
  assert.equal(needsOtp({ code: 'otp_required' }), true);
  assert.equal(needsOtp({ code: 'invalid_otp' }), true);
  assert.equal(needsOtp({ code: 'invalid_credentials' }), false);
  assert.equal(needsOtp({ code: 'too_many_attempts' }), false);
  assert.equal(needsOtp(null), false);
  assert.equal(SESSION_ENDED, 4001);
});

test('two-factor form: enrol with the password, confirm with a code, disable with both', () => {
  let f = twoFactorForm({ two_factor: false }, null);
  assert.deepEqual([f.action, f.password, f.code, f.secret], ['enroll', true, false, false]);
  f = twoFactorForm({ two_factor: false }, { secret: 'ABC', otpauth_uri: 'otpauth://totp/x' });
  assert.deepEqual([f.action, f.password, f.code, f.secret], ['confirm', false, true, true]);
  f = twoFactorForm({ two_factor: true }, null);
  assert.deepEqual([f.action, f.password, f.code, f.secret], ['disable', true, true, false]);
});

test('typing and read frames of the open conversation only (issue 27.3)', async () => {
  const { ConsoleState } = await import('../../bot/hub/web/static/console/state.js');
  const S = new ConsoleState();
  S.openId = 'c1';
  assert.deepEqual(S.applyFrame({ type: 'typing', conversation_id: 'c1', sender: 'customer' }), { typing: true });
  assert.equal(S.applyFrame({ type: 'typing', conversation_id: 'c2', sender: 'customer' }), null);
  assert.deepEqual(S.applyFrame({ type: 'read', conversation_id: 'c1', sender: 'customer', seq: 12 }), { read: 12 });
  assert.equal(S.applyFrame({ type: 'read', conversation_id: 'c1', sender: 'customer', seq: '12' }), null);
});

test('a presence frame asks for the teams again; a ticket done elsewhere updates the list (issue 27.4)', async () => {
  const { ConsoleState } = await import('../../bot/hub/web/static/console/state.js');
  const S = new ConsoleState();
  assert.deepEqual(S.applyFrame({ type: 'presence' }), { presence: true });
  S.setTickets([{ id: 7, status: 'open' }]);
  assert.deepEqual(S.applyFrame({ type: 'ticket', ticket: { id: 7, status: 'done' } }), { tickets: true });
  assert.equal(S.openTicketCount(), 0);
});

test('the tag filter narrows the queue and my conversations; it offers the tags they carry (issue 27.9)', () => {
  const S = loggedIn();
  const rechnung = { id: 3, name: 'Rechnung', color: '#aa0000' };
  const retoure = { id: 5, name: 'Retoure', color: null };
  S.setQueue([
    { conversation_id: 'q1', queued_at: '2026-12-07T08:00:00Z', tags: [retoure] },
    { conversation_id: 'q2', queued_at: '2026-12-07T08:01:00Z', tags: [] },
  ]);
  S.setConvs([
    { conversation_id: 'c1', last_message_at: '2026-12-07T09:00:00Z', tags: [rechnung, retoure] },
    { conversation_id: 'c2', last_message_at: '2026-12-07T09:05:00Z' },
  ]);
  assert.deepEqual(S.tagChoices().map((t) => t.name), ['Rechnung', 'Retoure']);
  assert.equal(S.visibleQueue().length, 2);
  assert.equal(S.convList().length, 2);
  S.tagFilter = '5';
  assert.deepEqual(S.visibleQueue().map((q) => q.conversation_id), ['q1']);
  assert.deepEqual(S.convList().map((c) => c.conversation_id), ['c1']);
  S.tagFilter = '3';
  assert.deepEqual(S.visibleQueue(), []);
  assert.deepEqual(S.convList().map((c) => c.conversation_id), ['c1']);
});
