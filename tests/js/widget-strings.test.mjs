import test from 'node:test';
import assert from 'node:assert/strict';

import { DU, SIE, fill, queueText, registerOf, texts } from '../../bot/hub/web/static/widget/strings.js';
import { frameAction, queueInfo } from '../../bot/hub/web/static/widget/state.js';

const FORMAL = /\b(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b/;
const INFORMAL = /\b(du|dich|dir|dein|deine|deinen|deinem|deiner|Du|Dein|Deine)\b/;

test('every text that says Sie has a du variant without Sie', () => {
  const du = texts('du');
  for (const [key, text] of Object.entries(SIE)) {
    if (FORMAL.test(text)) assert.ok(key in DU, `no du variant for ${key}`);
    assert.doesNotMatch(du[key], FORMAL, `${key} in du: ${du[key]}`);
  }
});

test('du variants address the customer with du, and Sie texts never do', () => {
  for (const [key, text] of Object.entries(DU)) {
    assert.ok(key in SIE, `${key} is not a widget text`);
    assert.notEqual(text, SIE[key]);
  }
  for (const [key, text] of Object.entries(SIE)) assert.doesNotMatch(text, INFORMAL, key);
});

test('the status line while waiting follows the register', () => {
  const q = queueInfo({ position: 2, expected_wait_seconds: 170 });
  assert.equal(queueText(q, 'du'), 'Du bist an Position 2 – geschätzte Wartezeit ca. 3 Min.');
  assert.equal(queueText(q, 'sie'), 'Sie sind an Position 2 – geschätzte Wartezeit ca. 3 Min.');
  assert.equal(queueText(q, null), 'Sie sind an Position 2 – geschätzte Wartezeit ca. 3 Min.');
  assert.match(queueText(null, 'du'), /^Du bist in der Warteschlange/);
});

test('texts() is Sie unless the register is du, and never shares state', () => {
  assert.equal(texts('du').placeholder, 'Deine Nachricht …');
  assert.equal(texts('sie').placeholder, 'Ihre Nachricht …');
  assert.equal(texts(undefined).placeholder, 'Ihre Nachricht …');
  const t = texts('du');
  t.placeholder = 'x';
  assert.equal(texts('du').placeholder, 'Deine Nachricht …');
  assert.equal(fill('a {x} {y}', { x: 1 }), 'a 1 {y}');
});

test('the register travels in websocket frames, and only valid values count', () => {
  assert.equal(registerOf('du'), 'du');
  assert.equal(registerOf('Sie'), null);
  assert.equal(frameAction({ type: 'message', message: { id: 'a', sender: 'bot' }, register: 'du' }).register, 'du');
  assert.equal(frameAction({ type: 'state', state: 'queued', queue: null, register: 'sie' }).register, 'sie');
  assert.equal('register' in frameAction({ type: 'state', state: 'bot', register: 'ihr' }), false);
});

test('canned replies in the console follow the open conversation\'s register', async () => {
  const { cannedText } = await import('../../bot/hub/web/static/console/state.js');
  const c = { text: 'Ich prüfe das kurz für Sie.', text_du: 'Ich prüfe das kurz für dich.' };
  assert.equal(cannedText(c, 'du'), 'Ich prüfe das kurz für dich.');
  assert.equal(cannedText(c, 'sie'), 'Ich prüfe das kurz für Sie.');
  assert.equal(cannedText(c, null), 'Ich prüfe das kurz für Sie.');
  assert.equal(cannedText({ text: 'Hallo', text_du: null }, 'du'), 'Hallo');
});

test('the console follows a register switch of the open conversation', async () => {
  const { ConsoleState } = await import('../../bot/hub/web/static/console/state.js');
  const S = new ConsoleState();
  S.openId = 'c1';
  S.open = { conversation: { conversation_id: 'c1', register: 'sie' } };
  const message = { id: 'm1', sender: 'customer', text: 'kannst du mal schauen?' };
  assert.deepEqual(S.applyFrame({ type: 'message', conversation_id: 'c1', message, register: 'du' }),
    { append: message, header: true });
  assert.equal(S.open.conversation.register, 'du');
  assert.deepEqual(S.applyFrame({ type: 'message', conversation_id: 'c1', message, register: 'du' }), { append: message });
  assert.deepEqual(S.applyFrame({ type: 'message', conversation_id: 'c1', message }), { append: message });
});
