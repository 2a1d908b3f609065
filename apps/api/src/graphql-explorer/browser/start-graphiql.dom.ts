// Starts GraphiQL on the explorer page. React, ReactDOM and GraphiQL are the UMD builds the
// page loaded before this module, from this server (explorer-page.ts).

interface GraphiQLGlobal {
  createFetcher(options: { url: string; subscriptionUrl?: string }): unknown;
}
declare const GraphiQL: GraphiQLGlobal;
declare const React: { createElement(type: unknown, props: Record<string, unknown>): unknown };
declare const ReactDOM: {
  createRoot(container: Element): { render(element: unknown): void };
};

const container = document.getElementById('graphiql');
if (container === null) throw new Error('the explorer page has no #graphiql');
const url = new URL(container.dataset.endpoint ?? '/graphql', location.href);
const subscriptionUrl = new URL(url);
subscriptionUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
// What a first visitor sees: the log's identity, a query anyone may run.
const defaultQuery = `# Cuenta's GraphQL API: docs on the left, run with Ctrl-Enter.
{
  ledgerInfo {
    origin
    size
    verifierKey
  }
}
`;
const fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl: subscriptionUrl.href });
ReactDOM.createRoot(container).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true, defaultQuery }),
);

export {};
