/* Kundendialog chat widget – loader.
 * Embed: <script src="https://HUB/widget.js" data-hub="https://HUB"></script>
 * An empty data-hub means "same origin as the host page".
 *
 * This classic script is still the only tag a page embeds. The widget itself is
 * a set of ES modules below /static/widget/. The loader
 *   1. finds the hub base URL from its own tag (data-hub, else the origin of src),
 *   2. publishes it as window.KundendialogConfig = { hub: '<base URL without
 *      trailing slash, "" = same origin as the page>' },
 *   3. injects <script type="module" src="<origin of widget.js>/static/widget/main.js">,
 *      which reads window.KundendialogConfig.hub and sets window.KundendialogWidget.
 * The hub serves the widget's files (/static/widget/, /static/shared/) with
 * Access-Control-Allow-Origin: * for cross-origin shops.
 */
(function () {
  'use strict';
  if (window.KundendialogWidget || document.querySelector('script[data-kd-widget]')) return;

  const script = document.currentScript ||
    Array.prototype.find.call(document.scripts, (s) => /widget\.js(?:[?#]|$)/.test(s.src));
  let origin = '';
  if (script && script.src) {
    const o = new URL(script.src, location.href).origin;
    origin = o === 'null' ? '' : o;
  }
  let hub = origin;
  if (script && script.hasAttribute('data-hub')) hub = script.getAttribute('data-hub').trim();
  window.KundendialogConfig = { hub: hub.replace(/\/+$/, '') };

  const main = document.createElement('script');
  main.type = 'module';
  main.src = origin + '/static/widget/main.js';
  main.setAttribute('data-kd-widget', '');
  (document.head || document.documentElement).appendChild(main);
})();
