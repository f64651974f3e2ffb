// Renders the math of the site's pages with MathJax 3 in Node, for hooks/math_render.py.
//
// Started once per build: `node math_render.js MATHJAX_JS_DIR` (the js/ folder of the npm
// package mathjax-full). It writes one line of JSON, {"version", "css"}, then answers each line
// of JSON on stdin, {"fragments": [html, ...]} (the elements of one page holding math, in page
// order), with one line {"fragments": [html or null], "counts": [n], "errors": [...], "glyphs"}:
// each fragment with its math typeset (null when it held none), how many formulas it held,
// every TeX error as {"fragment", "tex", "message"}, and the page's glyphs (below). A failure
// of the script itself is answered as {"failure": stack}.
//
// What is math follows the browser set-up the site had: the delimiters \( \), $ $, \[ \], $$ $$
// inside elements of class arithmatex (pymdownx.arithmatex) or jp-MarkdownOutput (notebook
// Markdown cells); any other class is skipped with all it holds, an element without a class
// follows its parent. Output: SVG drawn in currentColor, plus MathJax's hidden MathML copy for
// screen readers. Each formula's TeX is kept in a data-tex attribute of its mjx-container.
// The outline of each glyph a page uses is written once per page, in one hidden <svg> (MathJax's
// fontCache "global"; "glyphs" in the answer), which every formula of the page refers to.
"use strict";

const readline = require("readline");

const MJ = process.argv[2];
const { mathjax } = require(`${MJ}/mathjax.js`);
const { TeX } = require(`${MJ}/input/tex.js`);
const { SVG } = require(`${MJ}/output/svg.js`);
const { liteAdaptor } = require(`${MJ}/adaptors/liteAdaptor.js`);
const { RegisterHTMLHandler } = require(`${MJ}/handlers/html.js`);
const { AssistiveMmlHandler } = require(`${MJ}/a11y/assistive-mml.js`);
// Every named HTML entity, so a fragment's &name; is read without MathJax's on-demand loader.
require(`${MJ}/util/entities/all.js`);

// The TeX packages the pages use (base: the core macros; ams: \tfrac, \lVert, \operatorname,
// \tag, align...; newcommand: \newcommand in a page). A macro of any other package is an
// "Undefined control sequence" error that fails the build: add its package here (a folder of
// js/input/tex/, e.g. "boldsymbol" or "cancel") and to PACKAGES.
const PACKAGES = ["base", "ams", "newcommand"];
const CONFIGURATIONS = {
  base: "base/BaseConfiguration.js",
  ams: "ams/AmsConfiguration.js",
  newcommand: "newcommand/NewcommandConfiguration.js",
};
for (const name of PACKAGES) require(`${MJ}/input/tex/${CONFIGURATIONS[name]}`);

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

const DOCUMENT_OPTIONS = {
  ignoreHtmlClass: ".+",
  processHtmlClass: "arithmatex|jp-MarkdownOutput",
};

function texInput() {
  return new TeX({
    packages: PACKAGES,
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  });
}

// The messages of the TeX errors in a formula (MathJax typesets an error as an merror node).
function errorsOf(item) {
  const messages = [];
  item.root.walkTree((node) => {
    if (node.isKind("merror")) messages.push(node.attributes.get("data-mjx-error") || "TeX error");
  });
  return messages;
}

// One page: a fresh MathJax document (equation labels, \eqref and glyph ids are per page) over
// the page's fragments side by side, so a \label in one formula is found by \eqref in another.
function renderPage(fragments) {
  const html = "<!DOCTYPE html><html><head></head><body>" + fragments.join("") + "</body></html>";
  const doc = mathjax.document(html, {
    ...DOCUMENT_OPTIONS,
    InputJax: texInput(),
    OutputJax: new SVG({ fontCache: "global" }),
  });
  doc.render();
  const nodes = [...adaptor.childNodes(adaptor.body(doc.document))];
  // MathJax appends the hidden <svg> of the page's glyphs after the fragments.
  const glyphs = nodes.length === fragments.length + 1 ? nodes.pop() : null;
  if (nodes.length !== fragments.length) {
    throw new Error(`${fragments.length} fragments were sent, ${nodes.length} parsed`);
  }
  const counts = nodes.map(() => 0);
  const errors = [];
  for (const item of doc.math) {
    const root = item.typesetRoot;
    adaptor.setAttribute(root, "data-tex", item.math);
    // a tab stop, as MathJax's own menu made it: the keyboard's menu key opens Copy TeX
    adaptor.setAttribute(root, "tabindex", "0");
    let top = root;
    while (adaptor.parent(top) !== adaptor.body(doc.document)) top = adaptor.parent(top);
    const fragment = nodes.indexOf(top);
    counts[fragment] += 1;
    for (const message of errorsOf(item)) errors.push({ fragment, tex: item.math, message });
  }
  return {
    fragments: nodes.map((node, i) => (counts[i] ? adaptor.outerHTML(node) : null)),
    counts,
    errors,
    glyphs: glyphs && adaptor.outerHTML(glyphs),
  };
}

function styleSheet() {
  const doc = mathjax.document("", {
    ...DOCUMENT_OPTIONS,
    InputJax: texInput(),
    OutputJax: new SVG({ fontCache: "global" }),
  });
  return adaptor.textContent(doc.outputJax.styleSheet(doc));
}

process.stdout.write(JSON.stringify({ version: mathjax.version, css: styleSheet() }) + "\n");

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  let answer;
  try {
    answer = renderPage(JSON.parse(line).fragments);
  } catch (error) {
    answer = { failure: String((error && error.stack) || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
