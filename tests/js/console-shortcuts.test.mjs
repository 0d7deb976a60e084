// Unit tests of the console's keyboard shortcuts (static/console/shortcuts-state.js). Run: node --test tests/js/
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SHORTCUTS, ariaKeys, isTextField, keysText, shortcutFor } from '../../bot/hub/web/static/console/shortcuts-state.js';

const key = (code, extra = {}) => ({ key: code.slice(3).toLowerCase(), code, altKey: true, shiftKey: true, ctrlKey: false, metaKey: false, ...extra });

test('Alt+Shift with the physical key, in a field too', () => {
  assert.equal(shortcutFor(key('KeyW'), false), 'next');
  assert.equal(shortcutFor(key('KeyU'), true), 'claim');
  assert.equal(shortcutFor(key('KeyM', { key: 'Â' }), true), 'macro'); // macOS Option+Shift+M types a character
  assert.equal(shortcutFor(key('KeyN'), false), 'note');
  assert.equal(shortcutFor(key('KeyE'), false), 'close');
  assert.equal(shortcutFor(key('KeyS'), true), 'search');
  assert.equal(shortcutFor(key('KeyH'), false), 'help');
  assert.equal(shortcutFor(key('KeyQ'), false), null);
});

test('plain letters, Alt alone, Ctrl or Cmd are left to screen readers and the browser', () => {
  assert.equal(shortcutFor({ key: 'w', code: 'KeyW' }, false), null);
  assert.equal(shortcutFor(key('KeyW', { shiftKey: false }), false), null);
  assert.equal(shortcutFor(key('KeyW', { ctrlKey: true }), false), null);
  assert.equal(shortcutFor(key('KeyW', { metaKey: true }), false), null);
  // NVDA+Shift+letter: NVDA takes it before the page; the page never sees Insert+… as Alt+Shift
  assert.equal(shortcutFor({ key: 'H', code: 'KeyH', shiftKey: true }, false), null);
});

test('"?" opens the help only outside text fields, and can be switched off', () => {
  assert.equal(shortcutFor({ key: '?', code: 'Minus', shiftKey: true }, false), 'help');
  assert.equal(shortcutFor({ key: '?', code: 'Minus', shiftKey: true }, true), null);
  assert.equal(shortcutFor({ key: '?', code: 'Minus', shiftKey: true }, false, false), null);
});

test('what counts as a text field', () => {
  assert.ok(isTextField('TEXTAREA'));
  assert.ok(isTextField('input', 'search'));
  assert.ok(isTextField('INPUT', undefined));
  assert.ok(isTextField('div', undefined, true));
  assert.ok(!isTextField('INPUT', 'checkbox'));
  assert.ok(!isTextField('BUTTON'));
});

test('every shortcut has its own key, named for people and for assistive technology', () => {
  assert.equal(new Set(SHORTCUTS.map((s) => s.code)).size, SHORTCUTS.length);
  assert.equal(keysText(SHORTCUTS[0]), 'Alt+Umschalt+W');
  assert.equal(ariaKeys(SHORTCUTS[0]), 'Alt+Shift+W');
});
