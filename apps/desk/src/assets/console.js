// @ts-check
/**
 * The console's one script, served at `/assets/console.js` (script-src 'self': no inline code).
 * The pages work without it; it adds keyboard shortcuts, the canned-response insert without a
 * reload, and live queue updates (SSE `/api/v1/events`, polling every 15 s as the fallback).
 * Texts come from the page (data-msg-* on #live-status), so they stay in the catalogue.
 * Plain ES2017 so every supported browser runs it unbuilt; type-checked by tsconfig.browser.json.
 */
(function () {
  'use strict';
  var doc = document;
  var live = doc.getElementById('live-status');
  var POLL_MS = 15000;

  /** @param {string} name */
  function message(name) {
    return (live && live.getAttribute('data-msg-' + name)) || '';
  }

  /** @param {string} text */
  function announce(text) {
    var region = live;
    if (!region || !text) return;
    region.textContent = '';
    setTimeout(function () {
      /** @type {HTMLElement} */ (region).textContent = text;
    }, 50);
  }

  /** @param {(EventTarget & { tagName?: string, isContentEditable?: boolean }) | null} target */
  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName;
    return (
      tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable === true
    );
  }

  /** @param {string} id */
  function focusField(id) {
    var field = doc.getElementById(id);
    if (!field) return false;
    field.focus();
    if (field.scrollIntoView) field.scrollIntoView({ block: 'center' });
    return true;
  }

  function takeNext() {
    var form = /** @type {HTMLFormElement | null} */ (
      doc.querySelector('form[data-shortcut="take-next"]')
    );
    if (!form) return false;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
    return true;
  }

  /** @param {boolean} [open] */
  function toggleHelp(open) {
    var help = /** @type {HTMLDetailsElement | null} */ (doc.getElementById('shortcut-help'));
    if (!help) return false;
    var next = typeof open === 'boolean' ? open : !help.open;
    if (help.open === next) return false;
    help.open = next;
    if (next) {
      var summary = help.querySelector('summary');
      if (summary) summary.focus();
      help.scrollIntoView({ block: 'end' });
    }
    return true;
  }

  // Keyboard shortcuts: never while typing in a field, never with Ctrl/Cmd/Alt, and only on
  // pages that list them (the staff's pages; the portal has none).
  var gPressedAt = 0;
  doc.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!doc.getElementById('shortcut-help')) return;
    if (event.key === 'Escape') {
      if (toggleHelp(false)) event.preventDefault();
      return;
    }
    if (isTyping(event.target)) return;
    var key = event.key;
    if (key === 'g') {
      gPressedAt = Date.now();
      return;
    }
    if (key === 'q' && Date.now() - gPressedAt < 1500) {
      gPressedAt = 0;
      event.preventDefault();
      window.location.href = '/';
      return;
    }
    gPressedAt = 0;
    var handled = false;
    if (key === 'n') handled = takeNext();
    else if (key === 'r') handled = focusField('f-reply-body');
    else if (key === 'm') handled = focusField('f-note-body');
    else if (key === '/') handled = focusField('global-search');
    else if (key === '?') handled = toggleHelp();
    if (handled) event.preventDefault();
  });

  // Canned responses: fetch the rendered text and insert it at the cursor; on any failure the
  // form is submitted as without JS (the server pre-fills the reply box).
  /**
   * @param {HTMLTextAreaElement} field
   * @param {string} text
   */
  function insertText(field, text) {
    if (!field.value) {
      field.value = text;
    } else if (typeof field.setRangeText === 'function') {
      field.setRangeText(text, field.selectionStart, field.selectionEnd, 'end');
    } else {
      field.value += text;
    }
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.focus();
  }

  Array.prototype.forEach.call(
    doc.querySelectorAll('form[data-canned-url]'),
    /** @param {HTMLFormElement} form */ function (form) {
      form.addEventListener('submit', function (event) {
        var select = /** @type {HTMLSelectElement | null} */ (
          form.querySelector('select[name="canned"]')
        );
        var target = /** @type {HTMLTextAreaElement | null} */ (
          doc.getElementById(form.getAttribute('data-canned-target') || '')
        );
        if (!select || !target) return;
        event.preventDefault();
        if (!select.value) {
          select.focus();
          return;
        }
        var url =
          form.getAttribute('data-canned-url') + encodeURIComponent(select.value) + '/rendered';
        fetch(url, {
          credentials: 'same-origin',
          headers: { Accept: 'application/json' },
          cache: 'no-store',
        })
          .then(function (response) {
            if (!response.ok) throw new Error('canned ' + response.status);
            return response.json();
          })
          .then(function (data) {
            if (!data || typeof data.body !== 'string') throw new Error('canned body');
            insertText(/** @type {HTMLTextAreaElement} */ (target), data.body);
            announce(message('inserted'));
          })
          .catch(function () {
            form.submit();
          });
      });
    },
  );

  // Phone width (issue 19). A table or chart wider than the screen scrolls in its own box:
  // such a box takes keyboard focus, so it can be scrolled without a pointer (WCAG 2.1.1).
  /** @param {ParentNode} root */
  function markScrollBoxes(root) {
    var boxes = root.querySelectorAll('.table-wrap, .console-main figure');
    for (var i = 0; i < boxes.length; i++) {
      var box = /** @type {HTMLElement} */ (boxes[i]);
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute('tabindex', '0');
      else if (box.getAttribute('tabindex') === '0') box.removeAttribute('tabindex');
    }
  }
  // A menu row that scrolls sideways shows its current entry, even the last of eight.
  function revealCurrentTabs() {
    var lists = doc.querySelectorAll('.console-nav__list, .subnav__list');
    for (var i = 0; i < lists.length; i++) {
      var list = /** @type {HTMLElement} */ (lists[i]);
      var current = /** @type {HTMLElement | null} */ (list.querySelector('[aria-current="page"]'));
      if (!current || list.scrollWidth <= list.clientWidth) continue;
      var offset = current.getBoundingClientRect().left - list.getBoundingClientRect().left;
      list.scrollLeft += offset - (list.clientWidth - current.offsetWidth) / 2;
    }
  }
  markScrollBoxes(doc);
  revealCurrentTabs();
  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      markScrollBoxes(doc);
    }, 200);
  });

  // Bulk actions (issue 15): the header checkbox selects the page's rows; rows chosen stay
  // chosen when a live update redraws the list.
  /** @type {Set<string>} */
  var bulkChosen = new Set();
  doc.addEventListener('change', function (event) {
    var target = /** @type {HTMLInputElement} */ (event.target);
    if (!target || target.type !== 'checkbox') return;
    if (target.hasAttribute('data-bulk-select-all')) {
      var table = target.closest('table');
      if (!table) return;
      table.querySelectorAll('input.bulk-select').forEach(function (box) {
        var input = /** @type {HTMLInputElement} */ (box);
        input.checked = target.checked;
        if (target.checked) bulkChosen.add(input.value);
        else bulkChosen.delete(input.value);
      });
    } else if (target.classList.contains('bulk-select')) {
      if (target.checked) bulkChosen.add(target.value);
      else bulkChosen.delete(target.value);
    }
  });
  var bulkRegion = doc.getElementById('live-fragment');
  if (bulkRegion && typeof window.MutationObserver !== 'undefined') {
    new window.MutationObserver(function () {
      if (bulkChosen.size === 0) return;
      /** @type {HTMLElement} */ (bulkRegion)
        .querySelectorAll('input.bulk-select')
        .forEach(function (box) {
          var input = /** @type {HTMLInputElement} */ (box);
          if (bulkChosen.has(input.value)) input.checked = true;
        });
    }).observe(bulkRegion, { childList: true });
  }

  // Live updates of a queue list or the overview (#live-fragment).
  /** @param {HTMLElement} region */
  function startLive(region) {
    var url = /** @type {string} */ (region.getAttribute('data-live-url'));
    var queues = (region.getAttribute('data-live-queues') || '')
      .split(',')
      .filter(function (id) {
        return id !== '';
      })
      .map(Number);
    var inFlight = false;
    var again = false;
    /** @type {string | null} */
    var last = null;
    /** @type {number | null} */
    var pollTimer = null;

    /** @param {string | null} key */
    function refocus(key) {
      if (!key) return;
      var match = /** @type {HTMLElement | null} */ (region.querySelector('[href="' + key + '"]'));
      if (match) match.focus();
    }

    /** @param {boolean} announceChange */
    function refresh(announceChange) {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      fetch(url, {
        credentials: 'same-origin',
        headers: { Accept: 'text/html' },
        cache: 'no-store',
      })
        .then(function (response) {
          // A login page after an expired session is not a fragment: keep what is shown.
          if (!response.ok || response.headers.get('x-console-fragment') !== 'rows')
            throw new Error('fragment');
          return response.text();
        })
        .then(function (html) {
          if (html === last) return;
          var changed = last !== null || announceChange;
          last = html;
          var active = doc.activeElement;
          var focusKey = active && region.contains(active) ? active.getAttribute('href') : null;
          region.innerHTML = html;
          markScrollBoxes(region);
          region.classList.remove('is-updated');
          void region.offsetWidth;
          region.classList.add('is-updated');
          refocus(focusKey);
          if (changed) announce(message('updated'));
        })
        .catch(function () {
          /* keep the current list; the next event or poll tries again */
        })
        .then(function () {
          inFlight = false;
          if (again) {
            again = false;
            refresh(true);
          }
        });
    }

    function startPolling() {
      if (!pollTimer)
        pollTimer = setInterval(function () {
          refresh(false);
        }, POLL_MS);
    }
    function stopPolling() {
      if (pollTimer) {
        clearInterval(pollTimer);
        pollTimer = null;
      }
    }

    if (typeof EventSource === 'undefined') {
      startPolling();
      return;
    }
    var source = new EventSource('/api/v1/events');
    var hadError = false;
    source.addEventListener('open', function () {
      stopPolling();
      // Events may have been missed while disconnected.
      if (hadError) {
        hadError = false;
        refresh(true);
      }
    });
    source.addEventListener('error', function () {
      hadError = true;
      startPolling();
    });
    source.addEventListener('tickets-changed', function (event) {
      var ids;
      try {
        ids = JSON.parse(event.data).queueIds;
      } catch (_e) {
        return;
      }
      if (!Array.isArray(ids)) return;
      var hit = ids.some(function (id) {
        return queues.indexOf(Number(id)) >= 0;
      });
      if (hit) refresh(true);
    });
    window.addEventListener('pagehide', function () {
      source.close();
      stopPolling();
    });
  }

  var region = doc.getElementById('live-fragment');
  if (region) startLive(region);
})();
