// Safe light formatting (static/shared/format.js): links only for http/https/mailto/tel, **bold**, line breaks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { safeHref, tokens } from '../../bot/hub/web/static/shared/format.js';

const links = (text) => tokens(text).flatMap((t) => (t.type === 'bold' ? t.children : [t])).filter((t) => t.type === 'link');

test('URLs become links without trailing punctuation', () => {
  assert.deepEqual(tokens('Retouren: https://shop.example/retoure?id=1. Danke'), [
    { type: 'text', text: 'Retouren: ' },
    { type: 'link', href: 'https://shop.example/retoure?id=1', text: 'https://shop.example/retoure?id=1' },
    { type: 'text', text: '. Danke' },
  ]);
  assert.equal(links('(siehe http://a.example/x)')[0].href, 'http://a.example/x');
  assert.equal(links('Schreiben Sie an mailto:service@shop.example!')[0].href, 'mailto:service@shop.example');
  assert.equal(links('Anruf: tel:+49 30 123456')[0].href, 'tel:+4930123456');
});

test('javascript:, data: and other schemes are never links', () => {
  for (const text of ['javascript:alert(1)', 'JaVaScRiPt:alert(document.cookie)', 'data:text/html,<script>1</script>',
    '[klick](javascript:alert(1))', 'vbscript:msgbox', 'file:///etc/passwd', 'https://', 'http://"onmouseover=x']) {
    assert.deepEqual(links(text).filter((l) => !/^https?:\/\/[a-z]/.test(l.href)), [], text);
  }
  for (const href of ['javascript:alert(1)', ' javascript:alert(1)', 'data:text/html,x', 'ftp://x.example', 'tel:abc']) {
    assert.equal(safeHref(href), null, href);
  }
  assert.equal(safeHref('https://shop.example/a b'), null);
});

test('bold and line breaks; HTML stays text', () => {
  assert.deepEqual(tokens('**Wichtig:** bitte\nbis Freitag'), [
    { type: 'bold', children: [{ type: 'text', text: 'Wichtig:' }] },
    { type: 'text', text: ' bitte' }, { type: 'br' }, { type: 'text', text: 'bis Freitag' },
  ]);
  assert.deepEqual(tokens('<b>fett</b> <script>x</script>'), [{ type: 'text', text: '<b>fett</b> <script>x</script>' }]);
  assert.deepEqual(tokens('2 ** 3 und **'), [{ type: 'text', text: '2 ** 3 und **' }]);
  assert.deepEqual(tokens('**https://a.example**')[0].children[0].type, 'link');
  assert.deepEqual(tokens(null), []);
});
