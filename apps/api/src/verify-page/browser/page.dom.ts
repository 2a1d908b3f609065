import {
  describeFailure,
  describeFinding,
  LABELS,
  LANGUAGES,
  STATUS,
  type LabelId,
  type Language,
} from './messages.js';
import { verifyProofForCitizen, type Verdict } from './verdict.js';

// The verification page's wiring: read what the citizen gave, run the pure checks of
// verdict.ts (libs/ledger, in this browser), and show the verdict in the chosen language.

const LANGUAGE_KEY = 'cuenta.verify.language';
const PINNED_KEY = 'cuenta.verify.logKey';

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
};

const page = byId<HTMLElement>('page');
const serverKey = page.dataset.verifierKey ?? '';
const proofInput = byId<HTMLTextAreaElement>('proof');
const eventInput = byId<HTMLTextAreaElement>('event');
const keyInput = byId<HTMLInputElement>('log-key');
const witnessInput = byId<HTMLTextAreaElement>('witnesses');
const positionInput = byId<HTMLInputElement>('position');
const result = byId<HTMLElement>('result');

let language: Language = initialLanguage();
let lastVerdict: Verdict | undefined;
let fetchProblem: string | undefined;

function initialLanguage(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  if (saved === 'es' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'es';
}

function setLanguage(next: Language): void {
  language = next;
  localStorage.setItem(LANGUAGE_KEY, next);
  document.documentElement.lang = next;
  for (const element of document.querySelectorAll<HTMLElement>('[data-label]')) {
    const id = element.dataset.label as LabelId;
    element.textContent = LABELS[id][language];
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === language));
  }
  showKeyStatus();
  if (fetchProblem !== undefined) showFetchProblem(fetchProblem);
  if (lastVerdict !== undefined) showVerdict(lastVerdict);
}

function showKeyStatus(message?: 'key-pinned'): void {
  const status = byId<HTMLElement>('key-status');
  const differs = keyInput.value.trim() !== serverKey;
  status.className = differs ? 'warning' : '';
  status.textContent = differs
    ? STATUS['key-differs'][language]
    : message
      ? STATUS[message][language]
      : '';
}

/** The list's lines; its block (heading and list) is hidden when it has none. */
function fill(list: HTMLElement, lines: readonly string[]): void {
  byId(`${list.id}-block`).hidden = lines.length === 0;
  list.replaceChildren(
    ...lines.map((line) => {
      const item = document.createElement('li');
      item.textContent = line;
      return item;
    }),
  );
}

function showVerdict(verdict: Verdict): void {
  result.hidden = false;
  result.dataset.verified = String(verdict.verified);
  byId('verdict').textContent = STATUS[verdict.verified ? 'verified' : 'failed'][language];
  fill(
    byId('failures'),
    verdict.failures.map((f) => describeFailure(f, language)),
  );
  fill(
    byId('proven'),
    verdict.proven.map((f) => describeFinding(f, language)),
  );
  fill(
    byId('not-proven'),
    verdict.notProven.map((f) => describeFinding(f, language)),
  );
}

function verify(): void {
  lastVerdict = verifyProofForCitizen({
    proof: proofInput.value,
    event: eventInput.value,
    logKey: keyInput.value,
    witnessKeys: witnessInput.value.split('\n'),
  });
  showVerdict(lastVerdict);
}

function showFetchProblem(problem: string): void {
  byId('fetch-status').textContent = STATUS['fetch-failed'][language] + problem;
}

const PROOF_QUERY = `query VerifyPageProof($position: Int!) {
  tlogProof(position: $position)
  inclusionProof(position: $position) { event { canonical } }
}`;

/** Fetches an event and its proof from this server; the check itself stays in the browser. */
async function fetchByPosition(): Promise<void> {
  const status = byId('fetch-status');
  fetchProblem = undefined;
  status.textContent = STATUS.fetching[language];
  const position = Number(positionInput.value);
  try {
    if (positionInput.value.trim() === '' || !Number.isSafeInteger(position) || position < 0) {
      throw new Error(`"${positionInput.value}" is not a position (0, 1, 2…)`);
    }
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query: PROOF_QUERY, variables: { position } }),
    });
    const body = (await response.json()) as {
      data?: { tlogProof: string; inclusionProof: { event: { canonical: string } } } | null;
      errors?: { message: string }[];
    };
    if (body.errors?.length || !body.data) {
      throw new Error(body.errors?.map((e) => e.message).join('; ') || `HTTP ${response.status}`);
    }
    proofInput.value = body.data.tlogProof;
    eventInput.value = body.data.inclusionProof.event.canonical;
    status.textContent = '';
    verify();
  } catch (error) {
    fetchProblem = error instanceof Error ? error.message : String(error);
    showFetchProblem(fetchProblem);
  }
}

/** A dropped file's text replaces the field's. */
function acceptDrops(field: HTMLTextAreaElement): void {
  field.addEventListener('dragover', (event) => {
    event.preventDefault();
    field.classList.add('dragging');
  });
  field.addEventListener('dragleave', () => field.classList.remove('dragging'));
  field.addEventListener('drop', (event) => {
    event.preventDefault();
    field.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file) void file.text().then((text) => (field.value = text));
  });
}

keyInput.value = localStorage.getItem(PINNED_KEY) ?? serverKey;
acceptDrops(proofInput);
acceptDrops(eventInput);
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
  button.addEventListener('click', () => {
    if (LANGUAGES.includes(button.dataset.lang as Language)) {
      setLanguage(button.dataset.lang as Language);
    }
  });
}
keyInput.addEventListener('input', () => showKeyStatus());
byId('pin').addEventListener('click', () => {
  localStorage.setItem(PINNED_KEY, keyInput.value.trim());
  showKeyStatus('key-pinned');
});
byId('use-server-key').addEventListener('click', () => {
  keyInput.value = serverKey;
  localStorage.removeItem(PINNED_KEY);
  showKeyStatus();
});
byId('verify').addEventListener('click', verify);
byId('fetch').addEventListener('click', () => void fetchByPosition());
setLanguage(language);
page.dataset.ready = 'true';
