// Upload forms (form[data-upload]): refuse a file over the size limit before sending it, and show the
// upload's progress on a slow connection. Without this script the form posts as usual; the server checks
// the size again in any case. Messages come from the form's data attributes, in the page's language.
(function () {
  "use strict";

  function setUp(form) {
    var input = form.querySelector('input[type="file"]');
    var message = form.querySelector("[data-upload-message]");
    var progressBox = form.querySelector("[data-upload-progress]");
    var progress = progressBox && progressBox.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    var button = form.querySelector("button");
    var maxBytes = parseInt(form.dataset.maxBytes, 10);
    if (!input || !message || !maxBytes) {
      return;
    }

    function say(text) {
      message.textContent = text || "";
      message.hidden = !text;
      input.classList.toggle("is-invalid", Boolean(text));
    }

    function tooLarge() {
      var file = input.files && input.files[0];
      return Boolean(file) && file.size > maxBytes;
    }

    function busy(on) {
      if (button) {
        button.disabled = on;
      }
      if (progressBox) {
        progressBox.hidden = !on;
      }
    }

    function showProgress(loaded, total) {
      var percent = total ? Math.floor((loaded * 100) / total) : 0;
      if (progress) {
        progress.value = percent;
      }
      if (status) {
        status.textContent = form.dataset.sending + " " + percent + "%";
      }
    }

    function go(location) {
      // The answer names the page to show next; a link to the same page with a new #anchor would only scroll.
      var target = new URL(location, window.location.href);
      var here = window.location;
      if (target.pathname === here.pathname && target.search === here.search) {
        window.history.replaceState(null, "", target.href);
        window.location.reload();
      } else {
        window.location.assign(target.href);
      }
    }

    function answered(xhr) {
      var body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (error) {
        body = null;
      }
      if (body && body.location && xhr.status < 300) {
        go(body.location);
        return;
      }
      busy(false);
      if (body && body.error) {
        say(body.error);
      } else {
        say(xhr.status === 413 ? form.dataset.tooLarge : form.dataset.failed);
      }
    }

    input.addEventListener("change", function () {
      say(tooLarge() ? form.dataset.tooLarge : "");
    });

    form.addEventListener("submit", function (event) {
      if (tooLarge()) {
        event.preventDefault();
        say(form.dataset.tooLarge);
        input.focus();
        return;
      }
      if (!window.FormData || !window.XMLHttpRequest || !(input.files && input.files.length)) {
        return; // the ordinary post: the server says what is missing
      }
      event.preventDefault();
      say("");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (progressEvent) {
        if (progressEvent.lengthComputable) {
          showProgress(progressEvent.loaded, progressEvent.total);
        }
      });
      xhr.addEventListener("load", function () {
        answered(xhr);
      });
      xhr.addEventListener("error", function () {
        busy(false);
        say(form.dataset.failed);
      });
      showProgress(0, 0);
      busy(true);
      xhr.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-upload]").forEach(setUp);
})();
