// Copy math as TeX. The build typesets every formula (hooks/math_render.py) and keeps its TeX
// in the data-tex attribute of its mjx-container; no MathJax runs in the browser.
// * Right-click a formula, or focus it (Tab) and press the menu key or Shift+F10: a small menu
//   whose item copies its TeX.
// * Copy a selection that holds math: the clipboard gets text with each formula as $TeX$
//   ($$TeX$$ for a display formula). (No HTML: the formulas' glyphs are outlines defined once
//   per page, which a copy elsewhere would not have.)
// The listeners sit on the document, so they also serve the pages that Material's instant
// navigation swaps in.
(() => {
  const MATH = "mjx-container[data-tex]";
  let menu = null;

  function closeMenu() {
    if (menu) menu.remove();
    menu = null;
  }

  function openMenu(math, x, y) {
    closeMenu();
    menu = document.createElement("div");
    menu.className = "math-menu";
    menu.setAttribute("role", "menu");
    const item = document.createElement("button");
    item.type = "button";
    item.className = "math-menu__item";
    item.setAttribute("role", "menuitem");
    item.textContent = "Copy TeX";
    item.addEventListener("click", () => {
      closeMenu();
      navigator.clipboard.writeText(math.dataset.tex);
    });
    menu.append(item);
    document.body.append(menu);
    // Where the pointer is, kept inside the window; it scrolls with the page.
    const box = menu.getBoundingClientRect();
    const left = Math.max(0, Math.min(x, window.innerWidth - box.width - 4));
    const top = Math.max(0, Math.min(y, window.innerHeight - box.height - 4));
    menu.style.left = `${left + window.scrollX}px`;
    menu.style.top = `${top + window.scrollY}px`;
    item.focus({ preventScroll: true });
  }

  document.addEventListener("contextmenu", (event) => {
    const math = event.target instanceof Element && event.target.closest(MATH);
    if (!math) return; // the browser's own menu everywhere else
    event.preventDefault();
    // From the keyboard (menu key, Shift+F10) the event has no pointer position: under the formula.
    const box = math.getBoundingClientRect();
    const fromKeyboard = event.clientX === 0 && event.clientY === 0;
    openMenu(math, fromKeyboard ? box.left : event.clientX, fromKeyboard ? box.bottom : event.clientY);
  });
  document.addEventListener("pointerdown", (event) => {
    if (menu && !menu.contains(event.target)) closeMenu();
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeMenu();
  });
  window.addEventListener("resize", closeMenu);
  if (window.document$) document$.subscribe(closeMenu); // instant navigation

  // The plain text of copied nodes, each formula as its TeX; block elements on lines of their own.
  const BLOCK = /^(p|div|li|ul|ol|h[1-6]|pre|blockquote|table|tr|details|summary|figure|figcaption|dl|dt|dd)$/;
  const texOf = (math) =>
    math.getAttribute("display") === "true" ? `\n$$${math.dataset.tex}$$\n` : `$${math.dataset.tex}$`;
  function plain(node, inPre) {
    if (node.nodeType === Node.TEXT_NODE) return inPre ? node.data : node.data.replace(/\s+/g, " ");
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return "";
    if (node.matches?.(MATH)) return texOf(node);
    const name = node.localName || "";
    if (name === "br") return "\n";
    if (/^(script|style|svg|mjx-assistive-mml|button)$/.test(name)) return "";
    const pre = inPre || name === "pre";
    const text = [...node.childNodes].map((child) => plain(child, pre)).join("");
    return BLOCK.test(name) ? `\n${text}\n` : text;
  }

  document.addEventListener("copy", (event) => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !event.clipboardData) return;
    const start = selection.getRangeAt(0).commonAncestorContainer;
    const within = (start instanceof Element ? start : start.parentElement)?.closest(MATH);
    let text;
    if (within) {
      text = within.dataset.tex; // part of one formula: all of its TeX
    } else {
      const copied = document.createElement("div");
      for (let i = 0; i < selection.rangeCount; i++) copied.append(selection.getRangeAt(i).cloneContents());
      if (!copied.querySelector(MATH)) return; // no math: the browser copies as usual
      text = plain(copied, false).replace(/[ \t]*\n[ \t]*/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
    }
    event.clipboardData.setData("text/plain", text);
    event.preventDefault();
  });
})();
