// The Look inside page in a real browser: Debian's Chromium, headless, driven through the
// DevTools protocol by puppeteer-core (which downloads no browser of its own).
//
// It opens the built docs page from disk (file://), types a sentence, translates it
// greedily and with beam 4, and checks against the native program on the same model:
//   * the translation is the one `ch11_decoding translate` prints for the same search;
//   * choosing a kind of attention, a layer and a head (with the menus, and by clicking a
//     head) redraws the large heat map with `ch11_decoding inspect`'s weights, within 1e-4,
//     labelled with its tokens; the weight read out under the pointer is the native one;
//   * the token table and the search table hold the native program's tokens and steps;
//   * no request leaves the page (every URL but file: and data: is refused and reported),
//     and nothing is logged as an error.
//
//   node tests/look_inside/look_inside.test.mjs [--html DIR] [--program PATH] [--model DIR]
//
// Defaults: build/docs/html, build/chapters/11_decoding/ch11_decoding, data/pretrained/de-en.
// Install its one dependency first: (cd tests/look_inside && npm ci).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import puppeteer from 'puppeteer-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const options = {
  html: path.join(root, 'build/docs/html'),
  program: path.join(root, 'build/chapters/11_decoding/ch11_decoding'),
  model: path.join(root, 'data/pretrained/de-en'),
  chromium: '/usr/bin/chromium',
};
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in options) || process.argv[i + 1] === undefined) {
    console.error(`look_inside.test: unknown option '${process.argv[i]}' (expected --html, --program, --model or --chromium, each with a value)`);
    process.exit(2);
  }
  options[key] = path.resolve(process.argv[i + 1]);
}

// A sentence of the test's own: not one of the page's examples, so the page must take it
// from the keyboard.
const SENTENCE = 'Zwei Männer reparieren ein altes Auto vor einer Garage.';
const SEARCHES = [{ beam: 1, alpha: 0.6 }, { beam: 4, alpha: 0.6 }];
const TOLERANCE = 1e-4;

const page_path = path.join(options.html, 'look-inside.html');
for (const [what, file] of [['the docs page', page_path], ['the native program', options.program],
                            ['the model', path.join(options.model, 'model/config.json')],
                            ['Chromium', options.chromium],
                            ['the translator', path.join(options.html, 'look_inside/translator.js')]]) {
  if (!existsSync(file)) {
    console.error(`look_inside.test: ${what} is missing: ${file}`);
    process.exit(1);
  }
}

let failures = 0;
function check(ok, message) {
  console.log(`look-inside: ${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) failures += 1;
}

// The native program's answer for the test sentence: the last line it prints (its title
// and progress go to standard error). Greedy search has no length penalty, and the program
// refuses --alpha without a beam; the page's α field is simply unused then.
function native(command, search) {
  const flags = ['--beam', String(search.beam)];
  if (search.beam > 1) flags.push('--alpha', String(search.alpha));
  const out = execFileSync(options.program, [command, '--checkpoint', options.model, ...flags],
    { input: SENTENCE + '\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TFM_THREADS: '1' } });
  const lines = out.split('\n').filter((l) => l.length > 0);
  return lines[lines.length - 1];
}

function largestDifference(a, b) {
  let worst = 0;
  for (let r = 0; r < a.length; ++r)
    for (let c = 0; c < a[r].length; ++c) worst = Math.max(worst, Math.abs(a[r][c] - b[r][c]));
  return worst;
}

const started = Date.now();
const profile = mkdtempSync(path.join(tmpdir(), 'look-inside-'));
const browser = await puppeteer.launch({
  executablePath: options.chromium,
  headless: true,
  userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1300, height: 1000 });
  const errors = [], outside = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    // file: is the site on disk; a data: URL is inside the page's own files (the
    // translator's WebAssembly arrives as one, decoded from translator.js).
    const url = request.url();
    if (url.startsWith('file:') || url.startsWith('data:')) return request.continue();
    outside.push(url);
    return request.abort();
  });

  await page.goto(pathToFileURL(page_path).href, { waitUntil: 'load' });
  await page.waitForFunction(
    () => ['done', 'error', 'missing'].includes(document.getElementById('li-status').dataset.state),
    { timeout: 180000 });
  const first = await page.$eval('#li-status', (e) => [e.dataset.state, e.textContent]);
  check(first[0] === 'done', `the page loads the translator and translates its first example (${first[1]})`);

  for (const search of SEARCHES) {
    const name = search.beam === 1 ? 'greedy' : `beam ${search.beam}, alpha ${search.alpha}`;
    // Type the sentence, choose the search, click Translate.
    await page.click('#li-sentence', { clickCount: 3 });
    await page.keyboard.press('Backspace');
    await page.type('#li-sentence', SENTENCE);
    await page.select('#li-beam', String(search.beam));
    if (search.beam > 1) {
      await page.click('#li-alpha', { clickCount: 3 });
      await page.type('#li-alpha', String(search.alpha));
    }
    await page.click('#li-translate');
    await page.waitForFunction((s, beam) => {
      const out = document.getElementById('li-translation');
      return out.dataset.sentence === s && out.dataset.beam === beam &&
             document.getElementById('li-status').dataset.state === 'done';
    }, { timeout: 120000 }, SENTENCE, String(search.beam));
    const shown = await page.$eval('#li-translation', (e) => e.textContent);
    const expected = native('translate', search);
    check(shown === expected, `${name}: the page's translation "${shown}" is ch11_decoding translate's "${expected}"`);

    const inspection = JSON.parse(native('inspect', search));
    check(inspection.translation === expected, `${name}: ch11_decoding inspect translates as translate does`);
    const N = inspection.attention.encoder.length, H = inspection.attention.encoder[0].length;

    // The token table: one row per position, with the token written there.
    const written = await page.$$eval('#li-tokens tr', (rows) =>
      rows.slice(1).map((r) => r.children[1].textContent.split(' (')[0]));
    const nativeWritten = inspection.written.map((t) => t.token);
    while (nativeWritten.length < inspection.next_tokens.length) nativeWritten.push('—');
    check(JSON.stringify(written) === JSON.stringify(nativeWritten),
          `${name}: the token table writes ${written.length} tokens, as the native program`);
    // The search table: one group of rows per step.
    const steps = await page.$$eval('#li-steps tr', (rows) =>
      rows.filter((r) => r.children[0].tagName === 'TD' && r.children[0].textContent !== '').length);
    check(steps === inspection.steps.length, `${name}: the search table shows ${steps} steps (native: ${inspection.steps.length})`);

    // Every kind of attention, the first and last layer, the first and last head, chosen
    // with the menus: the large map must hold the native weights and labels.
    for (const kind of ['encoder', 'decoder', 'cross']) {
      for (const layer of [...new Set([0, N - 1])]) {
        for (const head of [...new Set([0, H - 1])]) {
          await page.select('#li-kind', kind);
          await page.select('#li-layer', String(layer));
          await page.select('#li-head', String(head));
          const map = await page.$eval('#li-map', (m) => m.lookInside);
          const want = inspection.attention[kind][layer][head];
          const rows = kind === 'encoder' ? inspection.source_tokens : inspection.target_tokens;
          const cols = kind === 'cross' ? inspection.source_tokens : rows;
          const same = map.kind === kind && map.layer === layer && map.head === head &&
                       JSON.stringify(map.rowLabels) === JSON.stringify(rows) &&
                       JSON.stringify(map.colLabels) === JSON.stringify(cols) &&
                       map.weights.length === want.length && map.weights[0].length === want[0].length;
          const difference = same ? largestDifference(map.weights, want) : Infinity;
          check(same && difference <= TOLERANCE,
                `${name}: ${kind} layer ${layer + 1} head ${head + 1}: ${want.length}×${want[0].length} map, labels as native, largest difference ${difference.toExponential(1)}`);
        }
      }
    }
    // All heads of the layer side by side; a click on the second draws it large.
    const thumbs = await page.$$('#li-heads canvas');
    check(thumbs.length === H, `${name}: ${thumbs.length} heads side by side (the model has ${H})`);
    if (H > 1) {
      await thumbs[1].click();
      const map = await page.$eval('#li-map', (m) => m.lookInside);
      const want = inspection.attention.cross[N - 1][1];
      check(map.head === 1 && largestDifference(map.weights, want) <= TOLERANCE,
            `${name}: clicking head 2 draws cross-attention layer ${N} head 2 with the native weights`);
    }
    // The weight under the pointer: the largest cell of the map just drawn.
    const [r, c, x, y] = await page.$eval('#li-map', (m) => {
      const w = m.lookInside.weights;
      let best = [0, 0];
      w.forEach((row, i) => row.forEach((v, j) => { if (v > w[best[0]][best[1]]) best = [i, j]; }));
      const [cx, cy] = m.lookInside.cellCentre(best[0], best[1]);
      // Scroll the cell to the middle of the window, the pointer can only reach what is
      // shown; the site scrolls its content pane, not the window.
      let pane = m.parentElement;
      while (pane && pane.scrollHeight <= pane.clientHeight) pane = pane.parentElement;
      (pane || document.scrollingElement).scrollBy(0, m.getBoundingClientRect().top + cy - window.innerHeight / 2);
      const box = m.getBoundingClientRect();
      return [best[0], best[1], box.left + cx, box.top + cy];
    });
    await page.mouse.move(x, y);
    const readout = await page.$eval('#li-readout', (e) => e.textContent);
    const read = Number((readout.match(/weight ([0-9.]+)/) || [])[1]);
    const want = inspection.attention.cross[N - 1][H > 1 ? 1 : 0][r][c];
    check(Math.abs(read - want) <= TOLERANCE, `${name}: the pointer reads "${readout}" (native ${want})`);
  }

  check(outside.length === 0, `no request left the page${outside.length ? ': ' + outside.join(', ') : ''}`);
  check(errors.length === 0, `no console error${errors.length ? ': ' + errors.join(' | ') : ''}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`look-inside: ${failures === 0 ? 'all checks passed' : failures + ' checks failed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failures === 0 ? 0 : 1);
