import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorConfig } from '@escape.tech/graphql-armor-types';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GraphQLLimitsConfig } from '../config/config.js';
import {
  LimitExceededError,
  QueryTooCostlyError,
  QueryTooDeepError,
  TooManyAliasesError,
  TooManyDirectivesError,
  TooManyTokensError,
} from './graphql.errors.js';

/** Arguments whose value is a list's page size; the cost of the list is multiplied by it. */
const PAGE_SIZE_ARGUMENTS = ['first', 'last'] as const;

/** graphql-armor's protections, all off; each use turns on the ones it needs. */
const ARMOR_OFF: GraphQLArmorConfig = {
  blockFieldSuggestion: { enabled: false },
  costLimit: { enabled: false },
  maxAliases: { enabled: false },
  maxDepth: { enabled: false },
  maxDirectives: { enabled: false },
  maxTokens: { enabled: false },
};

/**
 * An armor rejection handler that reports our typed error instead of armor's
 * BAD_USER_INPUT, so each limit has its own code (format-error reads `originalError`).
 */
function reportAs(
  make: (found: number | undefined) => LimitExceededError,
): (context: ValidationContext | null, error: GraphQLError) => void {
  return (context, error) => {
    const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1];
    const typed = make(found === undefined ? undefined : Math.ceil(Number(found)));
    context?.reportError(new GraphQLError(typed.message, { originalError: typed }));
  };
}

/**
 * Validation rules for depth and aliases (graphql-armor) and directives, each reporting
 * its own error: QUERY_TOO_DEEP, TOO_MANY_ALIASES, TOO_MANY_DIRECTIVES. They run with
 * GraphQL's own validation, before anything executes.
 */
export function limitRules(
  limits: Pick<GraphQLLimitsConfig, 'maxDepth' | 'maxAliases' | 'maxDirectives'>,
): ValidationRule[] {
  const { maxDepth, maxAliases, maxDirectives } = limits;
  return new ApolloArmor({
    ...ARMOR_OFF,
    maxDepth: {
      enabled: true,
      n: maxDepth,
      // Depth of the response: fragments add no level of their own.
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [
        reportAs(
          (found) =>
            new QueryTooDeepError(
              `Query depth ${found} exceeds the limit of ${maxDepth}`,
              maxDepth,
              found,
            ),
        ),
      ],
    },
    maxAliases: {
      enabled: true,
      n: maxAliases,
      propagateOnRejection: false,
      onReject: [
        reportAs(
          (found) =>
            new TooManyAliasesError(
              `The operation uses ${found} aliases; the limit is ${maxAliases}`,
              maxAliases,
              found,
            ),
        ),
      ],
    },
  })
    .protect()
    .validationRules.concat(maxDirectivesRule(maxDirectives));
}

/**
 * Counts directives per operation, fragments once per spread, and reports
 * TOO_MANY_DIRECTIVES. Our own rule: graphql-armor 3.2's skips the directives written on
 * a repeated spread of the same fragment (`...f @include(if: true)` many times).
 */
function maxDirectivesRule(max: number): ValidationRule {
  return (context) => {
    const fragmentCounts = new Map<string, number>();
    const inSelections = (node: SelectionSetNode | undefined, visiting: Set<string>): number => {
      let count = 0;
      for (const selection of node?.selections ?? []) {
        count += selection.directives?.length ?? 0;
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          count += inFragment(selection.name.value, visiting);
        } else {
          count += inSelections(selection.selectionSet, visiting);
        }
      }
      return count;
    };
    const inFragment = (name: string, visiting: Set<string>): number => {
      const known = fragmentCounts.get(name);
      if (known !== undefined) return known;
      const fragment = context.getFragment(name);
      if (!fragment || visiting.has(name)) return 0; // cycles are reported by GraphQL itself
      visiting.add(name);
      const count =
        (fragment.directives?.length ?? 0) + inSelections(fragment.selectionSet, visiting);
      visiting.delete(name);
      fragmentCounts.set(name, count);
      return count;
    };
    return {
      OperationDefinition(operation) {
        const found =
          (operation.directives?.length ?? 0) + inSelections(operation.selectionSet, new Set());
        if (found <= max) return;
        const typed = new TooManyDirectivesError(
          `The operation uses ${found} directives; the limit is ${max}`,
          max,
          found,
        );
        context.reportError(new GraphQLError(typed.message, { originalError: typed }));
      },
    };
  };
}

const costRules = new Map<number, ValidationRule>();

/**
 * graphql-armor's cost rule: 1 per scalar field, 2 per object field, a list's cost times
 * its `first`/`last` page size. Run it on a document whose page sizes were filled in by
 * `withPageSizes`, since armor alone reads literal page sizes only. Built once per limit:
 * the rule keeps its state in the visitor it makes for each validation.
 */
function costRule(maxCost: number): ValidationRule {
  const known = costRules.get(maxCost);
  if (known) return known;
  const [rule] = new ApolloArmor({
    ...ARMOR_OFF,
    costLimit: {
      enabled: true,
      maxCost,
      objectCost: 2,
      scalarCost: 1,
      depthCostFactor: 1,
      propagateOnRejection: false,
      onReject: [
        reportAs(
          (found) =>
            new QueryTooCostlyError(
              `The operation's cost ${found} exceeds the limit of ${maxCost}`,
              maxCost,
              found,
            ),
        ),
      ],
    },
  }).protect().validationRules;
  costRules.set(maxCost, rule);
  return rule;
}

const integer = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;

/**
 * A copy of `document` in which every `first`/`last` page size is a literal: variables are
 * replaced by their values (or defaults), and a missing argument by the schema's default.
 * So `commitments(first: $n)` costs what `$n` asks for, not one item.
 * @param variables the request's variable values; non-integers are left as they are.
 */
export function withPageSizes(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): DocumentNode {
  return pageSized(schema, document, variables).document;
}

/** `withPageSizes`, and the names of the variables it read (the cost depends on no others). */
function pageSized(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): { document: DocumentNode; read: string[] } {
  const defaults = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      if (variable.defaultValue?.kind === Kind.INT) {
        defaults.set(variable.variable.name.value, Number(variable.defaultValue.value));
      }
    }
  }
  const read = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const sized = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field) return undefined;
        const args: ArgumentNode[] = [...(node.arguments ?? [])];
        let changed = false;
        for (const name of PAGE_SIZE_ARGUMENTS) {
          const definition = field.args.find((arg) => arg.name === name);
          if (!definition) continue;
          const index = args.findIndex((arg) => arg.name.value === name);
          const given = index >= 0 ? args[index].value : undefined;
          let size: number | undefined;
          if (given?.kind === Kind.VARIABLE) {
            const variable = given.name.value;
            read.add(variable);
            size = integer(variables[variable]) ?? defaults.get(variable);
          } else if (given === undefined) {
            size = integer(definition.defaultValue);
          }
          if (size === undefined) continue;
          const literal: ArgumentNode = {
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: name },
            value: { kind: Kind.INT, value: String(size) },
          };
          if (index >= 0) args[index] = literal;
          else args.push(literal);
          changed = true;
        }
        return changed ? { ...node, arguments: args } : undefined;
      },
    }),
  );
  return { document: sized, read: [...read] };
}

/** Operations already within a cost limit, per document and page-size variable values. */
interface CostsWithin {
  maxCost: number;
  /** The variables the document's page sizes read, once known. */
  read: string[];
  /** The JSON of those variables' values, for each request that was within the limit. */
  passed: Set<string>;
}

/**
 * Documents are cached by Apollo's document store (and graphql-ws parses each text once per
 * operation), so the same query text is the same object: its cost is computed once per
 * distinct set of page sizes.
 */
const costsWithin = new WeakMap<DocumentNode, CostsWithin>();
/** Distinct page-size values remembered per document; beyond it, costs are recomputed. */
const MAX_REMEMBERED_SIZES = 64;

/**
 * Refuses an operation whose cost, with the request's variables, exceeds `maxCost`.
 * @param document a document that passed validation.
 * @throws QueryTooCostlyError
 */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  maxCost: number,
): void {
  const values = variables ?? {};
  let known = costsWithin.get(document);
  if (known?.maxCost !== maxCost) known = undefined;
  const key = known && JSON.stringify(known.read.map((name) => values[name] ?? null));
  if (known && key !== undefined && known.passed.has(key)) return;

  const sized = pageSized(schema, document, values);
  const errors = validate(schema, sized.document, [costRule(maxCost)]);
  const typed = errors
    .map((error) => error.originalError)
    .find((e) => e instanceof QueryTooCostlyError);
  if (typed) throw typed;

  if (!known) {
    known = { maxCost, read: sized.read, passed: new Set() };
    costsWithin.set(document, known);
  }
  if (known.passed.size < MAX_REMEMBERED_SIZES) {
    known.passed.add(JSON.stringify(known.read.map((name) => values[name] ?? null)));
  }
}

/**
 * Token counts of recent source texts within a limit, sized by their length: a text is
 * lexed again only when it was refused before, or forgotten.
 */
const tokenCounts = new LRUCache<string, number>({
  maxSize: 4 * 2 ** 20,
  maxEntrySize: 64 * 2 ** 10,
  sizeCalculation: (_count, text) => text.length,
});

/**
 * Refuses a source text with more than `max` GraphQL tokens before it is parsed. Syntax
 * errors are left for the parser to report.
 * @throws TooManyTokensError
 */
export function checkTokens(source: string, max: number): void {
  const known = tokenCounts.get(source);
  if (known !== undefined && known <= max) return;
  const count = countTokens(source, max);
  if (count > max) {
    throw new TooManyTokensError(`The operation has more than ${max} tokens`, max);
  }
  tokenCounts.set(source, count);
}

/**
 * The tokens in `source`, counted up to `max + 1`; 0 for a text the lexer refuses, whose
 * syntax error is the parser's to report.
 */
function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count > max) return count;
    }
  } catch {
    return 0;
  }
  return count;
}
