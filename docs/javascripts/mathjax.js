// MathJax 3 set-up for pymdownx.arithmatex (generic mode) and notebook pages.
// On a first full page load MathJax typesets by itself, so the first emission of
// Material's document$ is skipped; a reset then re-typeset on that emission would
// typeset twice or blank the glyphs. Later emissions come from instant navigation
// and are chained onto MathJax's own startup promise.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    // Typeset only inside .arithmatex (pymdownx.arithmatex) and .jp-MarkdownOutput (notebook
    // Markdown cells). An element with any other class is skipped with all it holds; an element
    // without a class follows its parent, so the plain <p> and <li> that nbconvert writes inside
    // a notebook's Markdown output are typeset. (Material's documented ".*|" also matches the
    // empty class, which leaves notebook math raw.)
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-MarkdownOutput",
  },
  startup: {
    ready() {
      MathJax.startup.defaultReady();
      // The context menu comes after the math is on screen (see loadMenu).
      MathJax.startup.promise.then(() => document.fonts.ready).then(whenIdle).then(loadMenu);
    },
  },
};

// MathJax's context menu (right-click an equation: Copy to Clipboard > TeX Commands gives its
// TeX) is a third of MathJax's size and nothing a reader needs before the math is shown, so the
// site's MathJax file leaves it out (hooks/mathjax_assets.py). It is loaded here once the first
// typeset is done, and attached to each equation as MathJax's own menu handler would.
let menu = null;
// The <style> elements the menu adds to <head>. Material's instant navigation swaps <head>'s
// styles for the new page's and drops them (the menu then shows as plain text in a corner), so
// they are put back after each navigation.
let menuStyles = [];

function whenIdle() {
  return new Promise((resolve) =>
    window.requestIdleCallback ? requestIdleCallback(resolve, { timeout: 1000 }) : setTimeout(resolve, 0)
  );
}

function loadMenu() {
  menu ??= MathJax.loader.load("ui/menu").then(() => {
    const doc = MathJax.startup.document;
    const before = new Set(document.head.querySelectorAll("style"));
    doc.menu = new MathJax._.ui.menu.Menu.Menu(doc);
    menuStyles = [...document.head.querySelectorAll("style")].filter((s) => !before.has(s));
    attachMenu();
  });
  return menu;
}

function attachMenu() {
  const doc = MathJax.startup.document;
  if (!doc.menu) return; // not loaded yet: loadMenu attaches it to all math when it is
  for (const style of menuStyles) {
    if (!style.isConnected) document.head.appendChild(style);
  }
  for (const math of doc.math) {
    if (!math.hasMenu) {
      doc.menu.addMenu(math);
      math.hasMenu = true;
    }
  }
}

let firstEmission = true;
document$.subscribe(() => {
  if (firstEmission) {
    firstEmission = false;
    return;
  }
  MathJax.startup.promise = MathJax.startup.promise.then(() => {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    if (MathJax.startup.document.menu) MathJax.startup.document.menu.clear();
    return MathJax.typesetPromise().then(attachMenu);
  });
});
