import type { ApolloServerPlugin } from '@apollo/server';

/** Where the explorer's files are served from: GraphiQL and React, from this server. */
export const EXPLORER_ASSETS_PATH = '/graphql-explorer/';

/**
 * Only this server. Styles may also be inline: GraphiQL's dialogs add <style> elements; the
 * fonts of its stylesheet are data: URLs. Nothing may be loaded from another origin.
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** The explorer's HTML: GraphiQL against `endpoint`, every script and stylesheet from here. */
export function renderExplorerPage(endpoint: string): string {
  const asset = (file: string) => `${EXPLORER_ASSETS_PATH}${file}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${EXPLORER_CSP}">
<title>Cuenta · GraphQL explorer</title>
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<link rel="stylesheet" href="${asset('explorer.css')}">
</head>
<body>
<div id="graphiql" data-endpoint="${endpoint}">Loading…</div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script type="module" src="${asset('start-graphiql.dom.js')}"></script>
</body>
</html>
`;
}

/**
 * Apollo's landing page for GET /graphql from a browser: GraphiQL served by this server, so the
 * explorer works with no internet access (Nest's default GraphiQL loads it from a public CDN).
 */
export function offlineExplorerPlugin(endpoint: string): ApolloServerPlugin {
  const html = renderExplorerPage(endpoint);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
