// Lint rules that keep the libraries' boundaries (docs/architecture.md, docs/adding-a-context.md).
// None names a context: a context is any library under libs/ that is not infrastructure.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The libraries every context builds on (and their aliases): the rest of libs/ are contexts.
 * Kept here by name, whether or not a library exists yet, so a new one is covered at once.
 */
export const INFRASTRUCTURE = ['ledger', 'kernel', 'event-store', 'platform', 'transparency'];
const INFRASTRUCTURE_ALIASES = new Set([...INFRASTRUCTURE, 'ledger-crypto']);

/** Frameworks and drivers the pure domain must not see. */
const FRAMEWORKS = [
  /^@nestjs\//,
  /^@apollo\//,
  /^typeorm(\/|$)/,
  /^pg(\/|$)/,
  /^graphql(-ws)?(\/|$)/,
  /^rxjs(\/|$)/,
  /^class-(validator|transformer)(\/|$)/,
  /^express(\/|$)/,
  /^reflect-metadata$/,
];
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** `libs/<name>/...` of a path relative to the repository, or undefined. */
function libraryOf(relative) {
  const [top, name] = relative.split('/');
  return top === 'libs' && name ? name : undefined;
}

function relativeFile(context) {
  return path.relative(ROOT, context.filename).split(path.sep).join('/');
}

/** Where a relative import lands, relative to the repository; undefined for a package. */
function resolvedTarget(context, source) {
  if (!source.startsWith('.')) return undefined;
  const absolute = path.resolve(path.dirname(context.filename), source);
  return path.relative(ROOT, absolute).split(path.sep).join('/');
}

/** Calls `check(source, node)` for every static import, re-export and literal import(). */
function onImports(check) {
  const visit = (node) => {
    if (node.source && typeof node.source.value === 'string') check(node.source.value, node.source);
  };
  return {
    ImportDeclaration: visit,
    ExportAllDeclaration: visit,
    ExportNamedDeclaration: visit,
    ImportExpression: visit,
  };
}

const rule = (description, create) => ({
  meta: { type: 'problem', docs: { description }, schema: [], messages: { boundary: '{{why}}' } },
  create,
});

const report = (context, node, why) =>
  context.report({ node, messageId: 'boundary', data: { why } });

export const boundaries = {
  meta: { name: 'cuenta-boundaries' },
  rules: {
    // A library reaches another one only through its index (its #alias): a relative path into
    // libs/<other>/ would couple it to the other's internals.
    'import-through-index': rule('import another library only through its #alias', (context) => {
      const own = libraryOf(relativeFile(context));
      if (!own) return {};
      return onImports((source, node) => {
        const target = resolvedTarget(context, source);
        const other = target && libraryOf(target);
        // A library's test/ folder is test support, not behind its index: tests may reach it
        // (production code may not: no-test-support-in-production).
        const testSupport = target !== undefined && /^libs\/[^/]+\/test\//.test(target);
        if (other && other !== own && !testSupport) {
          report(
            context,
            node,
            `libs/${own} must import libs/${other} through its index ('#${other}'), ` +
              `not the relative path '${source}'.`,
          );
        } else if (/^#[^/]+\//.test(source)) {
          report(context, node, `'${source}' reaches inside a library: import its index alias.`);
        }
      });
    }),

    // Infrastructure comes before the contexts in the dependency order: it imports none of them
    // (a context alias is any #alias outside the infrastructure set, #contexts included).
    'no-context-in-infrastructure': rule('infrastructure imports no context', (context) => {
      const own = libraryOf(relativeFile(context));
      return onImports((source, node) => {
        const alias = /^#([^/]+)/.exec(source)?.[1];
        if (alias && !INFRASTRUCTURE_ALIASES.has(alias)) {
          report(
            context,
            node,
            `libs/${own} is infrastructure and must not import the context '${source}': ` +
              'contexts depend on it, not the reverse.',
          );
        }
      });
    }),

    // Infrastructure runs one way, ledger -> kernel -> event-store -> platform -> transparency:
    // a library imports only those before it, so no two libraries ever import each other.
    'dependency-order': rule('infrastructure imports only the libraries before it', (context) => {
      const own = libraryOf(relativeFile(context));
      const rank = INFRASTRUCTURE.indexOf(own);
      if (rank < 0) return {};
      return onImports((source, node) => {
        const alias = /^#([^/]+)/.exec(source)?.[1];
        const target = alias === 'ledger-crypto' ? 'ledger' : alias;
        const targetRank = INFRASTRUCTURE.indexOf(target);
        if (targetRank > rank) {
          report(
            context,
            node,
            `libs/${own} must not import '${source}': libs/${target} comes after it in the ` +
              `dependency order (${INFRASTRUCTURE.join(' -> ')}).`,
          );
        }
      });
    }),

    // A domain is plain TypeScript: no framework, driver or Node built-in.
    'pure-domain': rule('domain code imports no framework or Node built-in', (context) =>
      onImports((source, node) => {
        if (NODE_BUILTINS.has(source)) {
          report(context, node, `domain code must not import the Node built-in '${source}'.`);
        } else if (FRAMEWORKS.some((pattern) => pattern.test(source))) {
          report(context, node, `domain code must not import the framework '${source}'.`);
        }
      }),
    ),

    // Test support (test/ folders, the repository's and each library's) never ships.
    'no-test-support-in-production': rule('production code imports no test support', (context) =>
      onImports((source, node) => {
        const target = resolvedTarget(context, source) ?? source;
        if (/(^|\/)test(\/|$)/.test(target)) {
          report(context, node, `production code must not import test support ('${source}').`);
        }
      }),
    ),
  },
};
