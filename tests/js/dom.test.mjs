// Unit tests of the shared el() helper (static/shared/dom.js) against a minimal fake document.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';

import { clear, el } from '../../bot/hub/web/static/shared/dom.js';

class FakeNode {
  constructor(tag) { this.tag = tag; this.attrs = {}; this.children = []; this.listeners = {}; this.className = ''; this.textContent = ''; }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  addEventListener(type, fn) { this.listeners[type] = fn; }
  appendChild(c) { this.children.push(c); return c; }
}

beforeEach(() => {
  globalThis.document = {
    createElement: (tag) => new FakeNode(tag),
    createTextNode: (text) => ({ text }),
  };
});
afterEach(() => { delete globalThis.document; });

test('el sets class, text, attributes and listeners', () => {
  const click = () => {};
  const n = el('button', { class: 'a b', text: '<b>x</b>', type: 'button', onclick: click, hidden: true, disabled: false, title: null });
  assert.equal(n.tag, 'button');
  assert.equal(n.className, 'a b');
  assert.equal(n.textContent, '<b>x</b>');
  assert.deepEqual(n.attrs, { type: 'button', hidden: '' });
  assert.equal(n.listeners.click, click);
});

test('el appends nodes and strings as text, skips null, undefined and false', () => {
  const child = el('i');
  const n = el('div', {}, [child, null, undefined, false, 'text']);
  assert.equal(n.children.length, 2);
  assert.equal(n.children[0], child);
  assert.deepEqual(n.children[1], { text: 'text' });
});

test('clear empties a node and returns it', () => {
  const n = el('ul', { text: 'old' });
  assert.equal(clear(n), n);
  assert.equal(n.textContent, '');
});
