// Unit tests of the chat widget's pure state (static/widget/state.js). Run: node --test tests/js/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  Transcript, frameAction, parseFrame, parseStoredConversation, queueInfo, reconnectDelay, retryDelay,
  senderOf, statusFor, typingStatus, uuid,
} from '../../bot/hub/web/static/widget/state.js';

const msg = (id, seq, extra = {}) => ({ id, seq, sender: 'bot', text: 'text ' + id, ...extra });

// A transcript that records every listener call as "type:id".
function recorded() {
  const events = [];
  const t = new Transcript((type, entry) => events.push(entry ? `${type}:${entry.id}` : type));
  return { t, events };
}

test('messages arriving out of order are shown in seq order', () => {
  const { t } = recorded();
  t.add(msg('c', 3));
  t.add(msg('a', 1));
  t.add(msg('d', 4));
  t.add(msg('b', 2));
  assert.deepEqual(t.ids(), ['a', 'b', 'c', 'd']);
});

test('next() names the entry a new element is inserted before', () => {
  const { t } = recorded();
  const c = t.add(msg('c', 3));
  const a = t.add(msg('a', 1));
  assert.equal(t.next(a), c);
  assert.equal(t.next(c), null);
  assert.equal(t.next({ id: 'gone' }), null);
});

test('a message with the same id is shown once (websocket, POST answer and resync)', () => {
  const { t, events } = recorded();
  const first = t.add(msg('a', 1));
  const again = t.add({ ...msg('a', 1), text: 'changed' });
  assert.equal(again, first);
  assert.deepEqual(t.ids(), ['a']);
  assert.deepEqual(events, ['add:a']);
});

test('resync merges the server transcript without duplicates and fills gaps', () => {
  const { t } = recorded();
  t.add(msg('a', 1));
  t.add(msg('c', 3)); // b was lost between POST answer and websocket
  t.merge([msg('a', 1), msg('b', 2), msg('c', 3), msg('d', 4)]);
  assert.deepEqual(t.ids(), ['a', 'b', 'c', 'd']);
  t.merge([msg('a', 1), msg('b', 2), msg('c', 3), msg('d', 4)]);
  assert.deepEqual(t.ids(), ['a', 'b', 'c', 'd']);
});

test('messages without id are ignored, unknown senders show as bot', () => {
  const { t } = recorded();
  assert.equal(t.add({ seq: 1, sender: 'bot', text: 'no id' }), null);
  assert.equal(t.add(null), null);
  assert.deepEqual(t.ids(), []);
  assert.equal(senderOf({ sender: 'robot' }), 'bot');
  assert.equal(senderOf({ sender: 'agent' }), 'agent');
});

test('messages without seq are appended, later sequenced ones go before them', () => {
  const { t } = recorded();
  t.add(msg('a', 1));
  t.add({ id: 'x', sender: 'bot', text: 'no seq' });
  t.add(msg('b', 2));
  assert.deepEqual(t.ids(), ['a', 'b', 'x']);
});

test('local notes and pending sends stay after all server messages', () => {
  const { t } = recorded();
  t.add(msg('a', 1));
  t.addLocal('Fehler', 'n1');
  t.addPending('cm1', 'Hallo');
  t.add(msg('b', 2));
  assert.deepEqual(t.ids(), ['a', 'b', 'local-n1', 'pending-cm1']);
});

test('the POST answer adopts the pending bubble and places it by seq', () => {
  const { t, events } = recorded();
  t.add(msg('a', 1));
  const p = t.addPending('cm1', 'Hallo');
  t.confirm(p, [{ id: 's2', seq: 2, sender: 'customer', text: 'Hallo' }, msg('s3', 3)]);
  assert.deepEqual(t.ids(), ['a', 's2', 's3']);
  assert.equal(p.kind, 'server');
  assert.equal(p.seq, 2);
  assert.equal(t.isPending(p), false);
  assert.deepEqual(events, ['add:a', 'add:pending-cm1', 'adopt:s2', 'add:s3']);
});

test('a customer message from the websocket adopts the matching pending bubble', () => {
  const { t } = recorded();
  const p = t.addPending('cm1', 'Hallo');
  const e = t.add({ id: 's1', seq: 1, sender: 'customer', text: 'Hallo' });
  assert.equal(e, p);
  assert.deepEqual(t.ids(), ['s1']);
  // the POST answer comes later: nothing is added twice
  t.confirm(p, [{ id: 's1', seq: 1, sender: 'customer', text: 'Hallo' }, msg('s2', 2)]);
  assert.deepEqual(t.ids(), ['s1', 's2']);
});

test('if the server message is shown already, the pending duplicate is removed', () => {
  const { t, events } = recorded();
  const p1 = t.addPending('cm1', 'Hallo');
  const p2 = t.addPending('cm2', 'Hallo');
  t.add({ id: 's1', seq: 1, sender: 'customer', text: 'Hallo' }); // adopts p1
  t.confirm(p2, [{ id: 's1', seq: 1, sender: 'customer', text: 'Hallo' }]);
  assert.deepEqual(t.ids(), ['s1']);
  assert.equal(p1.id, 's1');
  assert.ok(events.includes('remove:pending-cm2'));
});

test('a failed send stays as a failed bubble and is no longer pending', () => {
  const { t, events } = recorded();
  const p = t.addPending('cm1', 'Hallo');
  t.fail(p);
  assert.equal(p.kind, 'failed');
  assert.equal(t.isPending(p), false);
  assert.deepEqual(events, ['add:pending-cm1', 'update:pending-cm1']);
  // a later server message with that text is not matched to the failed bubble
  t.add({ id: 's1', seq: 1, sender: 'customer', text: 'Hallo' });
  assert.deepEqual(t.ids(), ['s1', 'pending-cm1']);
});

test('an answer without messages leaves the bubble as sent', () => {
  const { t } = recorded();
  const p = t.addPending('cm1', 'Hallo');
  t.confirm(p, []);
  assert.equal(p.kind, 'sent');
  assert.equal(t.isPending(p), false);
});

test('after clear, an old pending entry is detached and answers are added as new messages', () => {
  const { t, events } = recorded();
  const p = t.addPending('cm1', 'Hallo');
  t.clear();
  t.confirm(p, [{ id: 's1', seq: 1, sender: 'customer', text: 'Hallo' }]);
  assert.deepEqual(t.ids(), ['s1']);
  assert.notEqual(t.byId.get('s1'), p);
  assert.equal(t.has(p), false);
  assert.deepEqual(events, ['add:pending-cm1', 'clear', 'add:s1']);
});

test('websocket frames map to actions', () => {
  assert.deepEqual(parseFrame('{"type":"state","state":"queued","queue":{"position":2}}'),
    { kind: 'state', state: 'queued', queue: { position: 2 } });
  assert.deepEqual(frameAction({ type: 'message', message: { id: 'a', sender: 'agent' } }),
    { kind: 'message', message: { id: 'a', sender: 'agent' }, fromAgent: true });
  assert.equal(frameAction({ type: 'message' }), null);
  assert.deepEqual(frameAction({ type: 'typing', sender: 'agent' }), { kind: 'agentTyping' });
  assert.equal(frameAction({ type: 'typing', sender: 'bot' }), null);
  assert.equal(parseFrame('not json'), null);
  assert.equal(parseFrame('null'), null);
  assert.equal(frameAction({ type: 'unknown' }), null);
});

test('queue position and wait time update the status line', () => {
  assert.deepEqual(queueInfo({ position: 3, expected_wait_seconds: 130 }), { position: 3, minutes: 3 });
  assert.deepEqual(queueInfo({ position: 1, expected_wait_seconds: 0 }), { position: 1, minutes: 1 });
  assert.deepEqual(queueInfo({ position: 0 }), { position: 0, minutes: 1 });
  assert.equal(queueInfo({ expected_wait_seconds: 60 }), null);
  assert.equal(queueInfo(null), null);

  const queued = statusFor('queued', { position: 2, expected_wait_seconds: 61 }, false);
  assert.equal(queued.visible, true);
  assert.deepEqual(queued.queue, { position: 2, minutes: 2 });
  assert.equal(queued.callbackToggle, true);
  assert.equal(statusFor('queued', null, true).callbackToggle, false); // callback already sent
  const agent = statusFor('agent', null, false);
  assert.equal(agent.visible, true);
  assert.equal(agent.callbackToggle, false);
  assert.equal(agent.closeCallback, true);
  assert.equal(statusFor('bot', null, false).visible, false);
  assert.equal(statusFor('closed', null, false).visible, false);
});

test('typing indicator: own sends show the bot, else the agent', () => {
  assert.equal(typingStatus(1, true), 'bot');
  assert.equal(typingStatus(0, true), 'agent');
  assert.equal(typingStatus(0, false), null);
});

test('retry and reconnect delays back off and stay within bounds', () => {
  assert.deepEqual([0, 1, 2, 3].map(retryDelay), [1000, 2000, 4000, 4000]);
  assert.equal(reconnectDelay(0, 0), 1000); // 750 ms is raised to the 1 s minimum
  assert.equal(reconnectDelay(3, 0.5), 8000);
  assert.equal(reconnectDelay(10, 1), 30000);
  for (let a = 0; a < 20; a++) {
    const d = reconnectDelay(a);
    assert.ok(d >= 1000 && d <= 30000, `attempt ${a}: ${d}`);
  }
});

test('stored conversation is used only when complete', () => {
  assert.deepEqual(parseStoredConversation('{"conversation_id":"c1","token":"t"}'), { conversation_id: 'c1', token: 't' });
  assert.equal(parseStoredConversation('{"conversation_id":"c1"}'), null);
  assert.equal(parseStoredConversation(null), null);
  assert.equal(parseStoredConversation('{broken'), null);
});

test('uuid gives v4 ids, also without crypto.randomUUID', () => {
  const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(uuid(), re);
  assert.match(uuid({ getRandomValues: (b) => b.fill(255) }), re);
  assert.match(uuid(null), re);
  assert.notEqual(uuid(null), uuid(null));
});

test('typing and read frames (issue 27.3)', async () => {
  const s = await import('../../bot/hub/web/static/widget/state.js');
  assert.deepEqual(s.frameAction({ type: 'read', sender: 'agent', seq: 4 }), { kind: 'agentRead', seq: 4 });
  assert.equal(s.frameAction({ type: 'read', sender: 'agent', seq: 'x' }), null);
  assert.equal(s.frameAction({ type: 'read', sender: 'customer', seq: 4 }), null);
  assert.equal(s.typingFrame(), '{"type":"typing"}');
  assert.equal(s.readFrame(9), '{"type":"read","seq":9}');
  assert.equal(s.lastAgentSeq([{ sender: 'agent', seq: 3 }, { sender: 'customer', seq: 8 }, { sender: 'agent', seq: 5 }]), 5);
  assert.equal(s.lastAgentSeq([{ sender: 'bot', seq: 3 }]), null);
});

test('the status line uses the hub rounding of the wait (issue 27.4)', async () => {
  const { queueInfo } = await import('../../bot/hub/web/static/widget/state.js');
  assert.deepEqual(queueInfo({ position: 1, expected_wait_seconds: 130, expected_wait_minutes: 3 }), { position: 1, minutes: 3 });
  assert.deepEqual(queueInfo({ position: 1, expected_wait_seconds: 90, expected_wait_minutes: 2 }), { position: 1, minutes: 2 });
});
