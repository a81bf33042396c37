// @ts-check
/**
 * console-voice.js: the browser phone of the waiting-calls page (/calls). It refreshes the
 * waiting list every 5 seconds (a fetch of the rows fragment) and, on 「次の通話を取る」, asks the
 * desk for a Twilio Voice access token and connects with the Twilio Voice JS SDK's Device. The
 * SDK is not bundled (no CDN either): the page loads /assets/twilio-voice.min.js, which the desk
 * serves only when the operator installed @twilio/voice-sdk (docs/telephony.md); without it the
 * button says so instead of failing silently. The connection reaches the TwiML App's voice URL
 * (telephony /twilio/voice/agent-dial), which dials the window's queue — or, on a callback's
 * page (the panel carries data-callback-call-id), the caller's number from the window's number
 * (click-to-call; the telephony app dials only a callback this agent has taken).
 */

/**
 * The parts of the Twilio Voice SDK this page uses.
 * @typedef {{ on(event: string, listener: () => void): void, disconnect(): void }} VoiceCall
 * @typedef {{
 *   on(event: string, listener: () => void): void,
 *   updateToken(token: string): void,
 *   connect(options: { params: Record<string, string> }): Promise<VoiceCall>
 * }} VoiceDevice
 * @typedef {new (token: string, options: { closeProtection: boolean }) => VoiceDevice} VoiceDeviceClass
 * @typedef {{ token: string }} VoiceGrant
 */
(function () {
  'use strict';
  var POLL_MS = 5000;
  var list = document.getElementById('waiting-calls');
  if (list) {
    var rows = list;
    var url = /** @type {string} */ (list.getAttribute('data-poll-url'));
    setInterval(function () {
      if (document.hidden) return;
      fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (response) {
          if (!response.ok || response.headers.get('x-console-fragment') !== 'rows') return null;
          return response.text();
        })
        .then(function (text) {
          if (text !== null) rows.innerHTML = text;
        })
        .catch(function () {});
    }, POLL_MS);
  }

  var found = document.getElementById('voice-panel');
  if (!found) return;
  // The page renders the panel with its button, hang-up and status together.
  var panel = found;
  var take = /** @type {HTMLButtonElement} */ (document.getElementById('voice-take-next'));
  var hangUp = /** @type {HTMLElement} */ (document.getElementById('voice-hang-up'));
  var status = /** @type {HTMLElement} */ (document.getElementById('voice-status'));
  /** @type {{ Twilio?: { Device?: VoiceDeviceClass } }} */
  var sdkHost = /** @type {any} */ (window);
  /** @type {VoiceDevice | null} */
  var device = null;
  /** @type {VoiceCall | null} */
  var call = null;
  /** @param {string} key */
  function say(key) {
    status.textContent = panel.getAttribute('data-msg-' + key) || '';
  }
  /** @param {boolean} busy */
  function setBusy(busy) {
    take.disabled = busy;
    hangUp.hidden = !busy;
  }

  /** @returns {Promise<VoiceDeviceClass>} */
  function loadSdk() {
    return new Promise(function (resolve, reject) {
      if (sdkHost.Twilio && sdkHost.Twilio.Device) {
        resolve(sdkHost.Twilio.Device);
        return;
      }
      var script = document.createElement('script');
      script.src = '/assets/twilio-voice.min.js';
      script.onload = function () {
        if (sdkHost.Twilio && sdkHost.Twilio.Device) resolve(sdkHost.Twilio.Device);
        else reject(new Error('no-sdk'));
      };
      script.onerror = function () {
        reject(new Error('no-sdk'));
      };
      document.head.appendChild(script);
    });
  }

  /** @returns {Promise<VoiceGrant>} */
  function fetchToken() {
    return fetch(/** @type {string} */ (panel.getAttribute('data-token-url')), {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'x-csrf-token': /** @type {string} */ (panel.getAttribute('data-csrf')),
        accept: 'application/json',
      },
    }).then(function (response) {
      if (response.status === 503) throw new Error('not-configured');
      if (!response.ok) throw new Error('token');
      return response.json();
    });
  }

  take.addEventListener('click', function () {
    if (panel.getAttribute('data-voice-ready') !== 'yes') {
      say('not-configured');
      return;
    }
    setBusy(true);
    say('connecting');
    Promise.all([loadSdk(), fetchToken()])
      .then(function (results) {
        var Device = results[0];
        var grant = results[1];
        if (!device) {
          var created = new Device(grant.token, { closeProtection: true });
          created.on('tokenWillExpire', function () {
            fetchToken().then(function (next) {
              created.updateToken(next.token);
            });
          });
          device = created;
        }
        var callbackCallId = panel.getAttribute('data-callback-call-id');
        /** @type {Record<string, string>} */
        var params = {};
        if (callbackCallId) params.callbackCallId = callbackCallId;
        return device.connect({ params: params });
      })
      .then(function (connection) {
        call = connection;
        call.on('accept', function () {
          say('connected');
        });
        call.on('disconnect', function () {
          call = null;
          setBusy(false);
          say('ended');
        });
        call.on('error', function () {
          call = null;
          setBusy(false);
          say('error');
        });
      })
      .catch(function (error) {
        setBusy(false);
        var message = error && error.message;
        say(
          message === 'no-sdk'
            ? 'no-sdk'
            : message === 'not-configured'
              ? 'not-configured'
              : 'error',
        );
      });
  });

  hangUp.addEventListener('click', function () {
    if (call) call.disconnect();
  });
})();
