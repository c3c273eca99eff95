/**
 * The page's only script and stylesheet, served from /assets/ (the Content-Security-Policy allows no
 * inline script or style). The script follows the review's live states (server-sent events, falling back
 * to polling), updates each step box's class, words and verdict, and opens a step's details on click. It never
 * builds markup from step data: details come from the server already escaped.
 */
import { GRAPH_CSS } from './svg';

export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var graph = document.getElementById('graph');
  var details = document.getElementById('details');
  var stateBadge = document.getElementById('review-state');
  var progress = document.getElementById('review-progress');
  var live = { updates: 0, lastUpdateAt: 0, state: stateBadge ? stateBadge.getAttribute('data-state') : null };
  window.reviewPageLive = live;
  if (!graph) return;
  var reviewPath = graph.getAttribute('data-review-path');
  var boxes = {};
  var nodes = graph.querySelectorAll('g.step');
  for (var i = 0; i < nodes.length; i++) boxes[nodes[i].getAttribute('data-step')] = nodes[i];
  var selected = null;
  var selectedState = null;

  function setText(box, selector, text) {
    var el = box.querySelector(selector);
    if (el && el.textContent !== text) el.textContent = text;
  }

  function apply(update) {
    live.updates++;
    live.lastUpdateAt = Date.now();
    live.state = update.state;
    if (stateBadge) {
      stateBadge.textContent = update.label;
      stateBadge.className = 'badge rs-' + update.state;
      stateBadge.setAttribute('data-state', update.state);
    }
    if (progress) progress.textContent = update.progress.done + '/' + update.progress.total + ' steps (' + update.progress.percent + '%)';
    for (var i = 0; i < update.steps.length; i++) {
      var step = update.steps[i];
      var box = boxes[step.id];
      if (!box) continue;
      var gate = box.classList.contains('gate');
      var verdictClass = step.verdict && step.verdict !== 'neutral' ? ' v-' + step.verdict : '';
      var cls = 'step st-' + step.state + verdictClass + (gate ? ' gate' : '') + (box === selected ? ' selected' : '');
      if (box.getAttribute('class') !== cls) box.setAttribute('class', cls);
      box.setAttribute('data-state', step.state);
      if (step.verdict) box.setAttribute('data-verdict', step.verdict); else box.removeAttribute('data-verdict');
      setText(box, '.state', step.label);
      setText(box, '.verdict', step.verdictLabel || '');
      setText(box, '.detail', step.detail);
      setText(box, 'title', step.description);
      box.setAttribute('aria-label', step.description);
      if (box === selected && selectedState !== step.state) open(box);
    }
    document.dispatchEvent(new CustomEvent('review-update', { detail: update }));
  }

  function open(box) {
    if (!details) return;
    if (selected && selected !== box) selected.classList.remove('selected');
    selected = box;
    selectedState = box.getAttribute('data-state');
    box.classList.add('selected');
    var url = reviewPath + '/steps/' + encodeURIComponent(box.getAttribute('data-step'));
    fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.text(); }).then(function (fragment) {
      // The fragment is rendered and escaped by the server (step data never becomes markup here).
      details.innerHTML = fragment;
      details.setAttribute('data-step', box.getAttribute('data-step'));
    });
  }

  graph.addEventListener('click', function (e) {
    var box = e.target.closest ? e.target.closest('g.step') : null;
    if (box) open(box);
  });
  graph.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    var box = e.target.closest ? e.target.closest('g.step') : null;
    if (box) { e.preventDefault(); open(box); }
  });

  function poll() {
    fetch(reviewPath + '/status.json', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(apply)
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }

  if (window.EventSource) {
    var source = new EventSource(reviewPath + '/events');
    var failures = 0;
    source.addEventListener('status', function (e) { failures = 0; apply(JSON.parse(e.data)); });
    source.addEventListener('gone', function () { source.close(); });
    source.onerror = function () {
      failures++;
      if (failures > 3) { source.close(); poll(); }
    };
  } else {
    poll();
  }
})();
`;

export const PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; background: #fff; }
header.top { display: flex; justify-content: space-between; align-items: center; padding: 8px 20px; background: #1d2330; color: #fff; }
header.top a { color: #fff; text-decoration: none; font-weight: 600; }
header.top .session form { display: inline; }
main { padding: 16px 20px; }
h1 { font-size: 20px; margin: 4px 0 8px; }
h2 { font-size: 16px; margin: 20px 0 8px; }
table.list { border-collapse: collapse; width: 100%; }
table.list th, table.list td { text-align: left; padding: 4px 10px 4px 0; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
form.filters { display: flex; gap: 10px; flex-wrap: wrap; align-items: end; margin-bottom: 12px; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: #4a5263; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; border: 1px solid #8a94a6; background: #f4f5f7; font-weight: 600; }
.rs-running, .rs-pending { background: #dbe6ff; border-color: #2f5bd3; }
.rs-awaiting_approval, .rs-paused { background: #fff6c2; border-color: #b58900; }
.rs-completed { background: #dcf5e3; border-color: #1e8e3e; }
.rs-failed, .rs-rejected { background: #fde2e1; border-color: #c5221f; }
.rs-cancelled { background: #eeeeee; border-color: #5f6368; }
.vd-passed { background: #dcf5e3; border-color: #1e8e3e; color: #137333; }
.vd-found_problems { background: #fde2e1; border-color: #c5221f; color: #a50e0e; }
.meta { color: #4a5263; margin: 0 0 8px; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 380px; gap: 16px; align-items: start; }
.graph { overflow: auto; max-height: 78vh; border: 1px solid #e3e6eb; border-radius: 6px; background: #fbfbfc; }
aside.details { border: 1px solid #e3e6eb; border-radius: 6px; padding: 10px 12px; max-height: 78vh; overflow: auto; }
aside.details pre { white-space: pre-wrap; word-break: break-word; background: #f4f5f7; padding: 8px; font-size: 12px; }
aside.details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
aside.details dt { color: #4a5263; }
aside.details dd { margin: 0; }
.report { border-top: 1px solid #e3e6eb; margin-top: 8px; }
.actions form { display: inline-block; margin: 0 6px 6px 0; }
.notice { padding: 8px 12px; border-radius: 6px; margin: 8px 0; background: #e8eefc; border: 1px solid #5b7bd5; }
.refusal { padding: 8px 12px; border-radius: 6px; margin: 8px 0; background: #fde2e1; border: 1px solid #c5221f; }
.decide textarea { width: 100%; max-width: 640px; min-height: 70px; display: block; margin: 4px 0 8px; }
button { font: inherit; padding: 4px 14px; border-radius: 4px; border: 1px solid #8a94a6; background: #fff; cursor: pointer; }
button.approve { background: #1e8e3e; color: #fff; border-color: #1e8e3e; }
button.reject { background: #c5221f; color: #fff; border-color: #c5221f; }
@media (max-width: 1000px) { .layout { grid-template-columns: 1fr; } }
${GRAPH_CSS}
`;
