// Unit tests of the reports views' pure helpers (static/console/report-state.js). Run: node --test tests/js/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fmtRate, fmtSeconds, keyFigures, periodQuery, plural, queryString, tables } from '../../bot/hub/web/static/console/report-state.js';

test('presets end today; a custom period counts both ends', () => {
  assert.deepEqual(periodQuery('today', '2026-11-22'), { from: '2026-11-22', days: 1 });
  assert.deepEqual(periodQuery('7d', '2026-11-22'), { from: '2026-11-16', days: 7 });
  assert.deepEqual(periodQuery('30d', '2026-03-01'), { from: '2026-01-31', days: 30 });
  assert.deepEqual(periodQuery('custom', '2026-11-22', '2026-10-25', '2026-10-26'), { from: '2026-10-25', days: 2 }); // DST night
  assert.ok(periodQuery('custom', '2026-11-22', '2026-11-20', '2026-11-19').error);
  assert.ok(periodQuery('custom', '2026-11-22', '2025-01-01', '2026-11-19').error);
  assert.ok(periodQuery('custom', '2026-11-22', '', '2026-11-19').error);
});

test('query strings and formats', () => {
  assert.equal(queryString({ from: '2026-11-16', days: 7 }, 'whatsapp', { svg: 'true' }), 'from=2026-11-16&days=7&channel=whatsapp&svg=true');
  assert.equal(queryString({ from: '2026-11-16', days: 7 }, ''), 'from=2026-11-16&days=7');
  assert.equal(fmtRate(0.2), '20,0 %');
  assert.equal(fmtRate(null), '–');
  assert.deepEqual([fmtSeconds(30), fmtSeconds(125), fmtSeconds(3900), fmtSeconds(null)], ['30 s', '2 min 5 s', '1 h 5 min', '–']);
});

test('every chart has its table', () => {
  const queue = { wait_histogram: [{ label: '< 1 min', count: 0 }, { label: '1–3 min', count: 1 }] };
  assert.deepEqual(tables('queue', queue).wait_histogram, { caption: 'Wartezeit bis zur Übernahme', head: ['Wartezeit', 'Übergaben'],
    rows: [['< 1 min', 0], ['1–3 min', 1]] });
  const containment = { per_day: [{ day: '2026-11-16', engaged: 2, resolved_by_bot: 1, escalated: 0, containment_rate: 0.5 }] };
  assert.deepEqual(tables('containment', containment).outcome_per_day.rows, [['16.11.', 1, 0, 1]]);
  const volume = { conversations: { per_day: [{ day: '2026-11-16', total: 2, by_channel: { webchat: 2 } }] },
    messages: { per_day: [{ day: '2026-11-16', total: 8, customer: 4, bot: 4, agent: 0, system: 0 }] },
    heatmap: { conversations: Array.from({ length: 7 }, () => Array(24).fill(0)) } };
  const t = tables('volume', volume, (g, k) => ({ webchat: 'Webchat', customer: 'Kunde' }[k] || k));
  assert.deepEqual(t.conversations_per_day.head, ['Tag', 'Gespräche', 'Webchat']);
  assert.deepEqual(t.messages_per_day.rows[0], ['16.11.', 8, 4, 4, 0, 0]);
  assert.equal(t.heatmap.rows.length, 7);
  assert.equal(t.heatmap.head.length, 25);
});

test('key figures read every section and tolerate missing ones', () => {
  const cards = keyFigures({ containment: { containment_rate: 0.2, resolved_by_bot: 2, engaged: 10, escalation_rate: 0.7, escalated: 7 } });
  assert.deepEqual(cards[1], ['Vom Bot gelöst', '20,0 %', '2 von 10']);
  assert.equal(cards[0][1], '–');
});

test('counts are pluralised in German (issue 27.4)', () => {
  assert.equal(plural(1, 'Bewertung', 'Bewertungen'), '1 Bewertung');
  assert.equal(plural(2, 'Bewertung', 'Bewertungen'), '2 Bewertungen');
  assert.equal(plural(0, 'Bewertung', 'Bewertungen'), '0 Bewertungen');
  const cards = keyFigures({ satisfaction: { all: { count: 1 } }, containment: { escalated: 1 } });
  assert.equal(cards[4][2], '1 Bewertung');
  assert.equal(cards[2][2], '1 Gespräch');
});

test('the agents table counts transferred claims and replies (issue 27.1)', () => {
  const t = tables('agents', { agents: [{ name: 'Ali', conversations: 1, handbacks: 0, closed: 0, transferred: 1, open: 0, replies: 2,
    first_response_p50: 30, handling_p50: 90 }] }).per_agent;
  assert.deepEqual(t.rows[0], ['Ali', 1, 0, 0, 1, 0, 2, '30 s', '1 min 30 s']);
  assert.equal(t.head[4], 'An Team übergeben');
});
