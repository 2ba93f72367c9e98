/* csplatform in-app widget: getting started, what's new and ideas, on the vendor's page.
 *
 * Plain script, no framework, and no request to anyone but the installation that
 * served it. Everything it draws lives in a closed shadow root, so the page's styles
 * cannot reach it and the page's scripts cannot read it; the session token lives in
 * this closure only (never in window, a cookie or storage). It has no words of its
 * own: they come translated with the config.
 *
 *   <script src="https://<host>/widget.js" data-token="<signed token>" async></script>
 *   window.csplatform('identify', token)   // single-page apps, after sign-in
 *
 * The settings page's preview hands a preview session (ours, read-only) instead:
 *   <script src="/widget.js" data-session="<preview session token>" async></script>
 */
(function () {
  "use strict";
  var me = document.currentScript ||
    document.querySelector('script[src*="widget"][data-token], script[src*="widget"][data-session]');
  if (!me || window.__csplatformWidget) return;
  window.__csplatformWidget = true;
  var base = new URL(me.src, location.href).origin + "/widget/api/";
  var session = null, config = null, T = {}, EV = {};
  var host, root, launcher, badge, panel, body, tabs = [], current = null, nudgeBox = null;

  function api(method, path, data, vendorToken) {
    var headers = { "Content-Type": "application/json" };
    if (vendorToken) headers["X-Widget-Token"] = vendorToken;
    else headers.Authorization = "Bearer " + session;
    return fetch(base + path, {
      method: method, headers: headers, credentials: "omit", mode: "cors",
      body: data === undefined ? undefined : JSON.stringify(data)
    }).then(function (r) {
      if (r.status === 204) return {};
      return r.json().then(function (j) { if (!r.ok) throw j; return j; });
    });
  }

  function uid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function track(name, extra) {
    var e = { id: uid(), name: name };
    for (var k in extra || {}) e[k] = extra[k];
    return api("POST", "events/", { events: [e] }).catch(function () {});
  }

  function el(tag, attrs, kids) {
    var n = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") n.textContent = v;
      else if (k.slice(0, 2) === "on") n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? "" : v);
    }
    (kids || []).forEach(function (c) { if (c) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }

  var CSS = ":host{all:initial}*{box-sizing:border-box;font:14px/1.4 system-ui,sans-serif;color:#111}" +
    ".launch{position:fixed;bottom:16px;z-index:2147483000;border:0;border-radius:24px;padding:10px 16px;color:#fff;cursor:pointer;background:var(--a)}" +
    ".launch *{color:#fff}.left{left:16px}.right{right:16px}" +
    ".badge{display:inline-block;min-width:20px;margin-left:6px;padding:0 6px;border-radius:10px;background:#fff;color:var(--a);font-weight:700}" +
    ".panel{position:fixed;bottom:72px;z-index:2147483000;width:min(380px,calc(100vw - 16px));max-height:min(600px,calc(100vh - 90px));display:flex;flex-direction:column;background:#fff;border:1px solid #ccc;border-radius:10px;box-shadow:0 8px 30px rgba(0,0,0,.25)}" +
    ".panel.left{left:8px}.panel.right{right:8px}.head{display:flex;justify-content:space-between;align-items:center;padding:8px 12px;border-bottom:1px solid #ddd}" +
    "h2{margin:0;font-size:16px;font-weight:600}h3{margin:0;font-size:14px;font-weight:600}" +
    "[role=tablist]{display:flex;border-bottom:1px solid #ddd}[role=tab]{flex:1;border:0;background:none;padding:8px;cursor:pointer;border-bottom:3px solid transparent}" +
    "[role=tab][aria-selected=true]{border-color:var(--a);font-weight:600}.body{overflow:auto;padding:12px}" +
    "ul{list-style:none;margin:0;padding:0}li{padding:8px 0;border-bottom:1px solid #eee}" +
    "button,input,textarea{border:1px solid #888;border-radius:6px;padding:6px 10px;background:#fff}" +
    ".btn{background:var(--a);color:#fff;border-color:var(--a);cursor:pointer}.btn *{color:#fff}a{color:var(--a)}" +
    "input,textarea{width:100%}label{display:block;margin:8px 0 2px;font-weight:600}" +
    ".done{color:#0a7a2f}.muted{color:#555;font-size:13px}.row{display:flex;gap:6px;align-items:center;flex-wrap:wrap}" +
    ".nudge{position:fixed;bottom:72px;z-index:2147482999;width:min(320px,calc(100vw - 16px));padding:12px;background:#fff;border:1px solid #ccc;border-left:4px solid var(--a);border-radius:8px}" +
    ":focus-visible{outline:3px solid var(--a);outline-offset:2px}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}" +
    "[hidden]{display:none!important}";

  function mount() {
    host = el("div", { "data-csplatform-widget": "" });
    document.body.appendChild(host);
    root = host.attachShadow({ mode: "closed" });
    try {
      var sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); root.adoptedStyleSheets = [sheet];
    } catch (e) { root.appendChild(el("style", { text: CSS })); }
  }

  function side() { return config.position === "bottom-left" ? "left" : "right"; }

  function setBadge(n) {
    config.unread = n;
    badge.textContent = n;
    badge.hidden = !n;
    launcher.setAttribute("aria-label", T.launcher + (n ? " (" + n + " " + T.unread + ")" : ""));
  }

  function render() {
    host.style.setProperty("--a", config.accent_colour);
    badge = el("span", { "class": "badge", "aria-hidden": "true" });
    launcher = el("button", {
      "class": "launch " + side(), type: "button", "aria-expanded": "false",
      "aria-controls": "csp-panel", onclick: function () { panel.hidden ? open() : close(); }
    }, [el("span", { text: T.launcher }), badge]);
    var title = el("h2", { id: "csp-title", text: T.panel });
    var list = el("div", { role: "tablist", "aria-label": T.panel });
    tabs = config.tabs.map(function (name, i) {
      var t = el("button", {
        role: "tab", type: "button", id: "csp-tab-" + name, "aria-controls": "csp-body",
        "aria-selected": "false", tabindex: "-1", text: T[name],
        onclick: function () { show(name); },
        onkeydown: function (e) {
          var d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
          if (!d) return;
          var next = tabs[(i + d + tabs.length) % tabs.length];
          next.focus(); show(next.dataset.name);
        }
      });
      t.dataset.name = name;
      list.appendChild(t);
      return t;
    });
    body = el("div", { "class": "body", id: "csp-body", role: "tabpanel", tabindex: "0" });
    panel = el("div", {
      id: "csp-panel", "class": "panel " + side(), role: "dialog", "aria-modal": "true",
      "aria-labelledby": "csp-title", hidden: true, onkeydown: trap
    }, [el("div", { "class": "head" }, [title, el("button", {
      type: "button", "aria-label": T.close, text: "\u00d7", onclick: close
    })]), list, body]);
    root.appendChild(launcher);
    root.appendChild(panel);
    setBadge(config.unread);
  }

  function focusables() {
    return Array.prototype.filter.call(
      panel.querySelectorAll("button,a[href],input,textarea,summary,[tabindex='0']"),
      function (n) { return !n.disabled && n.getClientRects().length; });
  }

  function trap(e) {
    if (e.key === "Escape") { e.preventDefault(); close(); return; }
    if (e.key !== "Tab") return;
    var f = focusables(), first = f[0], last = f[f.length - 1], active = root.activeElement;
    if (e.shiftKey && active === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && active === last) { e.preventDefault(); first.focus(); }
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (nudgeBox) nudgeBox.hidden = true;
    show(current || config.tabs[0]);
    var sel = tabs.filter(function (t) { return t.dataset.name === current; })[0];
    (sel || panel).focus();
    track(EV.opened);
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  function show(name) {
    current = name;
    tabs.forEach(function (t) {
      var on = t.dataset.name === name;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      if (on) body.setAttribute("aria-labelledby", t.id);
    });
    body.textContent = "";
    ({ checklist: checklist, whats_new: news, ideas: ideas })[name]();
  }

  function failed() { body.textContent = T.error; }

  function checklist() {
    api("GET", "checklist/").then(function (c) {
      body.appendChild(el("h3", { text: c.progress }));
      body.appendChild(el("ul", {}, c.steps.map(function (s) {
        return el("li", { "data-milestone": s.milestone, "data-done": s.done ? "true" : "false" }, [
          el("div", { "class": "row" }, [
            el("span", { "class": s.done ? "done" : "muted", "aria-hidden": "true", text: s.done ? "\u2713" : "\u25cb" }),
            el("strong", { text: s.title }),
            el("span", { "class": "sr", text: s.done ? T.done : T.not_done })
          ]),
          s.how_to ? el("p", { "class": "muted", text: s.how_to }) : null,
          s.url && !s.done ? el("a", {
            href: s.url, "class": "btn", text: T.open_step,
            onclick: function () { track(EV.milestone_clicked, { milestone: s.milestone }); }
          }) : null
        ]);
      })));
    }).catch(failed);
  }

  function news() {
    api("GET", "whats-new/").then(function (n) {
      if (!n.entries.length) { body.appendChild(el("p", { text: T.no_entries })); return; }
      body.appendChild(el("ul", {}, n.entries.map(function (e) {
        var text = el("div", {});
        text.innerHTML = e.description_html; // sanitised Markdown from the server
        var d = el("details", { ontoggle: function () {
          if (d.open) track(EV.entry_read, { entry: e.id });
        } }, [el("summary", {}, [e.title, e.unread ? el("span", { "class": "badge", text: T["new"] }) : null]),
          text, el("a", { href: e.url, target: "_blank", rel: "noopener", text: T.read_more })]);
        return el("li", { "data-entry": e.id }, [d, el("span", { "class": "muted", text: e.shipped_on })]);
      })));
      api("POST", "whats-new/read/").then(function (r) { setBadge(r.unread); });
    }).catch(failed);
  }

  function ideaRow(i) {
    var vote = el("button", { type: "button", "aria-pressed": i.voted ? "true" : "false", "class": i.voted ? "btn" : "",
      text: (i.voted ? T.voted : T.vote) + " \u00b7 " + i.votes, onclick: function () {
        api(i.voted ? "DELETE" : "POST", "ideas/" + i.id + "/vote/").then(function (n) {
          vote.replaceWith(ideaRow(n).querySelector("button"));
        }).catch(function (e) { vote.textContent = (e && e.detail) || T.error; });
      } });
    var following = false;
    var follow = el("button", { type: "button", "aria-pressed": "false", text: T.follow, onclick: function () {
      api(following ? "DELETE" : "POST", "ideas/" + i.id + "/follow/").then(function (r) {
        following = r.following; follow.setAttribute("aria-pressed", following ? "true" : "false");
        follow.textContent = following ? T.following : T.follow;
      }).catch(failed);
    } });
    return el("li", { "data-idea": i.id }, [
      el("a", { href: i.url, target: "_blank", rel: "noopener", text: i.title }),
      el("div", { "class": "row" }, [el("span", { "class": "muted", text: i.status }), vote, follow])
    ]);
  }

  function ideas() {
    var results = el("ul", { "aria-live": "polite" });
    var q = el("input", { id: "csp-q", type: "search" });
    function search(e) {
      if (e) e.preventDefault();
      api("GET", "ideas/?q=" + encodeURIComponent(q.value)).then(function (r) {
        results.textContent = "";
        if (!r.ideas.length) results.appendChild(el("li", { text: T.no_ideas }));
        r.ideas.forEach(function (i) { results.appendChild(ideaRow(i)); });
      }).catch(failed);
    }
    var title = el("input", { id: "csp-title-in", maxlength: "200", required: true });
    var desc = el("textarea", { id: "csp-desc", rows: "3" });
    var similar = el("ul", { "aria-live": "polite" }), timer;
    title.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        api("GET", "ideas/similar/?text=" + encodeURIComponent(title.value)).then(function (r) {
          similar.textContent = "";
          if (r.ideas.length) similar.appendChild(el("li", { "class": "muted", text: T.similar }));
          r.ideas.forEach(function (i) { similar.appendChild(ideaRow(i)); });
        });
      }, 400);
    });
    var status = el("p", { role: "status" });
    body.appendChild(el("form", { role: "search", onsubmit: search }, [
      el("label", { "for": "csp-q", text: T.search }),
      el("div", { "class": "row" }, [q, el("button", { type: "submit", "class": "btn", text: T.search_button })])
    ]));
    body.appendChild(results);
    body.appendChild(el("form", { onsubmit: function (e) {
      e.preventDefault();
      api("POST", "ideas/", { title: title.value, description: desc.value }).then(function () {
        title.value = desc.value = ""; similar.textContent = ""; status.textContent = T.posted; search();
      }).catch(function (err) {
        status.textContent = (err && (err.detail || (err.title || [])[0])) || T.error;
      });
    } }, [el("label", { "for": "csp-title-in", text: T.post_title }), title, similar,
      el("label", { "for": "csp-desc", text: T.post_description }), desc,
      el("p", {}, [el("button", { type: "submit", "class": "btn", text: T.post })]), status]));
    search();
  }

  function nudge() {
    api("GET", "nudge/").then(function (r) {
      var n = r.nudge;
      if (!n || !panel.hidden) return;
      track(EV.nudge_shown, { milestone: n.milestone });
      nudgeBox = el("div", { "class": "nudge " + side(), role: "status" }, [
        el("p", { text: n.text }),
        el("div", { "class": "row" }, [
          n.url ? el("a", { href: n.url, "class": "btn", text: T.open_step, onclick: function () {
            track(EV.nudge_clicked, { milestone: n.milestone });
          } }) : null,
          el("button", { type: "button", text: T.dismiss, onclick: function () {
            nudgeBox.remove(); nudgeBox = null; launcher.focus();
            track(EV.nudge_dismissed, { milestone: n.milestone });
            api("POST", "nudge/dismiss/", { milestone: n.milestone }).catch(function () {});
          } })
        ])
      ]);
      root.appendChild(nudgeBox);
    }).catch(function () {});
  }

  function identify(vendorToken) {
    if (!vendorToken) return;
    begin(api("POST", "session/", undefined, vendorToken).then(function (s) {
      session = s.token;
    }));
  }

  function begin(started) {
    started.then(function () {
      return api("GET", "config/");
    }).then(function (c) {
      config = c; T = c.texts; EV = c.events;
      if (!host) mount(); else root.textContent = "";
      if (!c.tabs.length) return;
      render();
      nudge();
    }).catch(function () { /* not allowed here, or a bad token: show nothing */ });
  }

  var queued = (window.csplatform && window.csplatform.q) || [];
  window.csplatform = function (command, arg) { if (command === "identify") identify(arg); };
  queued.forEach(function (args) { window.csplatform.apply(null, args); });
  if (me.dataset.session) { session = me.dataset.session; begin(Promise.resolve()); }
  else if (me.dataset.token) identify(me.dataset.token);
})();
