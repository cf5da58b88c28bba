// The self-hosted GraphiQL explorer with the Explorer plugin and the ready questions.
// Each ready question has a tab of its own, in the order of the page's list; the address bar is
// always a link to what is shown: ?example=<id> for a ready question as written, else
// ?query=...&variables=..., and ?lang= is kept through every change.
(function () {
  "use strict";

  const { useEffect, useRef } = React;
  const { useEditorContext, useExecutionContext } = GraphiQL.React;

  const examples = JSON.parse(document.getElementById("examples").textContent);
  const lang = document.documentElement.lang;
  const params = new URLSearchParams(window.location.search);
  // explorer.css stacks the panels below this width; there the Explorer plugin starts closed.
  const narrow = window.matchMedia("(max-width: 48rem)").matches;
  const TAB_ID = "example-";

  const asked = examples.find((example) => example.id === params.get("example"));
  const shared = params.has("query")
    ? { query: params.get("query"), variables: params.get("variables") }
    : null;
  const start = shared ?? asked ?? examples[0];

  // A query's operation name as GraphiQL finds it for a tab's title
  // (fuzzyExtractOperationName in @graphiql/react), so a ready question's tab keeps its title.
  function operationName(query) {
    const match = /^(?!#).*(query|subscription|mutation)\s+([a-zA-Z0-9_]+)/m.exec(query);
    return match ? match[2] : null;
  }

  function tabFor(example) {
    return {
      id: TAB_ID + example.id,
      title: operationName(example.query) ?? "<untitled>",
      query: example.query,
      variables: example.variables,
      headers: null,
      operationName: null,
      response: null,
    };
  }

  // The ready question a tab holds, if it still holds it as written.
  function asWritten(tab) {
    const example = examples.find((candidate) => TAB_ID + candidate.id === tab.id);
    const same =
      example &&
      tab.query === example.query &&
      (tab.variables || null) === (example.variables || null);
    return same ? example : null;
  }

  // GraphiQL restores its tabs from storage, else opens `defaultTabs` on the first one. The
  // tabs here come from the address instead, so a second visit neither repeats nor reorders
  // them: GraphiQL reads them from this page-long store, and activates the tab that holds the
  // `query` prop (a shared query gets a tab of its own). What the address does not decide
  // (history, theme, panel sizes) stays in localStorage as GraphiQL keeps it.
  const PAGE_KEYS = new Set(
    ["tabState", "query", "variables", "visiblePlugin"].map((key) => "graphiql:" + key)
  );
  const page = new Map([
    ["graphiql:tabState", JSON.stringify({ tabs: examples.map(tabFor), activeTabIndex: 0 })],
  ]);
  const graphiqlKeys = () => Object.keys(localStorage).filter((key) => key.startsWith("graphiql:"));
  const storage = {
    getItem: (key) => (PAGE_KEYS.has(key) ? page.get(key) ?? null : localStorage.getItem(key)),
    setItem: (key, value) =>
      PAGE_KEYS.has(key) ? page.set(key, value) : localStorage.setItem(key, value),
    removeItem: (key) => (PAGE_KEYS.has(key) ? page.delete(key) : localStorage.removeItem(key)),
    clear: () => {
      page.clear();
      graphiqlKeys().forEach((key) => localStorage.removeItem(key));
    },
    get length() {
      return page.size + graphiqlKeys().length;
    },
  };

  // Scroll a horizontal strip (the tabs, the questions on a phone) to show one of its items.
  function reveal(item, strip) {
    if (!item || !strip) return;
    const itemBox = item.getBoundingClientRect();
    const stripBox = strip.getBoundingClientRect();
    if (itemBox.left < stripBox.left || itemBox.right > stripBox.right) {
      strip.scrollLeft += itemBox.left - stripBox.left - (stripBox.width - itemBox.width) / 2;
    }
  }

  // Keep the address bar, the language links and the list of questions in step with the tab.
  function remember(tab) {
    const url = new URL(window.location.href);
    url.search = "";
    const example = asWritten(tab);
    if (example) {
      url.searchParams.set("example", example.id);
    } else {
      url.searchParams.set("query", tab.query ?? "");
      if (tab.variables) url.searchParams.set("variables", tab.variables);
    }
    url.searchParams.set("lang", lang);
    if (url.href !== window.location.href) window.history.replaceState(null, "", url);
    for (const link of document.querySelectorAll(".langs a[data-lang]")) {
      url.searchParams.set("lang", link.dataset.lang);
      link.href = url.pathname + url.search;
    }
    for (const link of document.querySelectorAll(".questions a[data-example]")) {
      link.search = new URLSearchParams({ example: link.dataset.example, lang }).toString();
      if (TAB_ID + link.dataset.example === tab.id) {
        link.setAttribute("aria-current", "true");
        reveal(link, link.parentElement);
      } else {
        link.removeAttribute("aria-current");
      }
    }
  }

  // What the page's own controls can ask of GraphiQL, set while it is mounted.
  const controls = { show: null };

  // Rendered inside GraphiQL (as a toolbar component) to reach its state; draws nothing.
  function Guide() {
    const editor = useEditorContext({ nonNull: true });
    const execution = useExecutionContext({ nonNull: true });
    const active = editor.tabs[editor.activeTabIndex];
    const ready = Boolean(editor.queryEditor && editor.variableEditor && editor.responseEditor);
    const fetching = useRef(false);
    const automatic = useRef(false);

    useEffect(() => remember(active), [active.id, active.query, active.variables]);

    // The active tab in sight, however many tabs there are.
    useEffect(() => {
      const button = document.getElementById("graphiql-session-tab-" + editor.activeTabIndex);
      if (button) reveal(button.closest(".graphiql-tab"), button.closest(".graphiql-tabs"));
    }, [editor.activeTabIndex, editor.tabs.length]);

    // A ready question shows its answer at once: run it when its tab opens without one. The
    // editor works out which operation to run 100 ms after its text changes (and then updates
    // the tab, so this runs again): until then it would run the previous tab's operation.
    useEffect(() => {
      const current = ready && editor.queryEditor.operationName === operationName(active.query);
      if (current && !active.response && !execution.isFetching && asWritten(active)) {
        automatic.current = true;
        execution.run();
      }
    }, [ready, active]);

    // After a run the reader asked for, bring the results into view where the panels stack.
    useEffect(() => {
      if (fetching.current && !execution.isFetching) {
        const response = document.querySelector(".graphiql-response");
        const hidden = response && response.getBoundingClientRect().top > window.innerHeight / 2;
        if (hidden && !automatic.current) response.scrollIntoView({ block: "start" });
        automatic.current = false;
      }
      fetching.current = execution.isFetching;
    }, [execution.isFetching]);

    useEffect(() => {
      controls.show = (id) => {
        const index = editor.tabs.findIndex((tab) => tab.id === TAB_ID + id);
        if (index < 0) return false;
        execution.stop();
        editor.changeTab(index);
        return true;
      };
      return () => {
        controls.show = null;
      };
    });

    return null;
  }

  // A ready question's link switches to its tab (it reloads the page only if that tab was closed).
  document.querySelector(".questions-list").addEventListener("click", (event) => {
    const link = event.target.closest("a[data-example]");
    const plain = event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey;
    if (link && plain && controls.show && controls.show(link.dataset.example)) {
      event.preventDefault();
    }
  });

  const copy = document.getElementById("copy-link");
  const copyLabel = copy.textContent;
  copy.addEventListener("click", () => {
    // Where the clipboard is refused, the address bar still holds the link to copy by hand.
    if (!navigator.clipboard) return;
    navigator.clipboard.writeText(window.location.href).then(
      () => {
        copy.textContent = copy.dataset.copied;
        window.setTimeout(() => (copy.textContent = copyLabel), 2000);
      },
      () => {}
    );
  });

  const explorer = GraphiQLPluginExplorer.explorerPlugin();
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: "/graphql" }),
      plugins: [explorer],
      // On a wide screen open on the Explorer, so a query can be built by ticking fields.
      visiblePlugin: narrow ? undefined : explorer,
      storage,
      query: start.query,
      variables: start.variables ?? undefined,
      defaultEditorToolsVisibility: Boolean(start.variables),
      toolbar: { additionalComponent: Guide },
    })
  );
})();
