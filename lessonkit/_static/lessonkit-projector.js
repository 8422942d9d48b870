// lessonkit: the projector view's keys and buttons. Without this script the view is a long page
// that reads top to bottom (the buttons stay hidden); with it, one screen at a time.
(function () {
  var main = document.querySelector(".lk-screens");
  if (!main) return;
  var screens = Array.prototype.slice.call(main.querySelectorAll(".lk-screen"));
  var status = document.querySelector(".lk-present-status");
  var back = document.querySelector("[data-lk-back]");
  var current = 0;
  document.documentElement.classList.add("lk-present-js");
  document.querySelectorAll(".lk-present-controls, .lk-present-keys").forEach(function (el) {
    el.hidden = false;
  });
  var bar = document.querySelector(".lk-present-bar");
  function measure() {
    document.documentElement.style.setProperty("--lk-bar-height", bar.offsetHeight + "px");
  }
  measure();
  window.addEventListener("resize", measure);

  function say(text) {
    if (status.textContent !== text) {
      status.textContent = text;
      measure();  // a longer line may wrap the bar
    }
  }

  // The window's height above the bar, and how far the current screen's words run below it or
  // above the top: a screen taller than the window is read a window at a time.
  function room() {
    return window.innerHeight - bar.offsetHeight;
  }
  function below() {
    var last = screens[current].lastElementChild;
    return last ? last.getBoundingClientRect().bottom - room() : 0;
  }
  function above() {
    return -screens[current].getBoundingClientRect().top;
  }
  // a window less a line or two, so the reader keeps their place
  function step() {
    return Math.max(room() - 80, room() * 0.6);
  }

  function where() {
    return "Screen " + (current + 1) + " of " + screens.length + (below() > 2 ? " (more below)" : "");
  }

  function go(index, focus) {
    current = Math.max(0, Math.min(screens.length - 1, index));
    var screen = screens[current];
    screen.scrollIntoView({block: "start"});
    if (focus) screen.focus({preventScroll: true});
    say(where());
  }

  // Next opens a scene's choices one at a time (a presenter's remote has no Tab key), once each is in
  // view; it shows the rest of a screen taller than the window; then it moves on.
  function next(focus) {
    var screen = screens[current];
    var closed = screen.querySelectorAll("details.lk-choice:not([open])");
    if (closed.length && closed[0].getBoundingClientRect().bottom <= room() + 2) {
      var all = screen.querySelectorAll("details.lk-choice");
      closed[0].open = true;
      closed[0].scrollIntoView({block: "nearest"});
      say(where().replace(" (more below)", "") + ": choice " + (all.length - closed.length + 1) + " of " +
          all.length + " opened");
      return;
    }
    var rest = below();
    if (rest > 2) {
      window.scrollBy(0, Math.min(rest, step()));
      say(where());
      return;
    }
    if (current < screens.length - 1) go(current + 1, focus);  // the last screen stays as it is
  }

  // Back shows the part of a tall screen above the window first, then the screen before.
  function prev(focus) {
    var rest = above();
    if (rest > 2) {
      window.scrollBy(0, -Math.min(rest, step()));
      say(where());
      return;
    }
    if (current > 0) go(current - 1, focus);
  }

  var actions = {
    first: function (focus) { go(0, focus); },
    prev: prev,
    next: next,
    last: function (focus) { go(screens.length - 1, focus); }
  };

  document.querySelectorAll("[data-lk-go]").forEach(function (button) {
    // the button keeps focus, so pressing it again goes on
    button.addEventListener("click", function () { actions[button.dataset.lkGo](false); });
  });

  var keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev", Home: "first", End: "last"};
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    var control = target.closest && target.closest("a, button, summary, input, select, textarea, [contenteditable]");
    var action = keys[event.key];
    if (event.key === " ") {
      if (control) return;  // Space presses a button and opens a choice, as everywhere
      action = event.shiftKey ? "prev" : "next";
    } else if (event.shiftKey) {
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      window.location.href = back.href;
      return;
    }
    if (!action) return;
    event.preventDefault();
    actions[action](!control || target.closest(".lk-screens"));
  });

  // The reader may scroll, swipe or follow a #screen-N link: the screen at the top is the current one.
  var pending = false;
  function sync() {
    pending = false;
    var line = window.innerHeight * 0.3;
    var found = 0;
    screens.forEach(function (screen, index) {
      if (screen.getBoundingClientRect().top <= line) found = index;
    });
    if (found !== current) {
      current = found;
      say(where());
    }
  }
  window.addEventListener("scroll", function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(sync);
    }
  }, {passive: true});
  sync();
})();
