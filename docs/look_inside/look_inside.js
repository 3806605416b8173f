// look_inside.js — the Look inside page's controls and drawings, around the translator
// compiled to WebAssembly (translator.js, built from docs/look_inside/look_inside.cpp by
// the `wasm` preset).
//
// The page asks the translator for one JSON answer per translation — the same JSON that
// `ch11_decoding inspect` prints natively (chapter 11, inspection.hpp) — and draws it:
// the translation with the next-token probabilities at every position, the attention
// maps of every layer and head, and the search step by step. Nothing is fetched: the
// translator, its WebAssembly and the model are inside translator.js, which a page opened
// from disk may load as a script.
(function () {
  'use strict';

  // Captions of the project's own, in the style of the training data.
  const EXAMPLES = [
    'Ein Mann fährt mit dem Fahrrad über eine Brücke.',
    'Zwei Kinder bauen eine Sandburg am Strand.',
    'Eine Frau mit einem roten Hut liest ein Buch im Park.',
    'Ein schwarzer Hund springt über einen Holzzaun.',
    'Drei Männer sitzen an einem Tisch und trinken Kaffee.',
    'Ein Mädchen in einem gelben Kleid tanzt auf der Straße.',
    'Ein Junge wirft einen Ball zu seinem Vater.',
    'Viele Menschen warten an einer Haltestelle auf den Bus.',
    'Ein alter Mann verkauft Obst auf einem Markt.',
    'Zwei braune Hunde rennen durch den tiefen Schnee.',
    'Eine Frau fotografiert den Sonnenuntergang am Meer.',
    'Ein Astronaut schwebt neben einer Raumstation.',
  ];

  // The three kinds of attention: which tokens label the rows and the columns.
  const KINDS = {
    encoder: { name: 'encoder self-attention', rows: 'source_tokens', cols: 'source_tokens' },
    decoder: { name: 'decoder self-attention', rows: 'target_tokens', cols: 'target_tokens' },
    cross: { name: 'cross-attention', rows: 'target_tokens', cols: 'source_tokens' },
  };

  const $ = (id) => document.getElementById(id);
  let engine = null;   // the WebAssembly module, once loaded
  let answer = null;   // the last translation's JSON
  const view = { kind: 'cross', layer: 0, head: 0 };
  let hover = null;    // [row, column] under the pointer in the large map

  function status(text, state) {
    const s = $('li-status');
    s.textContent = text;
    s.dataset.state = state;
  }

  function element(tag, attributes, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'style') e.style.cssText = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  }

  function call(name, types, args) {
    return JSON.parse(engine.ccall(name, 'string', types, args));
  }

  // ---- loading -------------------------------------------------------------------------

  function load() {
    const examples = $('li-examples');
    for (const sentence of EXAMPLES) {
      const b = element('button', { type: 'button', class: 'li-example' }, sentence);
      b.addEventListener('click', () => {
        $('li-sentence').value = sentence;
        translate();
      });
      examples.append(b);
    }
    $('li-translate').addEventListener('click', translate);
    $('li-sentence').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') translate();
    });
    $('li-beam').addEventListener('change', () => {
      $('li-alpha').disabled = $('li-beam').value === '1';
    });
    for (const id of ['li-kind', 'li-layer', 'li-head']) {
      $(id).addEventListener('change', () => {
        view.kind = $('li-kind').value;
        view.layer = Number($('li-layer').value);
        view.head = Number($('li-head').value);
        drawAttention();
      });
    }
    const map = $('li-map');
    map.addEventListener('mousemove', (e) => {
      const r = map.getBoundingClientRect();
      hover = map.lookInside ? map.lookInside.cellAt(e.clientX - r.left, e.clientY - r.top) : null;
      drawLargeMap();
    });
    map.addEventListener('mouseleave', () => {
      hover = null;
      drawLargeMap();
    });

    status('Loading the translator and the trained model…', 'loading');
    const script = element('script', { src: 'look_inside/translator.js' });
    script.onerror = () =>
      status('The translator was not built with this site: it needs emscripten ' +
             '(scripts/install-deps.sh --docs) and a model in data/pretrained/de-en; ' +
             'then build the docs again.', 'missing');
    script.onload = () => {
      createLookInside().then((module) => {
        engine = module;
        const model = call('look_inside_model', [], []);
        if (model.error) return status('The model did not load: ' + model.error, 'error');
        $('li-model').textContent =
          `N = ${model.N} layers, C = ${model.d_model}, F = ${model.d_ff}, h = ${model.h} ` +
          `heads; vocabularies of ${model.src_vocab} German and ${model.tgt_vocab} English ` +
          `words; ${(model.parameters / 1e6).toFixed(1)} million parameters. ` +
          `Products: ${model.products}.`;
        for (let l = 0; l < model.N; ++l) $('li-layer').append(element('option', { value: l }, `layer ${l + 1}`));
        for (let h = 0; h < model.h; ++h) $('li-head').append(element('option', { value: h }, `head ${h + 1}`));
        $('li-layer').value = String(view.layer);
        $('li-head').value = String(view.head);
        $('li-sentence').value = EXAMPLES[0];
        translate();
      }, (error) => status('The translator failed to start: ' + error, 'error'));
    };
    document.head.append(script);
  }

  // ---- translating ----------------------------------------------------------------------

  function translate() {
    if (!engine) return;
    const sentence = $('li-sentence').value.trim();
    const beam = Number($('li-beam').value);
    const alpha = Number($('li-alpha').value);
    if (!(alpha >= 0 && alpha <= 10)) return status('α must be between 0 and 10.', 'error');
    status('Translating…', 'busy');
    // Let the browser show the status before the (synchronous) translation runs.
    setTimeout(() => {
      const start = performance.now();
      const j = call('look_inside_translate', ['string', 'number', 'number'], [sentence, beam, alpha]);
      const ms = performance.now() - start;
      if (j.error) return status('Error: ' + j.error, 'error');
      answer = j;
      hover = null;
      const out = $('li-translation');
      out.textContent = j.translation;
      // What was translated, and how: the browser test waits for these.
      Object.assign(out.dataset, { sentence: j.sentence, beam: String(j.beam), alpha: String(j.alpha) });
      drawTokens();
      drawSteps();
      drawAttention();
      const search = beam === 1 ? 'greedy search' : `beam search, K = ${beam}, α = ${alpha}`;
      status(`Translated in ${ms.toFixed(0)} ms (${search}; log P = ${j.log_prob.toFixed(3)}` +
             (beam === 1 ? '' : `, score ${j.score.toFixed(3)}`) + ').', 'done');
    }, 20);
  }

  // ---- the translation, token by token -----------------------------------------------------

  function drawTokens() {
    const table = $('li-tokens');
    table.replaceChildren(element('tr', {}, element('th', {}, 'reads'), element('th', {}, 'writes'),
                                  element('th', {}, 'the five most probable next tokens')));
    answer.next_tokens.forEach((candidates, i) => {
      const written = answer.written[i];
      const bars = element('td', { class: 'li-bars' });
      for (const c of candidates) {
        const chosen = written && c.id === written.id;
        bars.append(element('span', { class: 'li-bar' + (chosen ? ' li-chosen' : '') },
          element('span', { class: 'li-fill', style: `width:${(100 * c.p).toFixed(1)}%` }),
          element('span', { class: 'li-label' }, `${c.token} ${c.p.toFixed(3)}`)));
      }
      const writes = written ? `${written.token} (${written.p.toFixed(3)})` : '— (length limit)';
      table.append(element('tr', {}, element('td', { class: 'li-token' }, answer.target_tokens[i]),
                           element('td', { class: 'li-token' }, writes), bars));
    });
  }

  // ---- the search, step by step -------------------------------------------------------------

  function drawSteps() {
    const table = $('li-steps');
    const best = answer.steps.flatMap((s) => s.finished).reduce(
      (a, h) => (a === null || h.score > a.score ? h : a), null);
    table.replaceChildren(element('tr', {}, element('th', {}, 'step'), element('th', {}, 'hypothesis'),
                                  element('th', {}, 'log P'), element('th', {}, 'score')));
    answer.steps.forEach((step, t) => {
      const rows = [...step.open.map((h) => [h, 'open']), ...step.finished.map((h) => [h, 'finished'])];
      if (rows.length === 0) rows.push([null, 'done']);
      rows.forEach(([h, state], k) => {
        const tr = element('tr', { class: 'li-' + state + (h === best ? ' li-best' : '') +
                                          (k === 0 ? ' li-step-start' : '') });
        tr.append(element('td', {}, k === 0 ? String(t + 1) : ''));
        if (h === null) {
          tr.append(element('td', { colspan: 3 }, 'no open hypothesis can beat the best finished one: done'));
        } else {
          const text = h.tokens.join(' ') + (state === 'finished' ? (h.end ? ' </s>' : ' (length limit)') : ' …');
          tr.append(element('td', {}, text), element('td', {}, h.log_prob.toFixed(3)),
                    element('td', {}, h.score.toFixed(3)));
        }
        table.append(tr);
      });
    });
  }

  // ---- attention maps ---------------------------------------------------------------------------

  // Blues, from white (weight 0) to dark blue (weight 1).
  const STOPS = [[247, 251, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]];
  function colour(w) {
    const x = Math.min(1, Math.max(0, w)) * (STOPS.length - 1);
    const i = Math.min(STOPS.length - 2, Math.floor(x)), f = x - i;
    const c = STOPS[i].map((v, k) => Math.round(v + f * (STOPS[i + 1][k] - v)));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  // Draws a [rows × columns] map on `canvas`, with `cell` pixels a cell and, if `labels`,
  // the row labels on the left and the column labels above. Returns the geometry.
  function drawMap(canvas, weights, rowLabels, colLabels, cell, labels, masked, highlight) {
    const ctx = canvas.getContext('2d');
    const font = '12px sans-serif';
    ctx.font = font;
    const width = (texts) => Math.max(0, ...texts.map((t) => ctx.measureText(t).width));
    const left = labels ? Math.ceil(width(rowLabels)) + 8 : 0;
    const top = labels ? Math.ceil(width(colLabels)) + 8 : 0;
    const rows = weights.length, cols = weights[0].length;
    const w = left + cols * cell + 1, h = top + rows * cell + 1;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    canvas.style.width = w + 'px';
    canvas.style.height = h + 'px';
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    for (let r = 0; r < rows; ++r) {
      for (let c = 0; c < cols; ++c) {
        // A position the causal mask hides is grey: it cannot be looked at, which is not
        // the same as weight 0 by choice.
        ctx.fillStyle = masked && c > r ? '#e4e4e4' : colour(weights[r][c]);
        ctx.fillRect(left + c * cell, top + r * cell, cell, cell);
      }
    }
    if (labels) {
      ctx.font = font;
      ctx.fillStyle = getComputedStyle(canvas).color || '#000';
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'right';
      rowLabels.forEach((t, r) => ctx.fillText(t, left - 4, top + (r + 0.5) * cell));
      ctx.save();
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'left';
      colLabels.forEach((t, c) => ctx.fillText(t, -top + 4, left + (c + 0.5) * cell));
      ctx.restore();
    }
    if (highlight) {
      ctx.strokeStyle = '#d62728';
      ctx.lineWidth = 2;
      ctx.strokeRect(left + highlight[1] * cell + 1, top + highlight[0] * cell + 1, cell - 2, cell - 2);
    }
    return { left, top, cell, rows, cols };
  }

  function currentMaps() {
    const kind = KINDS[view.kind];
    return {
      heads: answer.attention[view.kind][view.layer],
      rowLabels: answer[kind.rows],
      colLabels: answer[kind.cols],
      masked: view.kind === 'decoder',
    };
  }

  function drawAttention() {
    if (!answer) return;
    const { heads, rowLabels, colLabels, masked } = currentMaps();
    // All heads of the layer side by side, small; a click draws one large.
    const strip = $('li-heads');
    strip.replaceChildren();
    const size = Math.max(rowLabels.length, colLabels.length);
    const cell = Math.max(2, Math.min(10, Math.floor(150 / size)));
    heads.forEach((weights, h) => {
      const canvas = element('canvas', { class: 'li-thumb' + (h === view.head ? ' li-selected' : ''),
                                         title: `head ${h + 1}` });
      drawMap(canvas, weights, rowLabels, colLabels, cell, false, masked, null);
      canvas.lookInside = { kind: view.kind, layer: view.layer, head: h, weights };
      canvas.addEventListener('click', () => {
        view.head = h;
        $('li-head').value = String(h);
        drawAttention();
      });
      strip.append(element('figure', {}, canvas, element('figcaption', {}, `head ${h + 1}`)));
    });
    drawLargeMap();
  }

  function drawLargeMap() {
    if (!answer) return;
    const { heads, rowLabels, colLabels, masked } = currentMaps();
    const weights = heads[view.head];
    const map = $('li-map');
    const size = Math.max(rowLabels.length, colLabels.length);
    const cell = Math.max(12, Math.min(28, Math.floor(560 / size)));
    const g = drawMap(map, weights, rowLabels, colLabels, cell, true, masked, hover);
    // What the map shows, for the reader's pointer and for the browser test.
    map.lookInside = {
      kind: view.kind, layer: view.layer, head: view.head, rowLabels, colLabels, weights,
      cellAt(x, y) {
        const r = Math.floor((y - g.top) / g.cell), c = Math.floor((x - g.left) / g.cell);
        return r >= 0 && r < g.rows && c >= 0 && c < g.cols ? [r, c] : null;
      },
      cellCentre(r, c) {
        return [g.left + (c + 0.5) * g.cell, g.top + (r + 0.5) * g.cell];
      },
    };
    $('li-map-title').textContent =
      `${KINDS[view.kind].name}, layer ${view.layer + 1}, head ${view.head + 1}`;
    const readout = $('li-readout');
    if (hover) {
      const [r, c] = hover;
      readout.textContent = masked && c > r
        ? `row “${rowLabels[r]}”, column “${colLabels[c]}”: hidden by the causal mask (weight 0)`
        : `row “${rowLabels[r]}” → column “${colLabels[c]}”: weight ${weights[r][c].toFixed(7)}`;
    } else {
      readout.textContent = 'Point at a cell to read its weight.';
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', load);
  else load();
})();
