import type { Config } from '../config/config.js';

/** One line for the start-up log: how to get a token this server accepts. */
export function tokenHint(config: Config): string {
  const { keys, issuer, audience, rolesClaim } = config.auth;
  switch (keys.kind) {
    case 'local':
      return (
        'to try mutations, mint a token: npm run --silent cuenta -- token --role administrator ' +
        '(or --role steward --agency <id>; roles: steward, moderator, oversight, ' +
        'internal_control, administrator) and send it as "Authorization: Bearer <token>"'
      );
    case 'jwks':
      return `bearer tokens from ${keys.oidcIssuer ?? keys.jwksUrl} (issuer ${issuer}, audience ${audience}, roles in "${rolesClaim}")`;
    default:
      return `bearer tokens signed by the configured public key (issuer ${issuer}, audience ${audience}, roles in "${rolesClaim}")`;
  }
}
