import { createHash } from 'node:crypto';
import { LABELS, type LabelId } from './browser/messages.js';

/** Where the page's files are served: its own scripts, libs/ledger, and the @noble packages. */
export const VERIFY_PATHS = {
  page: '/verify',
  app: '/verify/app/',
  ledger: '/verify/ledger/',
  nobleCurves: '/verify/vendor/noble-curves/',
  nobleHashes: '/verify/vendor/noble-hashes/',
  style: '/verify/style.css',
} as const;

/**
 * The import map that lets the browser load libs/ledger as Node does: `#ledger` and
 * `#ledger-crypto` (the @noble build, as package.json's "imports" picks for browsers), and the
 * @noble packages it imports, all from this server.
 */
export const IMPORT_MAP = JSON.stringify({
  imports: {
    '#ledger': `${VERIFY_PATHS.ledger}index.js`,
    '#ledger-crypto': `${VERIFY_PATHS.ledger}crypto/crypto.browser.js`,
    '@noble/curves/': VERIFY_PATHS.nobleCurves,
    '@noble/hashes/': VERIFY_PATHS.nobleHashes,
  },
});

/**
 * Only this server: scripts from its files plus the one inline import map (by its hash, as
 * browsers read no import map from a file), no other origin for anything.
 */
export const VERIFY_PAGE_CSP = [
  "default-src 'self'",
  `script-src 'self' 'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`,
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** An element's Spanish text, marked so the language switch can redraw it. */
const label = (id: LabelId): string => `data-label="${id}">${escapeHtml(LABELS[id].es)}`;

/** The page, in Spanish until the browser's script applies the citizen's language. */
export function renderVerifyPage(server: { verifierKey: string; origin: string }): string {
  return `<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cuenta · verificar / verify</title>
<link rel="stylesheet" href="${VERIFY_PATHS.style}">
<script type="importmap">${IMPORT_MAP}</script>
<script type="module" src="${VERIFY_PATHS.app}page.dom.js"></script>
</head>
<body>
<main id="page" data-verifier-key="${escapeHtml(server.verifierKey)}" data-origin="${escapeHtml(server.origin)}">
<header>
<h1 ${label('title')}</h1>
<nav aria-label="Idioma / Language">
<button type="button" data-lang="es" lang="es">Español</button>
<button type="button" data-lang="en" lang="en">English</button>
</nav>
</header>
<p ${label('intro')}</p>

<section aria-labelledby="pick-heading">
<h2 id="pick-heading" ${label('pick-heading')}</h2>
<p ${label('pick-help')}</p>
<label for="position" ${label('position-label')}</label>
<input id="position" type="number" min="0" step="1" inputmode="numeric">
<button type="button" id="fetch" ${label('fetch')}</button>
<p id="fetch-status" role="status"></p>
</section>

<section>
<label for="proof" ${label('proof-label')}</label>
<textarea id="proof" rows="10" spellcheck="false"></textarea>
<label for="event" ${label('event-label')}</label>
<textarea id="event" rows="6" spellcheck="false"></textarea>
<label for="log-key" ${label('key-label')}</label>
<input id="log-key" type="text" spellcheck="false" autocomplete="off">
<p ${label('key-help')}</p>
<p><span ${label('server-key-label')}</span> <code id="server-key">${escapeHtml(server.verifierKey)}</code></p>
<button type="button" id="pin" ${label('pin')}</button>
<button type="button" id="use-server-key" ${label('use-server-key')}</button>
<p id="key-status" role="status"></p>
<label for="witnesses" ${label('witnesses-label')}</label>
<textarea id="witnesses" rows="3" spellcheck="false"></textarea>
<button type="button" id="verify" class="primary" ${label('verify')}</button>
</section>

<section id="result" aria-live="polite" hidden>
<h2 ${label('result-heading')}</h2>
<p id="verdict"></p>
<div id="failures-block">
<h3 ${label('failures-heading')}</h3>
<ul id="failures"></ul>
</div>
<div id="proven-block">
<h3 ${label('proven-heading')}</h3>
<ul id="proven"></ul>
</div>
<div id="not-proven-block">
<h3 ${label('not-proven-heading')}</h3>
<ul id="not-proven"></ul>
</div>
</section>
</main>
</body>
</html>
`;
}
