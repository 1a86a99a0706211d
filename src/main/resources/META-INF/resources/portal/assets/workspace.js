// Valv client workspace: resumable uploads (tus, through the vendored tus-js-client) from the job page.
// The page's words arrive as data-msg-* attributes of the upload form; the CSRF token from <meta name="csrf-token">.
// tus-js-client keeps each upload's URL in localStorage under a fingerprint of the file, so choosing the same file
// again after a broken connection or a reload resumes it where the server's durable offset stands.
(function () {
  'use strict';

  function refreshWhilePending() {
    var destroyed = document.getElementById('destroyed');
    var seconds = destroyed && parseInt(destroyed.getAttribute('data-refresh'), 10);
    if (seconds > 0) {
      window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
    }
  }

  function formatBytes(n) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function formatSeconds(s) {
    if (!isFinite(s)) { return '–'; }
    s = Math.round(s);
    var m = Math.floor(s / 60);
    return m > 0 ? m + ' min ' + (s % 60) + ' s' : s + ' s';
  }

  function setup(form) {
    var msg = function (name) { return form.getAttribute('data-msg-' + name) || name; };
    var tokenMeta = document.querySelector('meta[name="csrf-token"]');
    var token = tokenMeta ? tokenMeta.getAttribute('content') : '';
    var input = document.getElementById('files');
    var zone = document.getElementById('dropzone');
    var list = document.getElementById('uploads');
    var message = document.getElementById('upload-message');
    var queued = [];

    function personalData() {
      var chosen = form.querySelector('input[name="personal-data"]:checked');
      return chosen ? chosen.value : null;
    }

    function say(text) { message.textContent = text; }

    zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      queued = queued.concat(Array.prototype.slice.call(e.dataTransfer.files));
      say('');
    });
    input.addEventListener('change', function () { say(''); });

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var choice = personalData();
      if (choice === null) {
        say(msg('choose-personal-data'));
        form.querySelector('input[name="personal-data"]').focus();
        return;
      }
      var files = Array.prototype.slice.call(input.files).concat(queued);
      if (files.length === 0) {
        say(msg('no-files'));
        input.focus();
        return;
      }
      say('');
      queued = [];
      files.forEach(function (file) { start(file, choice); });
      input.value = '';
    });

    function start(file, choice) {
      var item = document.createElement('li');
      var name = document.createElement('span');
      name.className = 'upload-name';
      name.textContent = file.name;
      var progress = document.createElement('progress');
      progress.max = 100;
      progress.value = 0;
      progress.setAttribute('aria-label', msg('progress-label') + ' ' + file.name);
      var rate = document.createElement('span');
      rate.className = 'upload-rate';
      var status = document.createElement('p');
      status.className = 'upload-status';
      status.setAttribute('aria-live', 'polite');
      status.textContent = msg('waiting');
      var toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'upload-toggle';
      toggle.textContent = msg('pause');
      item.append(name, progress, rate, status, toggle);
      list.appendChild(item);

      var materialId = null;
      var paused = false;
      var last = { at: Date.now(), bytes: 0, speed: 0 };
      var upload = new tus.Upload(file, {
        endpoint: form.getAttribute('data-endpoint'),
        metadata: { filename: file.name, filetype: file.type || 'application/octet-stream', 'personal-data': choice },
        headers: { 'X-CSRF-Token': token },
        // one PATCH for the whole file: the server keeps whatever whole parts arrived if it breaks off
        removeFingerprintOnSuccess: true,
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
        onAfterResponse: function (req, res) {
          var id = res.getHeader('Valv-Material-Id');
          if (id) { materialId = id; }
        },
        onProgress: function (sent, total) {
          progress.value = total > 0 ? Math.floor(sent * 100 / total) : 0;
          var now = Date.now();
          if (now - last.at >= 500) {
            var instant = (sent - last.bytes) * 1000 / (now - last.at);
            last.speed = last.speed ? 0.7 * last.speed + 0.3 * instant : instant;
            last = { at: now, bytes: sent, speed: last.speed };
            rate.textContent = ' ' + formatBytes(last.speed) + '/s · ' + formatSeconds((total - sent) / last.speed)
                + ' ' + msg('left');
          }
        },
        onError: function (error) {
          status.textContent = msg('failed') + ' ' + (error && error.message ? error.message.split('\n')[0] : '');
          toggle.textContent = msg('resume');
          paused = true;
        },
        onSuccess: function () {
          progress.value = 100;
          rate.textContent = '';
          toggle.remove();
          item.setAttribute('data-material-id', materialId || '');
          fetch(form.getAttribute('data-metadata') + encodeURIComponent(materialId), {
            credentials: 'same-origin', headers: { Accept: 'application/json' }
          }).then(function (r) { return r.json(); }).then(function (m) {
            status.textContent = msg('stored') + ' ';
            var hash = document.createElement('code');
            hash.className = 'sha256';
            hash.textContent = m.sha256;
            status.appendChild(hash);
          });
        }
      });

      toggle.addEventListener('click', function () {
        if (paused) {
          paused = false;
          toggle.textContent = msg('pause');
          status.textContent = msg('uploading');
          upload.start();
        } else {
          paused = true;
          toggle.textContent = msg('resume');
          status.textContent = msg('paused');
          upload.abort();
        }
      });

      upload.findPreviousUploads().then(function (previous) {
        if (previous.length > 0) {
          upload.resumeFromPreviousUpload(previous[0]);
          item.setAttribute('data-resumed', 'true');
          status.textContent = msg('uploading') + ' (' + msg('resumed') + ')';
        } else {
          status.textContent = msg('uploading');
        }
        upload.start();
      });
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    refreshWhilePending();
    var form = document.getElementById('upload-form');
    if (form) { setup(form); }
  });
}());
