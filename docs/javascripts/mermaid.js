// Material for MkDocs draws ```mermaid diagrams with the global `mermaid`, and fetches the
// library from a CDN only when that global is missing. This small stand-in is that global: on
// the first diagram it loads the copy the site serves itself (vendor/mermaid.min.js, mermaid
// 11.17.2 from npm, MIT licence beside it), hands it Material's settings and lets it draw. Pages
// without diagrams download nothing more, and no page loads anything from another origin.
(() => {
  const source = new URL("vendor/mermaid.min.js", document.currentScript.src).href;
  let settings = {};
  let library = null;

  function load() {
    library ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = source;
      script.onload = () => {
        // The library has now replaced this stand-in as window.mermaid.
        window.mermaid.initialize(settings);
        resolve(window.mermaid);
      };
      script.onerror = () => reject(new Error(`could not load ${source}`));
      document.head.appendChild(script);
    });
    return library;
  }

  window.mermaid = {
    initialize(config) {
      settings = config;
    },
    render(...args) {
      return load().then((mermaid) => mermaid.render(...args));
    },
  };
})();
