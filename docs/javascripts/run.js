// Run, Edit, Reset and Stop under every python block that shows code, and under every code
// cell of a notebook page that computes (nbconvert's markup: the bar goes under the cell's input,
// a run's output replaces the cell's output until Reset). The code runs in the
// reader's browser, in a Web Worker (run-worker.js) with Pyodide, numpy and this site's package,
// served by the site or a CDN as the build was told (hooks/pyodide_runtime.py). Nothing is
// downloaded before the reader points at, focuses or clicks a Run button. A reader who has run
// code here before, and whose browser still holds the runtime's files, finds Python starting by
// itself (in the worker, a few seconds of CPU), so it is ready when they click: on a page with
// blocks that run, as soon as this script runs, while the page is still being parsed (it is
// loaded async in the page's head, overrides/main.html); on a page reached by instant navigation,
// as it is set up.
//
// Each page describes its blocks in the data-blocks attribute (JSON) of a hidden div.run-blocks:
// one entry per python block that shows code (or notebook code cell), in page order, {session,
// run, why}; this script's tag says in data-runtime where the runtime's files are. Blocks of one session share a namespace, as in
// the build: running a block first runs the earlier blocks of its session, unless they have
// just run in order. Every page starts with fresh namespaces.
//
// The site's own code always runs in a Python that has run only the site's own code: once the
// reader has run code they edited (which may change NumPy's print or error settings, a module,
// sys), the next run of the page's own code, and the next page, start a fresh Python. Otherwise
// Python is kept when instant navigation moves to another page, so that page's first Run does
// not load it again. A Python that dies (a fatal error) is replaced at the next Run.
(() => {
  "use strict";
  const script = document.currentScript;
  const here = script.src;
  const base = new URL("../assets/pyodide/", here).href;
  // Where the runtime's files are (the same on every page), with absolute URLs.
  const runtime = runtimeURLs(JSON.parse(script.dataset.runtime));
  const workerURL = new URL("run-worker.js", here).href;
  // Loading is reported as failed at once when a request fails, and after this long without
  // progress from one stage to the next (the longest, compiling the 10 MB WebAssembly, takes
  // 2-5 s on a 2-core machine; a slow connection needs more for the download).
  const STALL_MS = 60000;
  // Printed text reaches the page at most this often, and the page keeps this many lines of a
  // run's output (the last ones; the box says how many were printed).
  const FLUSH_MS = 50;
  const KEEP_LINES = 1000;
  const CHUNK_LINES = 100; // lines per span: the browser lays out only those in view (extra.css)
  const INDENT = "    ";
  // localStorage: this browser has loaded Python here (the version it loaded).
  const LOADED_KEY = "backprop-run: Python loaded";

  let page = null; // the current page's state
  let setUpOnce = false; // a page has been set up (from then on, page null: no block runs here)
  let python = null; // the worker: {worker, ready, pending, nextId, edited, isReady, dead}
  let startedOnce = false; // a Python was started in this tab (its files are in the cache)
  let ownFocus = false; // focus moved by this script, not by the reader

  function button(label, title, primary) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "md-button run-button" + (primary ? " md-button--primary" : "");
    b.textContent = label;
    b.title = title;
    return b;
  }

  function status(block, text, error) {
    block.status.textContent = text;
    block.status.classList.toggle("run-error-text", Boolean(error));
  }

  // ---- output, as it is printed ------------------------------------------------------------

  function outputBox(block) {
    if (!block.result) {
      block.result = document.createElement("div");
      block.result.className = "result";
      block.result.innerHTML = '<div class="language-text highlight"><pre><code></code></pre></div>';
      block.bar.after(block.result);
    }
    return block.result.querySelector("code");
  }

  function newlinesIn(text) {
    let n = 0;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
    return n;
  }

  function afterNewline(text, count, from = 0) {
    // The index just after the count-th newline of text from index from (its end if fewer).
    let i = from - 1;
    for (let k = 0; k < count; k++) {
      i = text.indexOf("\n", i + 1);
      if (i === -1) return text.length;
    }
    return i + 1;
  }

  // What one run of one block printed: text arrives in pieces (write) and is put on the page at
  // most every FLUSH_MS (render). Complete lines go into new block-level spans of CHUNK_LINES
  // lines, which the browser lays out only when in view; the unfinished last line stays a text
  // node after them until it is complete. Beyond KEEP_LINES the oldest lines are dropped: neither a flood of
  // lines nor a long box slows the page.
  function newOutput(block) {
    return { block, pending: "", timer: 0, started: false, printed: 0, ends: true, chunks: [], kept: 0, tail: null };
  }

  function write(out, text) {
    if (!text || out.block.output !== out) return;
    out.pending += text;
    if (!out.timer) out.timer = setTimeout(() => render(out), FLUSH_MS);
  }

  function render(out) {
    clearTimeout(out.timer);
    out.timer = 0;
    const block = out.block;
    if (block.output !== out) return;
    const code = outputBox(block);
    if (!out.started) {
      out.started = true;
      code.textContent = "";
      if (block.built) block.built.hidden = true;
      block.result.classList.add("run-output");
      block.result.classList.remove("run-error");
      if (!block.lines) {
        block.lines = document.createElement("p");
        block.lines.className = "run-lines";
        block.result.append(block.lines);
      }
    }
    if (out.pending) {
      out.printed += newlinesIn(out.pending);
      out.ends = out.pending.endsWith("\n");
      const atEnd = code.scrollHeight - code.scrollTop - code.clientHeight < 8;
      let text = (out.tail ? out.tail.data : "") + out.pending;
      out.pending = "";
      if (out.tail) out.tail.remove();
      out.tail = null;
      const cut = text.lastIndexOf("\n") + 1;
      let whole = text.slice(0, cut);
      let lines = newlinesIn(whole);
      if (lines >= KEEP_LINES) {
        for (const chunk of out.chunks) chunk.span.remove();
        out.chunks = [];
        out.kept = 0;
        whole = whole.slice(afterNewline(whole, lines - KEEP_LINES));
        lines = KEEP_LINES;
      }
      for (let from = 0; from < whole.length;) {
        const to = afterNewline(whole, CHUNK_LINES, from);
        const span = document.createElement("span");
        span.className = "run-chunk";
        span.textContent = whole.slice(from, to);
        const n = Math.min(CHUNK_LINES, lines);
        span.style.setProperty("--lines", n);
        code.append(span);
        out.chunks.push({ span, lines: n });
        out.kept += n;
        lines -= n;
        from = to;
      }
      if (cut < text.length) {
        out.tail = document.createTextNode(text.slice(cut));
        code.append(out.tail);
      }
      while (out.kept > KEEP_LINES) {
        const first = out.chunks[0];
        const excess = out.kept - KEEP_LINES;
        if (first.lines <= excess) {
          first.span.remove();
          out.chunks.shift();
          out.kept -= first.lines;
        } else {
          first.span.firstChild.deleteData(0, afterNewline(first.span.firstChild.data, excess));
          first.lines -= excess;
          out.kept -= excess;
        }
      }
      code.classList.toggle("run-many", out.kept > CHUNK_LINES);
      if (atEnd) code.scrollTop = code.scrollHeight;
    }
    const printed = out.printed + (out.ends ? 0 : 1);
    const shown = out.kept + (out.ends ? 0 : 1);
    const plural = (n) => `${n.toLocaleString("en")} line${n === 1 ? "" : "s"}`;
    if (printed > shown) block.lines.textContent = `${plural(printed)} printed; the last ${plural(shown)} are kept here.`;
    else if (code.scrollHeight > code.clientHeight + 1) block.lines.textContent = `${plural(printed)}; scroll to see them all.`;
    else block.lines.textContent = "";
    // A box that scrolls can be scrolled from the keyboard too.
    if (block.lines.textContent) code.tabIndex = 0;
    else code.removeAttribute("tabindex");
  }

  // The run has ended: everything printed is shown, then the error (a traceback), if any.
  function finish(out, error) {
    const block = out.block;
    if (block.output !== out) return;
    if (error) out.pending += error;
    if (!out.pending && !out.started && block.originalResult === null && !block.built) {
      // Nothing printed, as in the build: no output box.
      if (block.result) block.result.remove();
      block.result = null;
      block.lines = null;
      return;
    }
    render(out);
    const last = out.tail ? null : out.chunks[out.chunks.length - 1];
    if (last && last.span.textContent.endsWith("\n")) last.span.firstChild.deleteData(last.span.textContent.length - 1, 1);
    block.result.classList.toggle("run-error", Boolean(error));
  }

  // ---- the worker --------------------------------------------------------------------------

  function runtimeURLs(described) {
    const url = (u) => new URL(u, base).href;
    return {
      ...described,
      script: url(described.script),
      index: url(described.index),
      lock: url(described.lock),
      wheel: url(described.wheel),
      files: url(described.files),
      stdlib: url(described.stdlib),
      bytecode: url(described.bytecode),
      prefetch: described.prefetch.map(url),
      integrity: Object.fromEntries(Object.entries(described.integrity).map(([u, h]) => [url(u), h])),
    };
  }

  function startWorker() {
    const w = {
      // The runtime goes in the worker's name, which it reads as it starts (run-worker.js).
      worker: new Worker(workerURL, { name: JSON.stringify(runtime) }),
      pending: new Map(), nextId: 0, edited: false, isReady: false, dead: null,
    };
    w.ready = new Promise((resolve, reject) => {
      let timer;
      const stalled = () => {
        clearTimeout(timer);
        timer = setTimeout(() => w.fail(`no progress for ${STALL_MS / 1000} s`), STALL_MS);
      };
      stalled();
      w.onStage = (stage) => {
        stalled();
        if (page && page.loadingBlock && page.busy) status(page.loadingBlock, `Loading Python: ${stage} ready…`);
      };
      w.fail = (message) => {
        clearTimeout(timer);
        if (!w.dead) w.dead = message;
        reject(new Error(message));
        for (const { reject: r } of w.pending.values()) r(new Error(message));
        w.pending.clear();
      };
      w.done = () => {
        clearTimeout(timer);
        w.isReady = true;
        startedOnce = true;
        try {
          localStorage.setItem(LOADED_KEY, runtime.pyodide);
        } catch (error) {} // storage refused: no start before the reader points at Run
        resolve();
      };
    });
    w.ready.catch(() => {}); // reported by whoever awaits it
    w.worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === "output") {
        const p = w.pending.get(m.id);
        if (p) p.output(m.text);
      } else if (m.type === "stage") w.onStage(m.stage);
      else if (m.type === "ready") w.done();
      else if (m.type === "failed") w.fail(m.message);
      else if (m.type === "result") {
        const p = w.pending.get(m.id);
        w.pending.delete(m.id);
        if (m.fatal) w.dead = m.fatal;
        if (p) p.resolve(m);
      }
    };
    w.worker.onerror = (event) => {
      event.preventDefault();
      w.fail(event.message || "the worker script could not be loaded");
    };
    return w;
  }

  function runInWorker(w, code, filename, session, fresh, output) {
    return new Promise((resolve, reject) => {
      const id = w.nextId++;
      w.pending.set(id, { resolve, reject, output });
      w.worker.postMessage({ type: "run", id, code, filename, session, fresh });
    });
  }

  function endPython(reason) {
    if (python) {
      python.worker.terminate();
      python.fail(reason);
      python = null;
    }
    if (page) page.ranThrough.clear();
  }

  // The reader shows they may run something (points at or focuses a Run button): start Python.
  function warmUp() {
    if (!python && page) python = startWorker();
  }

  // A returning reader: Python was loaded in this browser before and every file of the runtime
  // from this site is still in its HTTP cache (asked with only-if-cached: nothing is
  // downloaded to find out). Python is then started without waiting for the reader, unless the
  // page has been set up meanwhile and has no block that runs.
  let checking = false;
  async function startIfCached() {
    if (python || checking) return;
    checking = true;
    try {
      if (localStorage.getItem(LOADED_KEY) !== runtime.pyodide) return;
      const own = [workerURL, runtime.script, runtime.index + "pyodide.asm.js", ...runtime.prefetch]
        .filter((u) => new URL(u).origin === location.origin);
      const cached = await Promise.all(own.map((u) => fetch(u, { cache: "only-if-cached", mode: "same-origin" })));
      for (const response of cached) if (response.body) response.body.cancel();
      if (!cached.every((response) => response.ok)) return;
    } catch (error) {
      return; // not in the cache (a network error), or no storage
    } finally {
      checking = false;
    }
    if (!python && (page || !setUpOnce)) {
      python = startWorker();
      python.cached = true;
    }
  }

  // ---- one block ---------------------------------------------------------------------------

  function currentCode(block) {
    return block.editor ? block.editor.value : block.original;
  }

  function invalidate(block) {
    // An edit changes what later blocks of the session start from: replay them next time.
    const done = page.ranThrough.get(block.session);
    if (done !== undefined && done >= block.position) page.ranThrough.delete(block.session);
  }

  // The blocks a Run of block runs: it, after the earlier blocks of its session unless they ran.
  function chainOf(block) {
    if (!block.session) return { chain: [block], fresh: true };
    if (page.ranThrough.get(block.session) === block.position - 1) return { chain: [block], fresh: false };
    return { chain: [...page.sessions.get(block.session).slice(0, block.position), block], fresh: true };
  }

  function setBusy(busy, runner) {
    const focused = document.activeElement;
    page.busy = busy;
    for (const b of page.blocks) {
      b.stop.hidden = !(busy && b === runner);
      b.run.disabled = busy;
    }
    // A keyboard user keeps their place: from Run to Stop while it runs, and back to Run.
    ownFocus = true;
    if (busy && focused === runner.run) runner.stop.focus();
    if (!busy && (focused === runner.stop || focused === document.body || focused === null)) runner.run.focus();
    ownFocus = false;
  }

  async function run(block) {
    if (page.busy) return;
    const state = page;
    setBusy(true, block);
    const clicked = performance.now();
    let w = null;
    try {
      let { chain, fresh } = chainOf(block);
      const own = chain.every((b) => currentCode(b) === b.original);
      if (python && (python.dead || (python.edited && own))) {
        endPython("replaced");
        ({ chain, fresh } = chainOf(block));
      }
      if (!python) python = startWorker();
      w = python;
      if (!w.isReady) {
        state.loadingBlock = block;
        status(block, startedOnce ? "Starting a fresh Python…" : w.cached ? "Starting Python…"
                              : `Loading Python (the first run downloads about ${runtime.download_mb} MB)…`);
      }
      await w.ready;
      if (!own) w.edited = true;
      for (const [i, b] of chain.entries()) {
        if (b !== block) status(block, `Running the session's earlier block ${b.index + 1}…`);
        else status(block, "Running…");
        const out = newOutput(b);
        b.output = out;
        const r = await runInWorker(w, currentCode(b), `<code block ${b.index + 1}>`, b.session,
                                    fresh && i === 0, (text) => write(out, text));
        if (state !== page) return;
        finish(out, r.fatal ? null : r.error);
        if (r.fatal) {
          if (python === w) endPython("died");
          status(block, `${r.fatal}. What it printed is shown; the next Run starts a fresh Python.`, true);
          return;
        }
        if (r.error) {
          state.ranThrough.delete(b.session);
          status(block, b === block ? "Error (shown below)." : `Block ${b.index + 1}, which this one continues, failed.`, true);
          return;
        }
        if (b.session) state.ranThrough.set(b.session, b.position);
      }
      const took = ((performance.now() - clicked) / 1000).toFixed(2);
      status(block, `Ran in your browser (${took} s)` + (block.result ? "." : "; it printed nothing."));
    } catch (error) {
      if (state !== page) return;
      for (const b of page.blocks) if (b.output) finish(b.output, null);
      if (error.message === "stopped") status(block, "Stopped. The next Run starts Python again.", true);
      else if (w && w.isReady) {
        status(block, `Python stopped (${error.message}). The next Run starts a fresh Python.`, true);
        if (python === w) endPython("died");
      } else {
        status(block, `Python could not be loaded: ${error.message}. The output shown is the build's.`, true);
        if (python === w) endPython("failed");
      }
    } finally {
      for (const b of state.blocks) b.output = null;
      if (state === page) setBusy(false, block);
    }
  }

  // ---- the editor --------------------------------------------------------------------------

  // Replaces the text from start to end with text, as typing would (so Undo undoes it), and
  // selects from selStart to selEnd of the result.
  function replaceText(editor, start, end, text, selStart, selEnd) {
    editor.focus();
    editor.setSelectionRange(start, end);
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      editor.setRangeText(text, start, end, "end");
      editor.dispatchEvent(new Event("input"));
    }
    editor.setSelectionRange(selStart, selEnd);
  }

  // Tab and Shift+Tab indent and dedent the selected lines (or insert spaces at the caret);
  // Enter keeps the line's indentation (one more level after a colon); Escape, then Tab, leaves
  // the editor; Shift+Enter runs the block.
  function onEditorKey(block, editor, event) {
    const { value, selectionStart: start, selectionEnd: end } = editor;
    if (event.isComposing || ["Shift", "Control", "Alt", "Meta"].includes(event.key)) return;
    if (event.key === "Escape") {
      editor.escaped = true;
      return;
    }
    const escaped = editor.escaped;
    editor.escaped = false;
    if (event.key === "Enter" && event.shiftKey) {
      event.preventDefault();
      run(block);
    } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      const lineStart = value.lastIndexOf("\n", start - 1) + 1;
      const indent = /^[ \t]*/.exec(value.slice(lineStart, start))[0];
      const more = /:\s*$/.test(value.slice(lineStart, start)) ? INDENT : "";
      const text = "\n" + indent + more;
      replaceText(editor, start, end, text, start + text.length, start + text.length);
    } else if (event.key === "Tab" && !escaped && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      const lineStart = value.lastIndexOf("\n", start - 1) + 1;
      const multiline = value.slice(start, end).includes("\n");
      if (!event.shiftKey && !multiline) {
        const column = start - lineStart;
        const text = " ".repeat(INDENT.length - (column % INDENT.length));
        replaceText(editor, start, end, text, start + text.length, start + text.length);
        return;
      }
      // The whole lines the selection touches (a selection ending at a line's start leaves it).
      const lastEnd = end > start && value[end - 1] === "\n" ? end - 1 : end;
      let lineEnd = value.indexOf("\n", lastEnd);
      if (lineEnd === -1) lineEnd = value.length;
      const lines = value.slice(lineStart, lineEnd).split("\n");
      const changed = lines.map((line) => {
        if (!event.shiftKey) return line.trim() ? INDENT + line : line;
        return line.slice(Math.min(INDENT.length, /^ */.exec(line)[0].length));
      });
      const first = changed[0].length - lines[0].length;
      const text = changed.join("\n");
      const total = text.length - (lineEnd - lineStart);
      const selStart = Math.max(lineStart, start + first);
      replaceText(editor, lineStart, lineEnd, text, multiline ? lineStart : selStart,
                  multiline ? lineStart + text.length : Math.max(selStart, end + total));
    }
  }

  function edit(block) {
    if (block.editor) return;
    const editor = document.createElement("textarea");
    editor.className = "run-editor";
    editor.value = block.original.replace(/\n$/, "");
    editor.rows = Math.max(3, editor.value.split("\n").length + 1);
    editor.spellcheck = false;
    editor.setAttribute("autocapitalize", "off");
    editor.setAttribute("autocomplete", "off");
    editor.setAttribute("aria-label", `Code of block ${block.index + 1}. Tab indents, Shift+Tab dedents, `
                        + "Shift+Enter runs it, Escape then Tab leaves the editor");
    editor.addEventListener("keydown", (event) => onEditorKey(block, editor, event));
    editor.addEventListener("input", () => invalidate(block));
    block.code.hidden = true;
    block.code.after(editor);
    block.editor = editor;
    block.edit.hidden = true;
    block.reset.hidden = false;
    invalidate(block);
    // At the start of the code, as the block showed it.
    editor.setSelectionRange(0, 0);
    editor.focus({ preventScroll: true });
    editor.scrollTop = 0;
    editor.scrollLeft = 0;
  }

  function reset(block) {
    if (block.editor) block.editor.remove();
    block.editor = null;
    block.code.hidden = false;
    block.edit.hidden = false;
    block.reset.hidden = true;
    if (block.result && block.originalResult === null) {
      block.result.remove();
      block.result = null;
    } else if (block.result) {
      block.result.innerHTML = block.originalResult;
      block.result.classList.remove("run-output", "run-error");
    }
    block.lines = null;
    if (block.built) block.built.hidden = false;
    status(block, "");
    invalidate(block);
    ownFocus = true;
    block.edit.focus();
    ownFocus = false;
    // Back to the page's own code: a Python that ran edited code is replaced now, so the next
    // Run does not wait for it.
    if (python && python.edited && !page.busy && !page.blocks.some((b) => b.editor)) {
      endPython("replaced");
      python = startWorker();
    }
  }

  // ---- the page ----------------------------------------------------------------------------

  function setUp() {
    setUpOnce = true;
    // Python goes on to the new page if it is idle and ran only the site's own code; the new
    // page's namespaces are fresh either way.
    if (python && (python.edited || python.dead || (page && page.busy))) endPython("stopped");
    if (python) python.worker.postMessage({ type: "forget" });
    page = null;
    const data = document.querySelector(".md-content .run-blocks");
    if (!data) return;
    const entries = JSON.parse(data.dataset.blocks);
    const codes = document.querySelectorAll(
      ".md-content div.language-python.highlight, .md-content .jp-CodeCell .highlight-ipynb");
    if (codes.length !== entries.length) {
      console.error(`run.js: ${codes.length} python blocks on the page, ${entries.length} described`);
      return;
    }
    page = { blocks: [], sessions: new Map(), ranThrough: new Map(), busy: false };
    entries.forEach((entry, index) => {
      const code = codes[index];
      // A notebook's code cell: the bar goes under its input; its output (block.built) is hidden
      // while a run's output is shown.
      const cell = code.closest(".jp-CodeCell");
      const anchor = cell ? cell.querySelector(".jp-Cell-inputWrapper") : code;
      if (!entry.run) {
        if (entry.why) {
          const note = document.createElement("p");
          note.className = "run-bar run-status";
          note.textContent = `This ${cell ? "cell" : "block"} runs in the site's build only: ${entry.why}.`;
          anchor.after(note);
        }
        return;
      }
      const next = anchor.nextElementSibling;
      const result = !cell && next && next.classList.contains("result") ? next : null;
      const block = {
        index,
        session: entry.session,
        code,
        original: (cell ? cell.querySelector(".clipboard-copy-txt") : code.querySelector("code")).textContent,
        result,
        originalResult: result ? result.innerHTML : null,
        built: cell ? cell.querySelector(".jp-Cell-outputWrapper") : null,
        editor: null,
        output: null,
        lines: null,
      };
      if (block.session) {
        if (!page.sessions.has(block.session)) page.sessions.set(block.session, []);
        block.position = page.sessions.get(block.session).length;
        page.sessions.get(block.session).push(block);
      }
      block.bar = document.createElement("div");
      block.bar.className = "run-bar";
      block.bar.setAttribute("role", "group");
      block.bar.setAttribute("aria-label", `Run code block ${index + 1} in your browser`);
      block.run = button("Run", "Run this block in your browser (Python in WebAssembly)", true);
      block.edit = button("Edit", "Change this block's code; Shift+Enter runs it");
      block.reset = button("Reset", "Restore the original code and output");
      block.stop = button("Stop", "Stop Python (the next Run starts it again)");
      block.reset.hidden = true;
      block.stop.hidden = true;
      block.status = document.createElement("span");
      block.status.className = "run-status";
      block.status.setAttribute("role", "status");
      block.status.setAttribute("aria-live", "polite");
      block.run.addEventListener("click", () => run(block));
      block.run.addEventListener("pointerenter", (event) => event.pointerType !== "touch" && warmUp());
      block.run.addEventListener("focus", () => ownFocus || warmUp());
      block.edit.addEventListener("click", () => edit(block));
      block.reset.addEventListener("click", () => reset(block));
      block.stop.addEventListener("click", () => endPython("stopped"));
      block.bar.append(block.run, block.edit, block.reset, block.stop, block.status);
      anchor.after(block.bar);
      page.blocks.push(block);
    });
    startIfCached();
  }

  if (script.hasAttribute("data-start-early")) startIfCached();
  // Material's document$ (its bundle comes after this script) announces each page, the first
  // and every one instant navigation brings.
  const subscribe = () => document$.subscribe(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", subscribe, { once: true });
  else subscribe();
})();
