// The participant's page (docs/collect-api.md): PIN, role, one question per screen,
// review, send, thanks. Everything the participant enters is kept in localStorage under
// the link's token, so a reload loses nothing; a failed send is retried with the same
// submission id. No remote content: the content security policy allows this script,
// the inline style and requests to this server only.
'use strict';
(function () {
  var TOKEN = location.pathname.split('/')[2] || '';
  var BASE = '/c/' + TOKEN;
  var KEY = 'cxm-collect:' + TOKEN;
  // Automatic retries of a failed send, in milliseconds; then the participant's
  // "Try again".
  var RETRY_DELAYS = [3000, 6000, 12000];
  var REQUEST_TIMEOUT = 20000;
  var MAX_TEXT = 200;

  var app = document.getElementById('app');
  var roundTitle = document.getElementById('round');

  // ----- state, kept in localStorage -----

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      try {
        return window.crypto.randomUUID();
      } catch (e) {
        // not a secure context: below
      }
    }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(b, function (x) {
        return (x + 0x100).toString(16).slice(1);
      })
      .join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function fresh(pin) {
    return { id: newId(), pin: pin || '', role: '', department: '', name: '', answers: {}, screen: 'about', index: 0, notice: '' };
  }

  var memory = null; // when localStorage cannot be used (private browsing, full)
  function load() {
    var saved = memory;
    try {
      var text = window.localStorage.getItem(KEY);
      if (text) saved = JSON.parse(text);
    } catch (e) {
      // keep what is in memory
    }
    if (!saved || typeof saved !== 'object' || typeof saved.id !== 'string' || !saved.answers || typeof saved.answers !== 'object') return null;
    var s = fresh(typeof saved.pin === 'string' ? saved.pin : '');
    s.id = saved.id;
    ['role', 'department', 'name', 'notice'].forEach(function (k) {
      if (typeof saved[k] === 'string') s[k] = saved[k];
    });
    Object.keys(saved.answers).forEach(function (q) {
      if (typeof saved.answers[q] === 'string') s.answers[q] = saved.answers[q];
    });
    if (['about', 'question', 'review', 'thanks'].indexOf(saved.screen) >= 0) s.screen = saved.screen;
    if (typeof saved.index === 'number' && saved.index >= 0) s.index = Math.floor(saved.index);
    return s;
  }

  function save() {
    memory = state;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (e) {
      // kept in memory for this visit
    }
  }

  var state = load() || fresh('');
  var form = null; // GET /form, once the PIN is right

  // ----- talking to the facilitator's laptop -----

  // Resolves to { status, body, retryAfter }; rejects when the laptop cannot be reached.
  function request(method, path, headers, body) {
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = controller
      ? setTimeout(function () {
          controller.abort();
        }, REQUEST_TIMEOUT)
      : null;
    var init = { method: method, headers: headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
    if (controller) init.signal = controller.signal;
    if (body !== undefined) init.body = JSON.stringify(body);
    return fetch(BASE + path, init)
      .then(function (response) {
        return response.text().then(function (text) {
          var value = null;
          try {
            value = JSON.parse(text);
          } catch (e) {
            value = null;
          }
          return { status: response.status, body: value, retryAfter: response.headers.get('Retry-After') };
        });
      })
      .finally(function () {
        if (timer) clearTimeout(timer);
      });
  }

  function message(reply, otherwise) {
    return (reply && reply.body && typeof reply.body.message === 'string' && reply.body.message) || otherwise;
  }

  function lockedOut(reply) {
    var seconds = parseInt(reply.retryAfter || '300', 10);
    var minutes = Math.max(1, Math.ceil(seconds / 60));
    return 'Too many wrong PINs from this phone. Wait ' + minutes + (minutes === 1 ? ' minute' : ' minutes') + ', then try again.';
  }

  var UNREACHABLE = "Could not reach the facilitator's laptop. Check that this phone is on the workshop Wi-Fi, then try again.";
  var GONE = 'This link no longer works: the facilitator may have started collecting again. Ask for the new link.';

  // ----- building the page -----

  function h(tag, props) {
    var el = document.createElement(tag);
    var p = props || {};
    Object.keys(p).forEach(function (k) {
      var v = p[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') el.textContent = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    });
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(el, c); });
    else el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  var firstScreen = true;
  function show(name, nodes) {
    while (app.firstChild) app.removeChild(app.firstChild);
    append(app, nodes);
    app.setAttribute('data-screen', name);
    document.title = (form ? form.round_title + ' · ' : '') + 'CX Maturity questionnaire';
    if (!firstScreen) {
      window.scrollTo(0, 0);
      var heading = app.querySelector('h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    }
    firstScreen = false;
  }

  function asked(role) {
    if (!form) return [];
    return form.questions.filter(function (q) {
      return q.ask === 'all' || (Array.isArray(q.ask) && q.ask.indexOf(role) >= 0);
    });
  }

  function group(id) {
    return form.role_groups.filter(function (g) {
      return g.id === id;
    })[0];
  }

  function blockName(id) {
    var b = form.blocks.filter(function (x) {
      return x.id === id;
    })[0];
    return b ? b.name : '';
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  // An option: a real radio button, drawn as a big button (page.css).
  function option(name, value, title, text, checked, onchange) {
    return h(
      'label',
      { class: 'option' },
      h('input', { type: 'radio', name: name, value: value, checked: checked, onchange: onchange }),
      h('span', { class: 'box' }, h('span', { class: 'title', text: title }), text ? h('span', { class: 'text', text: text }) : null)
    );
  }

  function render() {
    if (!form) return pinScreen('');
    if (!state.role && state.screen !== 'thanks') state.screen = 'about';
    if (state.screen === 'question') return questionScreen();
    if (state.screen === 'review') return reviewScreen();
    if (state.screen === 'thanks') return thanksScreen();
    return aboutScreen('');
  }

  function go(screen, index) {
    state.screen = screen;
    if (typeof index === 'number') state.index = index;
    save();
    render();
  }

  // ----- 1. the PIN -----

  function pinScreen(problem) {
    var input = h('input', {
      id: 'pin',
      name: 'pin',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      maxlength: '6',
      pattern: '[0-9]*',
      spellcheck: 'false',
      'aria-describedby': 'pin-hint' + (problem ? ' pin-error' : ''),
      'aria-invalid': problem ? 'true' : null,
    });
    input.value = state.pin;
    var error = h('p', { id: 'pin-error', class: 'error', role: 'alert', 'data-testid': 'pin-error' }, problem);
    if (!problem) error.hidden = true;
    var button = h('button', { type: 'submit', class: 'primary wide' }, 'Continue');
    function fail(text) {
      error.textContent = text;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'pin-hint pin-error');
      button.disabled = false;
      button.textContent = 'Continue';
      input.focus();
    }
    var formEl = h(
      'form',
      {
        class: 'stack',
        novalidate: true,
        onsubmit: function (event) {
          event.preventDefault();
          var pin = input.value.replace(/\s/g, '');
          if (!/^[0-9]{6}$/.test(pin)) return fail('The PIN has 6 digits. Type the digits the facilitator shows.');
          error.hidden = true;
          button.disabled = true;
          button.textContent = 'Checking…';
          openForm(pin, fail);
        },
      },
      h('label', { for: 'pin', class: 'label' }, 'PIN'),
      h('p', { id: 'pin-hint', class: 'hint' }, 'The 6-digit number the facilitator shows.'),
      input,
      error,
      button
    );
    roundTitle.hidden = true;
    show('pin', [
      h('h1', {}, 'Enter the PIN'),
      h('p', { class: 'lead' }, 'Welcome. This questionnaire asks how your organisation works for its customers. Answer from your own experience: there are no right or wrong answers.'),
      formEl,
    ]);
  }

  // Fetches the form with `pin`; on success shows where the participant was.
  function openForm(pin, fail) {
    request('GET', '/form', { 'X-CXM-PIN': pin }).then(
      function (reply) {
        if (reply.status === 200 && reply.body && Array.isArray(reply.body.questions)) {
          form = reply.body;
          state.pin = pin;
          save();
          roundTitle.textContent = form.round_title;
          roundTitle.hidden = false;
          render();
        } else if (reply.status === 403) {
          state.pin = '';
          save();
          fail('That PIN is not right. Check the PIN the facilitator shows and try again.');
        } else if (reply.status === 429) {
          fail(lockedOut(reply));
        } else if (reply.status === 404) {
          fail(GONE);
        } else {
          fail(message(reply, 'Something went wrong on the facilitator\u2019s laptop. Try again in a moment.'));
        }
      },
      function () {
        fail(UNREACHABLE);
      }
    );
  }

  // ----- 2. about you -----

  function aboutScreen(problem) {
    var chosen = state.role;
    var notice = h('p', { class: 'info', role: 'status', 'data-testid': 'role-notice' });
    notice.hidden = true;
    var error = h('p', { class: 'error', role: 'alert', id: 'role-error' }, problem);
    if (!problem) error.hidden = true;

    function dropped(role) {
      var keep = {};
      asked(role).forEach(function (q) {
        keep[q.id] = true;
      });
      return Object.keys(state.answers).filter(function (id) {
        return !keep[id];
      });
    }

    function update() {
      var lost = chosen && chosen !== state.role ? dropped(chosen).length : 0;
      notice.hidden = lost === 0;
      notice.textContent = lost
        ? 'The ' + group(chosen).name + ' role is not asked ' + plural(lost, 'question', 'questions') + ' you have answered. If you continue, ' + (lost === 1 ? 'that answer is' : 'those answers are') + ' removed.'
        : '';
    }

    var roles = h(
      'fieldset',
      { class: 'stack', 'aria-describedby': problem ? 'role-error' : null },
      h('legend', { class: 'label' }, 'Your role'),
      h(
        'div',
        { class: 'options' },
        form.role_groups.map(function (g) {
          return option('role', g.id, g.name, g.description, g.id === state.role, function () {
            chosen = g.id;
            error.hidden = true;
            update();
          });
        })
      ),
      notice,
      error
    );

    function text(id, label, hint, value, key) {
      var input = h('input', { id: id, type: 'text', maxlength: String(MAX_TEXT), autocomplete: 'off', 'aria-describedby': id + '-hint' });
      input.value = value;
      input.addEventListener('input', function () {
        state[key] = input.value;
        save();
      });
      return h(
        'div',
        { class: 'stack tight' },
        h('label', { for: id, class: 'label' }, label, h('span', { class: 'optional' }, ' (optional)')),
        h('p', { id: id + '-hint', class: 'hint' }, hint),
        input
      );
    }

    var started = Object.keys(state.answers).length > 0;
    var formEl = h(
      'form',
      {
        class: 'stack',
        novalidate: true,
        onsubmit: function (event) {
          event.preventDefault();
          if (!chosen) {
            error.textContent = 'Choose your role to continue.';
            error.hidden = false;
            var first = roles.querySelector('input');
            if (first) first.focus();
            return;
          }
          if (chosen !== state.role) {
            var lost = dropped(chosen);
            lost.forEach(function (id) {
              delete state.answers[id];
            });
            state.notice = lost.length ? 'Your role is now ' + group(chosen).name + ': ' + plural(lost.length, 'answer', 'answers') + ' to questions that role is not asked ' + (lost.length === 1 ? 'was' : 'were') + ' removed.' : '';
            state.role = chosen;
            state.index = 0;
          }
          go('question');
        },
      },
      roles,
      text('department', 'Department', 'For example: Claims, or Contact centre.', state.department, 'department'),
      text('name', 'Name or code', 'Leave it empty to answer anonymously.', state.name, 'name'),
      h('button', { type: 'submit', class: 'primary wide' }, started ? 'Back to the questions' : 'Start the questions')
    );
    show('about', [
      h('h1', {}, 'About you'),
      h('p', { class: 'lead' }, 'Choose the role that fits you best: it decides which questions you are asked.'),
      formEl,
    ]);
  }

  // ----- 3. one question per screen -----

  function questionScreen() {
    var list = asked(state.role);
    if (!list.length) return go('about');
    var i = Math.min(Math.max(state.index, 0), list.length - 1);
    state.index = i;
    var q = list[i];
    var scale = form.scale;
    var current = state.answers[q.id];
    function choose(value) {
      return function () {
        state.answers[q.id] = value;
        save();
      };
    }
    var options = [];
    for (var v = scale.min; v <= scale.max; v++) {
      options.push(option('answer', String(v), v + ' \u00b7 ' + scale.labels[v], (scale.definitions || [])[v] || '', current === String(v), choose(String(v))));
    }
    var others = [
      option('answer', 'dk', scale.dont_know, '', current === 'dk', choose('dk')),
      option('answer', 'na', scale.not_applicable, '', current === 'na', choose('na')),
    ];
    var bar = h('span', {});
    bar.style.width = Math.round(((i + 1) / list.length) * 100) + '%'; // CSSOM, allowed by the policy
    var notice = null;
    if (state.notice) {
      notice = h('p', { class: 'info', role: 'status' }, state.notice);
      state.notice = '';
      save();
    }
    var last = i === list.length - 1;
    var help = [];
    if (q.help) help.push(h('p', {}, q.help));
    if (scale.dont_know_rule) help.push(h('p', {}, h('strong', {}, scale.dont_know + ': '), scale.dont_know_rule));
    if (scale.not_applicable_rule) help.push(h('p', {}, h('strong', {}, scale.not_applicable + ': '), scale.not_applicable_rule));
    show('question', [
      notice,
      h(
        'div',
        { class: 'meta' },
        h('span', { class: 'block', text: blockName(q.block) }),
        h('span', { 'data-testid': 'question-count' }, 'Question ' + (i + 1) + ' of ' + list.length)
      ),
      h(
        'div',
        { class: 'progress', role: 'progressbar', 'aria-label': 'Progress', 'aria-valuemin': '0', 'aria-valuemax': String(list.length), 'aria-valuenow': String(i + 1), 'aria-valuetext': 'Question ' + (i + 1) + ' of ' + list.length },
        bar
      ),
      h(
        'fieldset',
        { class: 'question', 'data-question': q.id },
        h('legend', {}, h('h1', { class: 'statement' }, q.text)),
        help.length ? h('details', { class: 'help' }, h('summary', {}, 'Help with this question'), help) : null,
        h('div', { class: 'options' }, options),
        h('p', { class: 'caption' }, 'Or, if you cannot answer:'),
        h('div', { class: 'options two' }, others)
      ),
      h(
        'nav',
        { class: 'steps', 'aria-label': 'Questions' },
        h('button', { type: 'button', onclick: function () { if (i === 0) go('about'); else go('question', i - 1); } }, 'Back'),
        h('button', { type: 'button', class: 'primary', onclick: function () { if (last) go('review'); else go('question', i + 1); } }, last ? 'Review' : 'Next')
      ),
    ]);
  }

  // ----- 4. review and send -----

  var sending = false;
  var retryTimer = null;
  var retries = 0;
  var sendArea = null; // the review screen's status area, while it is shown
  var sendButton = null;

  function reviewScreen() {
    var list = asked(state.role);
    var missing = [];
    list.forEach(function (q, i) {
      if (!state.answers[q.id]) missing.push({ q: q, i: i });
    });
    var answered = list.length - missing.length;
    var g = group(state.role);
    sendArea = h('div', { class: 'send', 'data-testid': 'send-status' });
    sendButton = h('button', { type: 'button', class: 'primary wide', onclick: function () { send(); } }, 'Send my answers');
    var missingList = null;
    if (missing.length) {
      missingList = h(
        'details',
        { class: 'help' },
        h('summary', {}, 'Show unanswered questions'),
        h(
          'ul',
          { class: 'missing' },
          missing.map(function (m) {
            return h('li', {}, h('button', { type: 'button', class: 'link', onclick: function () { go('question', m.i); } }, 'Question ' + (m.i + 1) + ': ' + m.q.text));
          })
        )
      );
    }
    show('review', [
      h('h1', {}, 'Check and send'),
      h('p', { class: 'lead', 'data-testid': 'answered-count' }, 'You answered ' + answered + ' of ' + list.length + ' questions.'),
      missing.length ? h('p', {}, plural(missing.length, 'question has', 'questions have') + ' no answer. You can still send: questions without an answer are left out.') : null,
      missingList,
      h(
        'dl',
        { class: 'summary' },
        h('div', {}, h('dt', {}, 'Role'), h('dd', {}, g ? g.name : state.role)),
        h('div', {}, h('dt', {}, 'Department'), h('dd', {}, state.department.trim() || 'Not given')),
        h('div', {}, h('dt', {}, 'Name or code'), h('dd', {}, state.name.trim() || 'Not given (anonymous)'))
      ),
      h('button', { type: 'button', class: 'link', onclick: function () { go('about'); } }, 'Change role, department or name'),
      sendArea,
      sendButton,
      h('button', { type: 'button', class: 'wide', onclick: function () { go('question', list.length - 1); } }, 'Back to the questions'),
    ]);
  }

  // Shows the sending state, or a failure (`extra`: a list of problems, or the Try again
  // button, which then stands in for the Send button).
  function status(kind, text, extra) {
    if (!sendArea) return;
    while (sendArea.firstChild) sendArea.removeChild(sendArea.firstChild);
    if (sendButton) sendButton.hidden = kind === 'alert' && !!extra && extra.getAttribute('data-testid') === 'try-again';
    if (!kind) return;
    var box = h('div', { class: kind === 'sending' ? 'info' : 'alert', role: kind === 'sending' ? 'status' : 'alert' }, h('p', {}, text), extra);
    sendArea.appendChild(box);
  }

  function tryAgainButton() {
    return h('button', { type: 'button', class: 'primary', 'data-testid': 'try-again', onclick: function () { retries = 0; send(); } }, 'Try again');
  }

  function problemsList(reply) {
    var problems = (reply.body && Array.isArray(reply.body.problems) && reply.body.problems) || [];
    var list = asked(state.role);
    return h(
      'ul',
      {},
      problems.map(function (p) {
        var field = String(p.field || '');
        var where = field;
        if (field.indexOf('answers.') === 0) {
          var id = field.slice(8);
          var i = list.map(function (q) { return q.id; }).indexOf(id);
          where = i >= 0 ? 'Question ' + (i + 1) : 'Question ' + id;
        } else if (field === 'role') where = 'Your role';
        else if (field === 'department') where = 'Department';
        else if (field === 'name') where = 'Name or code';
        return h('li', {}, where + ': ' + p.message);
      })
    );
  }

  function send() {
    if (sending) return;
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    sending = true;
    if (sendButton) {
      sendButton.disabled = true;
      sendButton.textContent = 'Sending…';
    }
    status('sending', 'Sending your answers…');
    var answers = {};
    asked(state.role).forEach(function (q) {
      if (state.answers[q.id]) answers[q.id] = state.answers[q.id];
    });
    var body = { submission_id: state.id, pin: state.pin, role: state.role, answers: answers };
    if (state.department.trim()) body.department = state.department.trim();
    if (state.name.trim()) body.name = state.name.trim();
    request('POST', '/responses', { 'Content-Type': 'application/json' }, body).then(finished, function () {
      finished(null);
    });
  }

  function finished(reply) {
    sending = false;
    var code = reply ? reply.status : 0;
    if (code === 201 || code === 200) {
      // Stored: nothing of these answers stays on the phone.
      retries = 0;
      sendArea = null;
      sendButton = null;
      state = fresh(state.pin);
      go('thanks');
      return;
    }
    if (sendButton) {
      sendButton.disabled = false;
      sendButton.textContent = 'Send my answers';
    }
    if (code === 403) {
      form = null;
      state.pin = '';
      save();
      sendArea = null;
      sendButton = null;
      pinScreen('The PIN was not accepted. Enter it again: your answers are kept.');
      return;
    }
    if (code === 410) {
      status('alert', 'Collecting has closed: the facilitator is no longer taking answers. Your answers were not sent.');
      if (sendButton) sendButton.hidden = true;
      return;
    }
    if (code === 422) return status('alert', 'Your answers could not be accepted:', problemsList(reply));
    if (code === 429) return status('alert', lockedOut(reply), tryAgainButton());
    if (code === 404) {
      status('alert', GONE);
      if (sendButton) sendButton.hidden = true;
      return;
    }
    if (code === 503) return status('alert', message(reply, 'The facilitator has stopped collecting answers.') + ' Your answers are kept on this phone.', tryAgainButton());
    if (code && code < 500 && code !== 408) return status('alert', 'Your answers could not be sent: ' + message(reply, 'the laptop refused them (' + code + ').'));
    // No connection, or a failure on the laptop: retry with the same submission id.
    var reason = code ? message(reply, 'Something went wrong on the facilitator\u2019s laptop.') : "Could not reach the facilitator's laptop.";
    if (retries < RETRY_DELAYS.length) {
      var delay = RETRY_DELAYS[retries];
      retries += 1;
      retryTimer = setTimeout(function () {
        retryTimer = null;
        send();
      }, delay);
      return status('alert', 'Not sent yet. ' + reason + ' Trying again in ' + Math.round(delay / 1000) + ' seconds. Your answers are kept on this phone.', tryAgainButton());
    }
    status('alert', 'Still not sent. ' + reason + ' Check that this phone is on the workshop Wi-Fi, then tap Try again. Your answers are kept on this phone.', tryAgainButton());
  }

  // ----- 5. thanks -----

  function thanksScreen() {
    show('thanks', [
      h('div', { class: 'done', 'aria-hidden': 'true' }, '\u2713'),
      h('h1', {}, 'Thank you'),
      h('p', { class: 'lead' }, 'Your answers are in. You can close this page.'),
      h(
        'button',
        {
          type: 'button',
          class: 'wide',
          onclick: function () {
            state = fresh(state.pin);
            save();
            if (form || !state.pin) render();
            else openForm(state.pin, pinScreen);
          },
        },
        'Answer again for someone else'
      ),
    ]);
  }

  // ----- start -----

  if (state.screen === 'thanks') thanksScreen();
  else if (state.pin) openForm(state.pin, pinScreen);
  else pinScreen('');
})();
