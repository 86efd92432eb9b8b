// Weft console: the few things htmx does not do by itself. Every change goes to the operations API (/api), with
// the HX-Request header that the API requires from a console session (CSRF guard).
(function () {
  'use strict';

  function flash(text, bad) {
    var el = document.getElementById('flash');
    if (!el) { return; }
    el.textContent = text;
    el.className = bad ? 'bad' : '';
  }

  function problemText(xhrOrText) {
    try {
      var p = JSON.parse(xhrOrText);
      return (p.title || 'Refused') + ': ' + (p.detail || '');
    } catch (e) {
      return String(xhrOrText).slice(0, 300);
    }
  }

  // An action's answer (JSON from /api) is not HTML to swap: report it and refresh the live parts of the page.
  document.addEventListener('htmx:afterRequest', function (evt) {
    var elt = evt.detail.elt;
    if (!elt || !elt.hasAttribute('data-action')) { return; }
    var xhr = evt.detail.xhr;
    if (xhr.status >= 200 && xhr.status < 300) {
      flash(elt.getAttribute('data-done') || 'Done');
      refresh();
    } else {
      flash(problemText(xhr.responseText), true);
    }
  });

  function refresh() {
    var live = document.getElementById('live');
    if (live) { htmx.trigger(live, 'refresh'); }
  }

  async function api(method, url, body) {
    var response = await fetch(url, {
      method: method,
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'HX-Request': 'true' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin'
    });
    var text = await response.text();
    if (!response.ok) { throw new Error(problemText(text)); }
    return text ? JSON.parse(text) : {};
  }

  // Bulk replay: POST /api/replays/preview with the filter, show how many, which business keys and destinations,
  // and replay only after the operator confirms (POST /api/replays/{previewId}).
  async function preview(button) {
    var filter = JSON.parse(button.getAttribute('data-filter'));
    var form = button.closest('form');
    if (button.hasAttribute('data-selection') && form) {
      var ids = Array.from(form.querySelectorAll('input[name=messageId]:checked')).map(function (c) { return c.value; });
      if (ids.length === 0) { flash('Select the messages to replay first', true); return; }
      filter.messageIds = ids;
    }
    try {
      var p = await api('POST', '/api/replays/preview', filter);
      var dialog = document.getElementById('replay-dialog');
      dialog.querySelector('#preview-count').textContent = p.count;
      dialog.querySelector('#preview-keys').textContent = (p.businessKeys || []).join(', ') || '(none)';
      dialog.querySelector('#preview-destinations').textContent = (p.destinations || []).join(', ') || '(none)';
      var confirm = dialog.querySelector('#confirm-replay');
      confirm.disabled = p.count === 0;
      confirm.onclick = async function () {
        confirm.disabled = true;
        try {
          var r = await api('POST', '/api/replays/' + encodeURIComponent(p.previewId));
          dialog.close();
          flash('Replayed ' + r.replayed + ' deliveries' + (r.alreadyQueued ? ' (' + r.alreadyQueued + ' were already queued)' : ''));
          watch(p.messageIds || []);
          refresh();
        } catch (e) {
          dialog.close();
          flash(e.message, true);
        }
      };
      dialog.showModal();
    } catch (e) {
      flash(e.message, true);
    }
  }

  // After a replay: the replayed messages' statuses, polled until they are settled.
  function watch(ids) {
    var box = document.getElementById('replayed');
    if (!box || ids.length === 0) { return; }
    box.setAttribute('hx-get', '/statuses?ids=' + encodeURIComponent(ids.join(',')));
    box.setAttribute('hx-trigger', 'load, every 2s');
    htmx.process(box);
  }

  document.addEventListener('click', function (evt) {
    var button = evt.target.closest('[data-preview]');
    if (button) { evt.preventDefault(); preview(button); }
    var cancel = evt.target.closest('[data-close]');
    if (cancel) { cancel.closest('dialog').close(); }
  });

  // The system page's backlog chart (uPlot, from its webjar), sized to its box.
  function charts() {
    var box = document.getElementById('backlog-chart');
    if (!box || !window.uPlot || box.hasAttribute('data-drawn')) { return; }
    box.setAttribute('data-drawn', '');
    var data = JSON.parse(box.getAttribute('data-series'));
    new uPlot({ width: box.clientWidth || 600, height: 200, scales: { x: { time: true } },
      series: [{}, { label: 'backlog', stroke: '#1f5fae' }] },
      data, box);
  }
  document.addEventListener('DOMContentLoaded', charts);

  window.weftConsole = { flash: flash, watch: watch };
})();
