import { parseArgs } from 'node:util';
import { AGENCY_ID_RULE, isAgencyId } from '#kernel';
import {
  ConfigError,
  isRole,
  loadConfig,
  loadOrCreateLocalSigningKey,
  mintLocalToken,
  ROLES,
  type Role,
} from '#platform';

const USAGE =
  'usage: cuenta token --role <role> [--agency <id>]... [--subject <s>] [--ttl <duration>]\n' +
  `  --role     ${ROLES.join(', ')}\n` +
  "  --agency   the id of an agency the steward writes for, as a commitment's leadAgency.id\n" +
  '             gives it, e.g. alcaldia-cartagena (required for stewards; repeat for more)\n' +
  '  --subject  who the token names (default local-<role>)\n' +
  '  --ttl      lifetime: 90s, 30m, 8h, 7d (default 1h, at most 30d)\n';

const MAX_TTL_SECONDS = 30 * 86_400;

/** `30m` -> 1800. Undefined unless a positive whole number of s, m, h or d (no unit: seconds). */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as ''];
  return seconds > 0 ? seconds : undefined;
}

class UsageError extends Error {}

/**
 * `cuenta token`: mints a bearer token with the embedded default's local key
 * (`<CUENTA_DATA_DIR>/keys`, created if missing, the same key the server verifies with).
 * Prints only the token on stdout, so `TOKEN=$(npm run --silent cuenta -- token ...)` works.
 * Needs no database. Exit codes: 0 minted, 2 bad flags or configuration, 1 anything else.
 */
export async function tokenCommand(argv: string[]): Promise<number> {
  let options: { role: Role; agencies: string[]; subject: string; ttlSeconds: number };
  try {
    options = readOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof TypeError)) throw error;
    if (error.message === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    const reason = error.message.split('\n')[0].replace(/\.$/, '');
    process.stderr.write(`cuenta token: ${reason} (see cuenta token --help)\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`cuenta token: invalid configuration: ${error.message}\n`);
    return 2;
  }
  if (config.auth.keys.kind !== 'local') {
    process.stderr.write(
      'cuenta token: this server verifies tokens from an identity provider or a configured key ' +
        '(CUENTA_OIDC_ISSUER, CUENTA_JWKS_URL or CUENTA_JWT_PUBLIC_KEY*); get tokens there. ' +
        'cuenta token mints only for the embedded default\n',
    );
    return 1;
  }
  const key = await loadOrCreateLocalSigningKey(config.dataDir);
  const { token, expiresAt } = await mintLocalToken({
    key,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    rolesClaim: config.auth.rolesClaim,
    agenciesClaim: config.auth.agenciesClaim,
    ...options,
  });
  process.stdout.write(`${token}\n`);
  const agencies = options.agencies.length ? ` for ${options.agencies.join(', ')}` : '';
  process.stderr.write(
    `${options.role} token${agencies}, subject ${options.subject}, valid until ` +
      `${expiresAt.toISOString()}; send it as "Authorization: Bearer <token>"\n`,
  );
  return 0;
}

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      role: { type: 'string' },
      agency: { type: 'string', multiple: true },
      subject: { type: 'string' },
      ttl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError('help');
  const role = values.role;
  if (role === undefined) throw new UsageError('--role is required');
  if (!isRole(role))
    throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got "${role}")`);
  const agencies = values.agency ?? [];
  for (const agency of agencies) {
    // Stewards are matched by the lead agency's id, never its name (which may be revised).
    if (!isAgencyId(agency)) {
      throw new UsageError(`--agency must be an agency id: ${AGENCY_ID_RULE} (got "${agency}")`);
    }
  }
  if (role === 'steward' && agencies.length === 0) {
    throw new UsageError('a steward token needs --agency <id> (the agency it writes for)');
  }
  if (role !== 'steward' && agencies.length > 0) {
    throw new UsageError('--agency binds stewards only; leave it out for other roles');
  }
  const subject = values.subject ?? `local-${role}`;
  if (!/^\S{1,200}$/.test(subject)) {
    throw new UsageError(`--subject must be 1 to 200 characters without spaces (got "${subject}")`);
  }
  const ttlSeconds = parseDuration(values.ttl ?? '1h');
  if (ttlSeconds === undefined || ttlSeconds > MAX_TTL_SECONDS) {
    throw new UsageError(
      `--ttl must be a duration such as 90s, 30m, 8h or 7d, at most 30d (got "${values.ttl}")`,
    );
  }
  return { role, agencies: [...new Set(agencies)], subject, ttlSeconds };
}
