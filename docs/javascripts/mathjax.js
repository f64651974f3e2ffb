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
};

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
    return MathJax.typesetPromise();
  });
});
