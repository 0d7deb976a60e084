// Unit tests of the content gaps' pure helpers (static/console/gaps-state.js). Run: node --test tests/js/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { kindLabel, knowledgeNote, knowledgePageText, pageHint, pageOptions, topicLabel } from '../../bot/hub/web/static/console/gaps-state.js';

test('labels for topics, kinds and the page involved', () => {
  assert.equal(topicLabel('versand'), 'Versand');
  assert.equal(topicLabel(''), 'Ohne Thema');
  assert.equal(kindLabel('abstained'), 'nichts gefunden');
  assert.equal(kindLabel('unhelpful'), 'hat nicht geholfen');
  assert.equal(pageHint({ kind: 'unhelpful', page: { page_id: 'a', title: 'Packstation' } }), 'gezeigt: Packstation');
  assert.equal(pageHint({ kind: 'abstained', page: { page_id: 'a', title: 'AGB' } }), 'nächste Seite: AGB');
  assert.equal(pageHint({ kind: 'abstained', page: null }), 'keine Seite in der Nähe');
});

test('the page involved is offered first', () => {
  const pages = [{ page_id: 'a', title: 'A', topic: 'versand' }, { page_id: 'b', title: 'B', topic: '' }];
  assert.deepEqual(pageOptions(pages, { page: { page_id: 'b' } }), [['b', 'B'], ['a', 'A (versand)']]);
  assert.deepEqual(pageOptions(pages, { page: null }), [['a', 'A (versand)'], ['b', 'B']]);
  assert.deepEqual(pageOptions(undefined, null), []);
});

test('a page in the handoff summary says whether it helped', () => {
  assert.equal(knowledgePageText({ title: 'Zelt imprägnieren', helpful: false }), 'Zelt imprägnieren – hat nicht geholfen');
  assert.equal(knowledgePageText({ title: 'Zelt imprägnieren', helpful: true }), 'Zelt imprägnieren – hat geholfen');
  assert.equal(knowledgePageText({ title: '<b>x</b>', helpful: null }), '<b>x</b>');
});

test('the transcript note of a knowledge block', () => {
  assert.equal(knowledgeNote({ abstained: true, title: 'AGB' }), 'Hilfeseiten: nichts gefunden');
  assert.equal(knowledgeNote({ abstained: false, helpful: null, title: 'Packstation' }), 'Hilfeseite gezeigt: Packstation');
  assert.equal(knowledgeNote({ abstained: false, helpful: false, title: 'Packstation' }), 'Hilfeseite „Packstation“: hat nicht geholfen');
  assert.equal(knowledgeNote({ abstained: false, helpful: true, page_id: 'p' }), 'Hilfeseite „p“: hat geholfen');
  assert.equal(knowledgeNote(null), '');
});
