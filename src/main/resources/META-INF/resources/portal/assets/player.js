// Valv portal: the transcriber's player, loaded from 'self' (the CSP allows no inline script).
// Progressive enhancement: each <div class="player"> holds an <audio>/<video> that keeps its native controls
// and plays without this script. The script adds speed with pitch kept, skips, rewind on resume, a timestamp,
// a seek bar showing what is buffered, a remembered position and keyboard shortcuts that also work while the
// notes field has focus (foot pedals send keystrokes). Settings and positions stay in this browser's
// localStorage; nothing here talks to the server except the media element's own ranged requests.
(function () {
  'use strict';

  // Keys that type no text, so that a pedal or a shortcut never writes into the notes.
  var DEFAULTS = {
    skipBack: 5, skipForward: 5, rewindOnResume: 2,
    keys: { toggle: 'Escape', back: 'F1', forward: 'F2', slower: 'F3', faster: 'F4', copy: 'F8' }
  };
  var RATES = [];
  for (var tenths = 5; tenths <= 20; tenths++) {
    RATES.push(tenths / 10);
  }

  var roots = Array.prototype.slice.call(document.querySelectorAll('.player'));
  if (!roots.length) {
    return;
  }
  var viewer = roots[0].getAttribute('data-viewer') || '';
  var settingsKey = 'valv.player.settings.' + viewer;
  var settings = loadSettings();
  var players = roots.map(enhance);
  var active = players[0];
  setUpSettingsForm();
  window.addEventListener('keydown', onShortcut, true);

  // --- storage: this browser only, per viewer ---------------------------------------------------

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null; // storage disabled: the player works, it just forgets
    }
  }

  function read(key) {
    var store = storage();
    try {
      return store ? store.getItem(key) : null;
    } catch (e) {
      return null;
    }
  }

  function write(key, value) {
    var store = storage();
    try {
      if (store && value === null) {
        store.removeItem(key);
      } else if (store) {
        store.setItem(key, value);
      }
    } catch (e) {
      // full or refused: nothing else to do
    }
  }

  function copyOfDefaults() {
    return JSON.parse(JSON.stringify(DEFAULTS));
  }

  function loadSettings() {
    var loaded = copyOfDefaults();
    var saved;
    try {
      saved = JSON.parse(read(settingsKey) || 'null');
    } catch (e) {
      saved = null;
    }
    if (!saved || typeof saved !== 'object') {
      return loaded;
    }
    ['skipBack', 'skipForward', 'rewindOnResume'].forEach(function (name) {
      if (typeof saved[name] === 'number' && isFinite(saved[name]) && saved[name] >= 0) {
        loaded[name] = saved[name];
      }
    });
    if (saved.keys && typeof saved.keys === 'object') {
      Object.keys(loaded.keys).forEach(function (action) {
        if (typeof saved.keys[action] === 'string') {
          loaded.keys[action] = saved.keys[action];
        }
      });
    }
    return loaded;
  }

  // --- formats ------------------------------------------------------------------------------------

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  /** hh:mm:ss.s, truncated to the tenth (a timestamp never points after what was heard). */
  function timestamp(seconds) {
    var ds = Math.floor((isFinite(seconds) && seconds > 0 ? seconds : 0) * 10 + 1e-6);
    var s = Math.floor(ds / 10);
    return pad(Math.floor(s / 3600)) + ':' + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60) + '.' + (ds % 10);
  }

  /** The key combination of a keydown, e.g. "F4", "Escape", "Ctrl+Alt+J"; null for a lone modifier. */
  function combination(event) {
    var key = event.key;
    if (!key || key === 'Unidentified' || key === 'Dead' || ['Control', 'Alt', 'Shift', 'Meta', 'AltGraph', 'OS'].indexOf(key) >= 0) {
      return null;
    }
    if (key === ' ') {
      key = 'Space';
    } else if (key.length === 1) {
      key = key.toUpperCase();
    }
    var parts = [];
    if (event.ctrlKey) parts.push('Ctrl');
    if (event.altKey) parts.push('Alt');
    if (event.shiftKey) parts.push('Shift');
    if (event.metaKey) parts.push('Meta');
    parts.push(key);
    return parts.join('+');
  }

  /** The same combination in the ARIA notation of aria-keyshortcuts. */
  function ariaShortcut(value) {
    return value.replace(/\bCtrl\b/g, 'Control');
  }

  // --- one player ---------------------------------------------------------------------------------

  function enhance(root) {
    var media = root.querySelector('audio, video');
    var material = root.getAttribute('data-material');
    var positionKey = 'valv.player.position.' + viewer + '.' + material;
    var controls = root.querySelector('.player-controls');
    var toggleButton = root.querySelector('[data-action="toggle"]');
    var speed = root.querySelector('[data-role="speed"]');
    var time = root.querySelector('[data-role="time"]');
    var seek = root.querySelector('[data-role="seek"]');
    var canvas = root.querySelector('[data-role="buffered"]');
    var status = root.querySelector('[data-role="status"]');
    var pausedAt = null;
    var rewinding = false;
    var restored = false;
    var dragging = false;
    var lastSaved = 0;

    media.preservesPitch = true;
    media.mozPreservesPitch = true;
    media.webkitPreservesPitch = true;

    RATES.forEach(function (rate) {
      var option = document.createElement('option');
      option.value = rate.toFixed(1);
      option.textContent = rate.toFixed(1) + '×';
      speed.appendChild(option);
    });
    speed.value = '1.0';

    var player = {
      root: root,
      media: media,
      toggle: function () {
        if (media.paused) {
          var playing = media.play();
          if (playing && playing.catch) {
            playing.catch(function () { /* refused (autoplay rules) or aborted: the button stays "Play" */ });
          }
        } else {
          media.pause();
        }
      },
      skip: function (seconds) {
        var end = isFinite(media.duration) ? media.duration : Infinity;
        media.currentTime = Math.max(0, Math.min(end, media.currentTime + seconds));
      },
      rate: function (step) {
        setRate(media.playbackRate + step);
      },
      copy: copyTimestamp,
      announce: function (text) {
        status.textContent = text;
      },
      describe: function (action) {
        if (action === 'slower' || action === 'faster') {
          return root.getAttribute('data-speed-now').replace('%r', media.playbackRate.toFixed(1));
        }
        if (action === 'back' || action === 'forward') {
          return timestamp(media.currentTime);
        }
        return null;
      },
      refreshLabels: refreshLabels
    };

    function setRate(rate) {
      var rounded = Math.round(Math.max(0.5, Math.min(2, rate)) * 10) / 10;
      media.defaultPlaybackRate = rounded;
      media.playbackRate = rounded;
      speed.value = rounded.toFixed(1);
    }

    function showTime() {
      var now = timestamp(media.currentTime);
      time.textContent = now;
      if (!dragging) {
        seek.value = String(media.currentTime);
      }
      seek.setAttribute('aria-valuetext', now);
      drawBuffered();
    }

    function showDuration() {
      if (isFinite(media.duration)) {
        seek.max = String(Math.floor(media.duration));
      }
      showTime();
    }

    /** What the element has fetched, as bars under the seek slider: a long file is never fetched whole. */
    function drawBuffered() {
      var width = canvas.clientWidth;
      var height = canvas.clientHeight;
      if (!width || !height) {
        return;
      }
      var ratio = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      var context = canvas.getContext('2d');
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, width, height);
      context.fillStyle = '#dfe4ea';
      context.fillRect(0, 0, width, height);
      var duration = media.duration;
      if (!isFinite(duration) || duration <= 0) {
        return;
      }
      context.fillStyle = '#7d8a99';
      for (var i = 0; i < media.buffered.length; i++) {
        var start = media.buffered.start(i) / duration * width;
        var end = media.buffered.end(i) / duration * width;
        context.fillRect(start, 0, Math.max(1, end - start), height);
      }
      context.fillStyle = '#1f5f8b';
      context.fillRect(Math.min(width - 2, media.currentTime / duration * width), 0, 2, height);
    }

    function savePosition(force) {
      if (!restored) {
        return;
      }
      var now = Date.now();
      if (force || now - lastSaved > 1000) {
        lastSaved = now;
        write(positionKey, media.currentTime > 0 ? media.currentTime.toFixed(1) : null);
      }
    }

    function restorePosition() {
      if (restored) {
        return;
      }
      restored = true;
      var saved = parseFloat(read(positionKey));
      if (saved > 0 && isFinite(media.duration) && saved < media.duration - 0.5) {
        media.currentTime = saved;
      }
      showDuration();
    }

    function copyTimestamp() {
      var text = timestamp(media.currentTime);
      var copied = root.getAttribute('data-copied').replace('%t', text);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          player.announce(copied);
        }, function () {
          selectTimestamp(text);
        });
      } else {
        selectTimestamp(text);
      }
    }

    /** Without the clipboard API (or permission), the time is selected for the user to copy. */
    function selectTimestamp(text) {
      var range = document.createRange();
      range.selectNodeContents(time);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      player.announce(root.getAttribute('data-selected').replace('%t', text));
    }

    function refreshLabels() {
      root.querySelector('[data-role="back-seconds"]').textContent = String(settings.skipBack);
      root.querySelector('[data-role="forward-seconds"]').textContent = String(settings.skipForward);
      ['toggle', 'back', 'forward', 'copy'].forEach(function (action) {
        var button = root.querySelector('[data-action="' + action + '"]');
        if (settings.keys[action]) {
          button.setAttribute('aria-keyshortcuts', ariaShortcut(settings.keys[action]));
          button.title = settings.keys[action];
        } else {
          button.removeAttribute('aria-keyshortcuts');
          button.removeAttribute('title');
        }
      });
      var speedShortcuts = [settings.keys.slower, settings.keys.faster].filter(Boolean);
      if (speedShortcuts.length) {
        speed.setAttribute('aria-keyshortcuts', speedShortcuts.map(ariaShortcut).join(' '));
      } else {
        speed.removeAttribute('aria-keyshortcuts');
      }
    }

    function showPlaying() {
      toggleButton.textContent = root.getAttribute(media.paused ? 'data-play' : 'data-pause');
    }

    toggleButton.addEventListener('click', player.toggle);
    root.querySelector('[data-action="back"]').addEventListener('click', function () { player.skip(-settings.skipBack); });
    root.querySelector('[data-action="forward"]').addEventListener('click', function () { player.skip(settings.skipForward); });
    root.querySelector('[data-action="copy"]').addEventListener('click', copyTimestamp);
    speed.addEventListener('change', function () { setRate(parseFloat(speed.value)); });
    seek.addEventListener('pointerdown', function () { dragging = true; });
    seek.addEventListener('pointerup', function () { dragging = false; });
    seek.addEventListener('change', function () { dragging = false; });
    // the element fetches from the new position with a Range request; nothing in between is downloaded
    seek.addEventListener('input', function () { media.currentTime = parseFloat(seek.value); });

    media.addEventListener('loadedmetadata', restorePosition);
    media.addEventListener('durationchange', showDuration);
    media.addEventListener('timeupdate', function () {
      showTime();
      savePosition(false);
    });
    media.addEventListener('progress', drawBuffered);
    media.addEventListener('seeking', function () {
      // a position chosen while paused is where the listener wants to resume: no rewind then
      if (media.paused && !rewinding) {
        pausedAt = null;
      }
      showTime();
    });
    media.addEventListener('seeked', function () {
      rewinding = false;
      showTime();
      savePosition(true);
    });
    media.addEventListener('pause', function () {
      if (!media.ended) {
        pausedAt = media.currentTime;
      }
      showPlaying();
      savePosition(true);
    });
    media.addEventListener('play', function () {
      active = player;
      if (pausedAt !== null && settings.rewindOnResume > 0) {
        rewinding = true;
        media.currentTime = Math.max(0, pausedAt - settings.rewindOnResume);
      }
      pausedAt = null;
      showPlaying();
    });
    media.addEventListener('ended', function () {
      pausedAt = null;
      showPlaying();
      write(positionKey, null);
    });
    media.addEventListener('ratechange', function () {
      speed.value = (Math.round(media.playbackRate * 10) / 10).toFixed(1);
    });
    root.addEventListener('focusin', function () { active = player; });
    root.addEventListener('pointerdown', function () { active = player; });
    window.addEventListener('pagehide', function () { savePosition(true); });
    window.addEventListener('resize', drawBuffered);

    if (media.readyState >= 1) {
      restorePosition();
    }
    refreshLabels();
    showPlaying();
    controls.hidden = false;
    drawBuffered();
    return player;
  }

  // --- shortcuts ----------------------------------------------------------------------------------

  var ACTIONS = {
    toggle: function (p) { p.toggle(); },
    back: function (p) { p.skip(-settings.skipBack); },
    forward: function (p) { p.skip(settings.skipForward); },
    slower: function (p) { p.rate(-0.1); },
    faster: function (p) { p.rate(0.1); },
    copy: function (p) { p.copy(); }
  };

  /**
   * Captured before any field sees the key, so that a shortcut works while the notes have focus. Only a
   * configured combination is taken (preventDefault); every other key reaches the field untouched.
   */
  function onShortcut(event) {
    if (event.target && event.target.hasAttribute && event.target.hasAttribute('data-shortcut')) {
      return; // being recorded in the settings form
    }
    var pressed = combination(event);
    if (!pressed) {
      return;
    }
    var actions = Object.keys(ACTIONS);
    for (var i = 0; i < actions.length; i++) {
      var action = actions[i];
      if (settings.keys[action] === pressed) {
        event.preventDefault();
        event.stopPropagation();
        if (event.repeat && (action === 'toggle' || action === 'copy')) {
          return; // a held pedal must not flip play and pause
        }
        ACTIONS[action](active);
        var said = active.describe(action);
        if (said) {
          active.announce(said);
        }
        return;
      }
    }
  }

  // --- settings -----------------------------------------------------------------------------------

  function setUpSettingsForm() {
    var panel = document.getElementById('player-settings');
    var form = document.getElementById('player-settings-form');
    if (!panel || !form) {
      return;
    }
    var status = document.getElementById('player-settings-status');
    var numbers = ['skipBack', 'skipForward', 'rewindOnResume'];
    var shortcutFields = Array.prototype.slice.call(form.querySelectorAll('[data-shortcut]'));

    function fill() {
      numbers.forEach(function (name) {
        form.elements[name].value = String(settings[name]);
      });
      shortcutFields.forEach(function (field) {
        field.value = settings.keys[field.getAttribute('data-shortcut')] || '';
      });
    }

    function numberOf(field) {
      var value = parseFloat(field.value);
      var min = parseFloat(field.min);
      var max = parseFloat(field.max);
      if (!isFinite(value)) {
        return null;
      }
      return Math.max(min, Math.min(max, value));
    }

    function apply(next) {
      settings = next;
      write(settingsKey, JSON.stringify(settings));
      players.forEach(function (p) { p.refreshLabels(); });
      fill();
    }

    shortcutFields.forEach(function (field) {
      field.addEventListener('keydown', function (event) {
        var plain = !event.ctrlKey && !event.altKey && !event.metaKey;
        if (plain && event.key === 'Tab') {
          return; // keyboard users leave the field as usual
        }
        event.preventDefault();
        if (plain && !event.shiftKey && (event.key === 'Delete' || event.key === 'Backspace')) {
          field.value = '';
          return;
        }
        var pressed = combination(event);
        if (pressed) {
          field.value = pressed;
        }
      });
      field.addEventListener('beforeinput', function (event) { event.preventDefault(); });
      field.addEventListener('paste', function (event) { event.preventDefault(); });
    });

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var next = copyOfDefaults();
      numbers.forEach(function (name) {
        var value = numberOf(form.elements[name]);
        next[name] = value === null ? settings[name] : value;
      });
      shortcutFields.forEach(function (field) {
        next.keys[field.getAttribute('data-shortcut')] = field.value;
      });
      apply(next);
      status.textContent = status.getAttribute('data-saved');
    });

    document.getElementById('player-settings-reset').addEventListener('click', function () {
      apply(copyOfDefaults());
      status.textContent = status.getAttribute('data-saved');
    });

    fill();
    panel.hidden = false;
  }
})();
