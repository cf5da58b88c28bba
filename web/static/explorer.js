// The self-hosted GraphiQL explorer with the Explorer plugin and ready questions.
// A query can be shared by link: ?example=<id>, or ?query=...&variables=... for any query.
(function () {
  "use strict";

  const examples = JSON.parse(document.getElementById("examples").textContent);
  const params = new URLSearchParams(window.location.search);
  const chosen = examples.find((example) => example.id === params.get("example"));
  const start = {
    query: params.get("query") ?? (chosen ?? examples[0]).query,
    variables: params.get("variables") ?? (chosen ?? examples[0]).variables ?? undefined,
  };
  const current = { ...start };

  // Keep the address bar a shareable link to what is in the editor.
  function remember() {
    const url = new URL(window.location.href);
    url.search = "";
    url.searchParams.set("query", current.query);
    if (current.variables) url.searchParams.set("variables", current.variables);
    window.history.replaceState(null, "", url);
  }

  document.getElementById("copy-link").addEventListener("click", () => {
    remember();
    if (navigator.clipboard) navigator.clipboard.writeText(window.location.href);
  });

  const explorer = GraphiQLPluginExplorer.explorerPlugin();
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: "/graphql" }),
      plugins: [explorer],
      // Open on the Explorer, so a query can be built by ticking fields.
      visiblePlugin: explorer,
      query: start.query,
      variables: start.variables,
      defaultEditorToolsVisibility: Boolean(start.variables),
      // Each ready question in a tab of its own, the chosen one first.
      defaultTabs: [chosen ?? start, ...examples.filter((e) => e !== chosen)].map((e) => ({
        query: e.query,
        variables: e.variables ?? undefined,
      })),
      onEditQuery: (query) => {
        current.query = query;
        remember();
      },
      onEditVariables: (variables) => {
        current.variables = variables;
        remember();
      },
    })
  );
})();
