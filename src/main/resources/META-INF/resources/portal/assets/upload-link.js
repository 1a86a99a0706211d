// Valv upload link page: resumable uploads with tus-js-client (vendored), no inline script (CSP).
// What the browser keeps: while an upload is unfinished, one localStorage entry per file holding only the upload
// URL, the size and the time; its key is a SHA-256 of the file's name, size, date and the link, never the name
// itself (tus-js-client's own storage would keep the file name and its metadata). The entry goes when the upload
// is stored, so after leaving the page nothing names the sender's files.
(function () {
  'use strict';
  var form = document.getElementById('link-upload');
  if (!form || !window.tus) {
    return;
  }
  var words = form.dataset;
  var endpoint = form.getAttribute('data-endpoint');
  var picker = document.getElementById('files');
  var dropzone = document.getElementById('dropzone');
  var status = document.getElementById('link-status');
  var list = document.getElementById('uploads');
  var chosen = [];
  var PREFIX = 'valv-link::';

  // tus-js-client's URL storage interface, keeping no file name and no metadata
  var storage = {
    findAllUploads: function () {
      return Promise.resolve(entries(PREFIX));
    },
    findUploadsByFingerprint: function (fingerprint) {
      return Promise.resolve(entries(PREFIX + fingerprint + '::'));
    },
    removeUpload: function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* storage unavailable: nothing kept */ }
      return Promise.resolve();
    },
    addUpload: function (fingerprint, upload) {
      var key = PREFIX + fingerprint + '::' + Math.round(Math.random() * 1e12);
      var kept = { size: upload.size, creationTime: upload.creationTime, uploadUrl: upload.uploadUrl };
      try { window.localStorage.setItem(key, JSON.stringify(kept)); } catch (e) { return Promise.resolve(null); }
      return Promise.resolve(key);
    }
  };

  function entries(prefix) {
    var found = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(prefix) === 0) {
          var value = JSON.parse(window.localStorage.getItem(key));
          value.urlStorageKey = key;
          found.push(value);
        }
      }
    } catch (e) { /* unreadable storage: resume from scratch */ }
    return found;
  }

  function fingerprint(file) {
    if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) {
      return Promise.resolve(null); // no hashing here: no resuming across reloads rather than a name kept
    }
    var text = [file.name, file.size, file.lastModified, endpoint].join('\u0000');
    return window.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) {
        return ('0' + b.toString(16)).slice(-2);
      }).join('');
    });
  }

  function choose(files) {
    chosen = Array.prototype.slice.call(files);
    say(chosen.length + ' ' + words.msgFilesChosen);
  }

  function say(text) {
    status.textContent = text;
  }

  picker.addEventListener('change', function () {
    choose(picker.files);
  });
  dropzone.addEventListener('dragover', function (event) {
    event.preventDefault();
    dropzone.classList.add('dragging');
  });
  dropzone.addEventListener('dragleave', function () {
    dropzone.classList.remove('dragging');
  });
  dropzone.addEventListener('drop', function (event) {
    event.preventDefault();
    dropzone.classList.remove('dragging');
    if (event.dataTransfer && event.dataTransfer.files) {
      choose(event.dataTransfer.files);
    }
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var declared = form.querySelector('input[name="personal-data"]:checked');
    if (!declared) {
      say(words.msgChoosePersonal);
      document.getElementById('personal-yes').focus();
      return;
    }
    if (chosen.length === 0) {
      say(words.msgChooseFiles);
      picker.focus();
      return;
    }
    var files = chosen;
    chosen = [];
    picker.value = '';
    var queue = Promise.resolve();
    files.forEach(function (file) {
      var row = addRow(file);
      queue = queue.then(function () {
        return upload(file, declared.value, row);
      });
    });
  });

  function addRow(file) {
    var item = document.createElement('li');
    var name = document.createElement('span');
    name.className = 'upload-name';
    name.textContent = file.name;
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', words.msgProgress + ': ' + file.name);
    var state = document.createElement('span');
    state.className = 'upload-state';
    state.setAttribute('aria-live', 'polite');
    var rate = document.createElement('span');
    rate.className = 'meta upload-rate';
    var toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.textContent = words.msgPause;
    toggle.disabled = true;
    item.appendChild(name);
    item.appendChild(bar);
    item.appendChild(state);
    item.appendChild(rate);
    item.appendChild(toggle);
    list.appendChild(item);
    return { item: item, bar: bar, state: state, rate: rate, toggle: toggle };
  }

  function upload(file, personalData, row) {
    return new Promise(function (settled) {
      var started = Date.now();
      var startedAt = 0;
      var running = true;
      var lastAnnounced = -1;
      var task = new window.tus.Upload(file, {
        endpoint: endpoint,
        retryDelays: [0, 1000, 3000, 5000, 10000],
        metadata: { filename: file.name, filetype: file.type || 'application/octet-stream', 'personal-data': personalData },
        urlStorage: storage,
        fingerprint: fingerprint,
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress: function (sent, total) {
          var percent = total ? Math.floor(sent * 100 / total) : 100;
          row.bar.value = percent;
          var seconds = (Date.now() - started) / 1000;
          var speed = seconds > 0 ? (sent - startedAt) / seconds : 0;
          var left = speed > 0 ? Math.round((total - sent) / speed) : null;
          row.rate.textContent = size(speed) + '/s' + (left === null ? '' : ' · ' + duration(left) + ' ' + words.msgLeft);
          // the live region speaks every tenth percent, not every progress event
          if (Math.floor(percent / 10) !== lastAnnounced) {
            lastAnnounced = Math.floor(percent / 10);
            row.state.textContent = words.msgUploading + ' ' + percent + ' %';
          }
        },
        onSuccess: function () {
          row.bar.value = 100;
          row.state.textContent = words.msgDone;
          row.rate.textContent = '';
          row.toggle.remove();
          settled();
        },
        onError: function (error) {
          var response = error && error.originalResponse;
          var code = response ? response.getStatus() : 0;
          running = false;
          if (code >= 400 && code < 500) {
            row.state.textContent = words.msgRefused;
            row.toggle.remove();
          } else {
            row.state.textContent = words.msgFailed;
            row.toggle.textContent = words.msgResume;
          }
          settled();
        }
      });
      row.toggle.disabled = false;
      row.toggle.addEventListener('click', function () {
        if (running) {
          task.abort();
          running = false;
          row.toggle.textContent = words.msgResume;
          row.state.textContent = words.msgPaused;
        } else {
          running = true;
          started = Date.now();
          startedAt = Math.round(row.bar.value * file.size / 100);
          row.toggle.textContent = words.msgPause;
          task.start();
        }
      });
      task.findPreviousUploads().then(function (previous) {
        if (previous.length > 0) {
          task.resumeFromPreviousUpload(previous[0]);
        }
        task.start();
      });
    });
  }

  function size(bytes) {
    var units = ['B', 'kB', 'MB', 'GB'];
    var unit = 0;
    while (bytes >= 1000 && unit < units.length - 1) {
      bytes /= 1000;
      unit++;
    }
    return (unit === 0 ? Math.round(bytes) : bytes.toFixed(1)) + ' ' + units[unit];
  }

  function duration(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return (m > 0 ? m + ' min ' : '') + s + ' s';
  }
}());
