// Unit tests of the console search's pure helpers (static/console/search-state.js). Run: node --test tests/js/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { hitTitle, searchQuery, statusText } from '../../bot/hub/web/static/console/search-state.js';

test('the query string carries the words and only the filters that are set', () => {
  assert.deepEqual(searchQuery({ q: '  Müller Straße ', channel: 'whatsapp', team: '', tag: '3' }), {
    query: 'q=M%C3%BCller+Stra%C3%9Fe&channel=whatsapp&tag=3',
  });
  assert.equal(searchQuery({ q: '#88' }, 3).query, 'q=%2388&page=3');
  assert.equal(searchQuery({ q: 'paket', from: '2026-11-01', to: '2026-11-30' }).query, 'q=paket&from=2026-11-01&to=2026-11-30');
});

test('a query without a letter or digit, too long, or with from after to is refused before asking', () => {
  assert.ok(searchQuery({ q: '  !!! ' }).error);
  assert.ok(searchQuery({ q: '' }).error);
  assert.ok(searchQuery({ q: 'x'.repeat(201) }).error);
  assert.match(searchQuery({ q: 'paket', from: '2026-11-30', to: '2026-11-01' }).error, /von/);
});

test('a hit is titled by kind, sender or number, and whose', () => {
  const label = (c) => ({ webchat: 'Webchat' })[c] || c;
  assert.equal(hitTitle({ kind: 'ticket', id: '88', display_name: 'Jürgen Weiß', channel: 'webchat' }, label), 'Anfrage #88 · Jürgen Weiß');
  assert.equal(hitTitle({ kind: 'message', sender: 'customer', channel: 'webchat' }, label), 'Nachricht (Kunde) · Webchat');
  assert.equal(hitTitle({ kind: 'note', channel: 'telegram', display_name: null }), 'Interne Notiz · telegram');
});

test('the status line counts the page and says whether more follow', () => {
  assert.equal(statusText({ results: [{}, {}], page: 1, has_more: true }, 'paket'), '2 Treffer auf Seite 1, weitere Seiten vorhanden.');
  assert.equal(statusText({ results: [{}], page: 2, has_more: false }, 'paket'), '1 Treffer auf Seite 2.');
  assert.equal(statusText({ results: [], page: 1, has_more: false }, 'paket'), 'Keine Treffer für „paket“.');
  assert.equal(statusText({ results: [], page: 3, has_more: false }, 'paket'), 'Keine weiteren Treffer.');
});
