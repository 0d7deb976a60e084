// Issue 27.2: the handoff summary as a German story (static/console/story.js). Run: node --test tests/js/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { customerName, handoffStory, moodWords } from '../../bot/hub/web/static/console/story.js';
import { summaryFields } from '../../bot/hub/web/static/console/state.js';

const NOW = new Date('2026-11-23T10:12:00Z');
const handoff = {
  reason: 'frustration', reason_label: 'Kunde ist verärgert', queued_at: '2026-11-23T10:10:00',
  summary: {
    topic: 'Bestellstatus', topic_key: 'order_status', request: 'Wo ist meine Bestellung?', reason_detail: 'payment_dispute',
    mood: 0.98, intents: ['order_status'], order_id: '100234', email: 'anna@web.de', email_verified: true,
    bot_actions: ['Status von 100234 genannt: versandt'], last_messages: [{ sender: 'bot', text: 'Ich verbinde Sie.' }],
  },
};

test('one story: what, since when, mood, contact, what the bot did and said', () => {
  const conv = { created_at: '2026-11-23T10:00:00' };
  const story = handoffStory(handoff, conv, NOW);
  const hh = String(new Date('2026-11-23T10:00:00Z').getHours()).padStart(2, '0');
  assert.equal(story[0], `Der Kunde möchte „Wo ist meine Bestellung?“ (Bestellstatus), seit ${hh}:00 Uhr (vor 12 Minuten).`);
  assert.equal(story[1], 'Er/Sie wirkt verärgert – Kunde ist verärgert.');
  assert.equal(story[2], 'Kontakt: anna@web.de, geprüft über Bestellung 100234.');
  assert.equal(story[3], 'Der Bot hat schon: Status von 100234 genannt: versandt.');
  assert.equal(story[4], 'Zuletzt schrieb der Bot: „Ich verbinde Sie.“');
  assert.ok(!story.join(' ').match(/order_status|payment_dispute|0[.,]98|frustration/));
});

test('a typed e-mail is shown unverified and names the customer', () => {
  const h = { summary: { topic: 'unklar', email: null, email_given: 'eva@web.de', email_verified: false } };
  assert.equal(customerName({}, h), 'eva@web.de');
  assert.equal(customerName({ display_name: 'Eva K.' }, h), 'Eva K.');
  assert.equal(customerName({}, {}), 'Unbekannter Kunde');
  assert.equal(handoffStory(h, {}, NOW)[1], 'Kontakt: eva@web.de (selbst angegeben, nicht geprüft).');
  const { summary, keys } = summaryFields(h, {});
  assert.equal(summary.email, 'eva@web.de');
  assert.ok(keys.includes('email_verified') === false && keys.includes('email'));
});

test('internal keys and scores are not listed', () => {
  const { keys } = summaryFields(handoff, {});
  for (const k of ['topic_key', 'reason_detail', 'mood', 'intents']) assert.ok(!keys.includes(k), k);
  assert.equal(moodWords(0.2), 'wirkt ruhig');
  assert.equal(moodWords(null), null);
});
