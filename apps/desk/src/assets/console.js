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

  // Canned responses and approved answers (issue 15): the text goes in at the cursor, on a line
  // of its own, and never replaces what the agent typed without asking. On any failure the form
  // is submitted as without JS (the server pre-fills the reply box).
  /**
   * @param {HTMLTextAreaElement} field
   * @param {string} text
   */
  function insertText(field, text) {
    var value = field.value;
    var start = typeof field.selectionStart === 'number' ? field.selectionStart : value.length;
    var end = typeof field.selectionEnd === 'number' ? field.selectionEnd : value.length;
    if (document.activeElement !== field && start === 0 && end === 0 && value !== '') {
      // Never focused: the cursor is nowhere, so the text goes at the end.
      start = end = value.length;
    }
    if (end > start && !window.confirm(messageOf(presenceBox, 'replace-selection'))) start = end;
    var before = value.slice(0, start);
    var after = value.slice(end);
    var insert = text;
    if (before !== '' && before.charAt(before.length - 1) !== '\n') insert = '\n' + insert;
    if (after !== '' && after.charAt(0) !== '\n') insert = insert + '\n';
    field.value = before + insert + after;
    var caret = before.length + insert.length;
    if (typeof field.setSelectionRange === 'function') field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.focus();
  }

  /**
   * @param {HTMLElement | null} element
   * @param {string} name
   */
  function messageOf(element, name) {
    return (element && element.getAttribute('data-msg-' + name)) || '';
  }

  var presenceBox = doc.getElementById('ticket-presence');

  /** @param {string} url */
  function getJson(url) {
    return fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      cache: 'no-store',
    }).then(function (response) {
      if (!response.ok) throw new Error('json ' + response.status);
      return response.json();
    });
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
        getJson(url)
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

  // An approved incident answer: its filled text at the cursor, and its version id in the reply
  // form so the reply records which version it used (edited or verbatim is decided on sending).
  Array.prototype.forEach.call(
    doc.querySelectorAll('form[data-answer-url]'),
    /** @param {HTMLFormElement} form */ function (form) {
      form.addEventListener('submit', function (event) {
        var select = /** @type {HTMLSelectElement | null} */ (
          form.querySelector('select[name="answer"]')
        );
        var target = /** @type {HTMLTextAreaElement | null} */ (
          doc.getElementById(form.getAttribute('data-canned-target') || '')
        );
        var replyForm = target ? target.form : null;
        if (!select || !target || !replyForm) return;
        event.preventDefault();
        if (!select.value) {
          select.focus();
          return;
        }
        var versionId = select.value;
        getJson(/** @type {string} */ (form.getAttribute('data-answer-url')))
          .then(function (answers) {
            var chosen = (Array.isArray(answers) ? answers : []).filter(function (answer) {
              return String(answer.versionId) === versionId;
            })[0];
            if (!chosen || typeof chosen.filledBody !== 'string') throw new Error('answer');
            var hidden = /** @type {HTMLInputElement | null} */ (
              /** @type {HTMLFormElement} */ (replyForm).querySelector(
                'input[name="answerVersionId"]',
              )
            );
            if (!hidden) {
              hidden = doc.createElement('input');
              hidden.type = 'hidden';
              hidden.name = 'answerVersionId';
              /** @type {HTMLFormElement} */ (replyForm).insertBefore(
                hidden,
                /** @type {HTMLFormElement} */ (replyForm).firstChild,
              );
            }
            hidden.value = versionId;
            insertText(/** @type {HTMLTextAreaElement} */ (target), chosen.filledBody);
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

  // Issue 15 ----------------------------------------------------------------------------------
  var HEARTBEAT_MS = 10000;
  var WRITING_IDLE_MS = 20000;
  var DRAFT_PREFIX = 'madoguchi.draft.';
  var SENT_PREFIX = 'madoguchi.sent.';

  /** @param {string} template @param {string} name */
  function fill(template, name) {
    return template.replace('{name}', name);
  }

  /** @param {{ displayName: string, state: string }} other */
  function presenceText(other) {
    return fill(
      message(other.state === 'writing' ? 'presence-writing' : 'presence-viewing'),
      other.displayName,
    );
  }

  function csrfToken() {
    var field = /** @type {HTMLInputElement | null} */ (doc.querySelector('input[name="_csrf"]'));
    return field ? field.value : '';
  }

  /** @param {string} action */
  function storage(action) {
    try {
      return action === 'session' ? window.sessionStorage : window.localStorage;
    } catch (_e) {
      return null;
    }
  }

  // Drafts: what is typed in a ticket's reply, note or call-note box is kept in this browser
  // (localStorage, keyed by ticket and box) until it is sent, so a reload or a crash loses nothing.
  // Logging out forgets every draft.
  var DONE_OF = {
    'f-reply-body': 'replied',
    'f-note-body': 'noted',
    'f-call-note-body': 'callNoted',
    'f-question-body': 'questionAsked',
  };
  /** @param {string} reference */
  function startDrafts(reference) {
    var local = storage('local');
    var session = storage('session');
    if (!local) return;
    var done = new URLSearchParams(window.location.search).get('done');
    Object.keys(DONE_OF).forEach(function (id) {
      var field = /** @type {HTMLTextAreaElement | null} */ (doc.getElementById(id));
      var key = DRAFT_PREFIX + reference + '.' + id;
      var sentKey = SENT_PREFIX + reference + '.' + id;
      if (session && session.getItem(sentKey)) {
        session.removeItem(sentKey);
        if (done === DONE_OF[/** @type {keyof typeof DONE_OF} */ (id)]) {
          /** @type {Storage} */ (local).removeItem(key);
        }
      }
      if (!field) return;
      var box = field;
      var saved = /** @type {Storage} */ (local).getItem(key);
      if (saved && box.value.trim() === '') {
        box.value = saved;
        announce(messageOf(presenceBox, 'draft-restored'));
      }
      box.addEventListener('input', function () {
        try {
          if (box.value.trim() === '') /** @type {Storage} */ (local).removeItem(key);
          else /** @type {Storage} */ (local).setItem(key, box.value);
        } catch (_e) {
          /* storage full or refused: the draft lives only in the page */
        }
      });
      if (box.form && session) {
        box.form.addEventListener('submit', function () {
          /** @type {Storage} */ (session).setItem(sentKey, '1');
        });
      }
    });
  }
  var logout = doc.querySelector('form[action="/logout"]');
  if (logout) {
    logout.addEventListener('submit', function () {
      var local = storage('local');
      if (!local) return;
      for (var i = local.length - 1; i >= 0; i--) {
        var key = local.key(i);
        if (key && key.indexOf(DRAFT_PREFIX) === 0) local.removeItem(key);
      }
    });
  }

  // Presence and the live conversation of an open ticket page: a heartbeat every 10 s (and when
  // typing starts) says whether this agent is viewing or writing and answers who else is here;
  // a change event of the ticket's queue, or a heartbeat, that shows a newer message fetches the
  // conversation alone and swaps it in: the reply box and its draft are left as they are.
  /** @param {HTMLElement} box @param {string} reference */
  function startTicketLive(box, reference) {
    var url = /** @type {string} */ (box.getAttribute('data-presence-url'));
    var queueId = Number(box.getAttribute('data-queue-id'));
    var lastMessageId = Number(box.getAttribute('data-last-message-id')) || 0;
    var conversation = doc.getElementById('ticket-conversation');
    var list = box.querySelector('.presence__list');
    var lastTypedAt = 0;
    var sentState = '';
    var fetching = false;

    function state() {
      return Date.now() - lastTypedAt < WRITING_IDLE_MS ? 'writing' : 'viewing';
    }

    /** @param {Array<{ userId: number, displayName: string, state: string }>} others */
    function showOthers(others) {
      if (!list) return;
      var items = others.map(function (other) {
        var item = doc.createElement('li');
        item.className = 'presence__item presence__item--' + other.state;
        item.setAttribute('data-user-id', String(other.userId));
        var icon = doc.createElement('span');
        icon.setAttribute('aria-hidden', 'true');
        icon.textContent = other.state === 'writing' ? '✎ ' : '👁 ';
        item.appendChild(icon);
        item.appendChild(doc.createTextNode(presenceText(other)));
        return item;
      });
      var before = list.textContent;
      list.textContent = '';
      items.forEach(function (item) {
        /** @type {Element} */ (list).appendChild(item);
      });
      if (list.textContent !== before && list.textContent) announce(list.textContent);
    }

    function refreshConversation() {
      if (!conversation || fetching) return;
      fetching = true;
      fetch(/** @type {string} */ (conversation.getAttribute('data-conversation-url')), {
        credentials: 'same-origin',
        headers: { Accept: 'text/html' },
        cache: 'no-store',
      })
        .then(function (response) {
          if (!response.ok || response.headers.get('x-console-fragment') !== 'rows')
            throw new Error('fragment');
          return response.text();
        })
        .then(function (html) {
          /** @type {HTMLElement} */ (conversation).innerHTML = html;
          markScrollBoxes(/** @type {HTMLElement} */ (conversation));
          announce(messageOf(box, 'new-messages'));
        })
        .catch(function () {
          // Not swapped in: the next heartbeat sees the newer message again and retries.
          lastMessageId = 0;
        })
        .then(function () {
          fetching = false;
        });
    }

    /** @param {{ lastMessageId: number | null, others: Array<{ userId: number, displayName: string, state: string }> }} live */
    function apply(live) {
      if (!live || !Array.isArray(live.others)) return;
      showOthers(live.others);
      var newest = Number(live.lastMessageId) || 0;
      if (newest > lastMessageId) {
        lastMessageId = newest;
        box.setAttribute('data-last-message-id', String(newest));
        refreshConversation();
      }
    }

    function heartbeat() {
      sentState = state();
      fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'X-CSRF-Token': csrfToken(),
        },
        body: JSON.stringify({ state: sentState }),
        cache: 'no-store',
      })
        .then(function (response) {
          if (!response.ok) throw new Error('presence ' + response.status);
          return response.json();
        })
        .then(apply)
        .catch(function () {
          /* a missed heartbeat only makes this agent disappear for others after 30 s */
        });
    }

    function check() {
      getJson(url)
        .then(apply)
        .catch(function () {
          /* the next heartbeat tries again */
        });
    }

    var layout = doc.querySelector('.ticket-layout');
    if (layout) {
      layout.addEventListener('input', function (event) {
        var target = /** @type {HTMLElement} */ (event.target);
        if (!target || target.tagName !== 'TEXTAREA') return;
        lastTypedAt = Date.now();
        if (sentState !== 'writing') heartbeat();
      });
    }
    heartbeat();
    var timer = window.setInterval(heartbeat, HEARTBEAT_MS);
    /** @type {EventSource | null} */
    var source = null;
    if (typeof EventSource !== 'undefined') {
      source = new EventSource('/api/v1/events');
      source.addEventListener('tickets-changed', function (event) {
        var ids;
        try {
          ids = JSON.parse(/** @type {MessageEvent} */ (event).data).queueIds;
        } catch (_e) {
          return;
        }
        if (Array.isArray(ids) && ids.map(Number).indexOf(queueId) >= 0) check();
      });
    }
    window.addEventListener('pagehide', function () {
      clearInterval(timer);
      if (source) source.close();
    });
    void reference;
  }

  var ticketLayout = doc.querySelector('[data-ticket-reference]');
  if (ticketLayout) {
    var reference = /** @type {string} */ (ticketLayout.getAttribute('data-ticket-reference'));
    startDrafts(reference);
    if (presenceBox) startTicketLive(presenceBox, reference);
  }

  // The queue list's presence markers: who else has which ticket open, every 15 s.
  /** @param {HTMLElement} listRegion */
  function startListPresence(listRegion) {
    function refresh() {
      var rows = listRegion.querySelectorAll('[data-reference]');
      if (rows.length === 0) return;
      var query = Array.prototype.map
        .call(
          rows,
          /** @param {Element} row */ function (row) {
            return 'reference=' + encodeURIComponent(row.getAttribute('data-reference') || '');
          },
        )
        .join('&');
      getJson('/api/v1/presence?' + query)
        .then(function (items) {
          /** @type {Record<string, string>} */
          var texts = {};
          (Array.isArray(items) ? items : []).forEach(function (item) {
            texts[item.reference] = item.others.map(presenceText).join('、');
          });
          Array.prototype.forEach.call(
            rows,
            /** @param {Element} row */ function (row) {
              var marker = row.querySelector('[data-presence-marker]');
              if (!marker) return;
              var text = texts[row.getAttribute('data-reference') || ''] || '';
              if (marker.textContent !== text) marker.textContent = text;
            },
          );
        })
        .catch(function () {
          /* keep the markers shown */
        });
    }
    window.setInterval(refresh, POLL_MS);
  }
  if (region && region.querySelector('[data-presence-marker]')) startListPresence(region);
})();
