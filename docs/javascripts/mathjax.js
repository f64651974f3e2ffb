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
    ignoreHtmlClass: ".*|",
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
