// Run, Edit, Reset and Stop under every python block that shows code. The code runs in the
// reader's browser, in a Web Worker (run-worker.js) with Pyodide, numpy and this site's package,
// all served by the site (assets/pyodide/, see hooks/pyodide_runtime.py and its NOTICE.txt).
// Nothing is downloaded before the first click on Run.
//
// Each page describes its blocks in the data-blocks attribute (JSON) of a hidden div.run-blocks:
// one entry per python block that shows code, in page order, {session, run, why}. Blocks of one session
// share a namespace, as in the build: running a block first runs the earlier blocks of its
// session, unless they have just run in order. Every page starts with fresh namespaces. Python
// (the worker) is kept when instant navigation moves to another page, so that page's first Run
// does not load it again, unless the reader ran code they had edited, which may have changed
// what Python holds (a module's state, sys): then the next page starts a new one.
(() => {
  "use strict";
  const here = document.currentScript.src;
  const base = new URL("../assets/pyodide/", here).href;
  const workerURL = new URL("run-worker.js", here).href;
  // Loading is reported as failed at once when a request fails, and after this long without
  // progress from one stage to the next (the longest, compiling the 10 MB WebAssembly, takes
  // 2-5 s on a 2-core machine; a slow connection needs more for the download).
  const STALL_MS = 60000;

  let page = null; // the current page's state
  let python = null; // the worker: {worker, ready, pending, nextId, edited}

  function button(label, title, primary) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "md-button run-button" + (primary ? " md-button--primary" : "");
    b.textContent = label;
    b.title = title;
    return b;
  }

  function outputBox(block) {
    if (!block.result) {
      block.result = document.createElement("div");
      block.result.className = "result";
      block.result.innerHTML = '<div class="language-text highlight"><pre><code></code></pre></div>';
      block.bar.after(block.result);
    }
    return block.result.querySelector("code");
  }

  function show(block, text, error) {
    if (text === "" && block.originalResult === null) {
      // Nothing printed, as in the build: no output box.
      if (block.result) block.result.remove();
      block.result = null;
      return;
    }
    const code = outputBox(block);
    code.textContent = text;
    block.result.classList.add("run-output");
    block.result.classList.toggle("run-error", Boolean(error));
  }

  function status(block, text, error) {
    block.status.textContent = text;
    block.status.classList.toggle("run-error-text", Boolean(error));
  }

  // ---- the worker --------------------------------------------------------------------------

  function startWorker() {
    const w = { worker: new Worker(workerURL), pending: new Map(), nextId: 0, edited: false };
    w.ready = new Promise((resolve, reject) => {
      let timer;
      const stalled = () => {
        clearTimeout(timer);
        timer = setTimeout(() => reject(new Error(`no progress for ${STALL_MS / 1000} s`)), STALL_MS);
      };
      stalled();
      w.onStage = (stage) => {
        stalled();
        if (page && page.loadingBlock) status(page.loadingBlock, `Loading Python: ${stage} ready…`);
      };
      w.fail = (message) => {
        clearTimeout(timer);
        reject(new Error(message));
        for (const { reject: r } of w.pending.values()) r(new Error(message));
        w.pending.clear();
      };
      w.done = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    w.ready.catch(() => {}); // reported by whoever awaits it
    w.worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === "stage") w.onStage(m.stage);
      else if (m.type === "ready") w.done();
      else if (m.type === "failed") w.fail(m.message);
      else if (m.type === "result") {
        const p = w.pending.get(m.id);
        w.pending.delete(m.id);
        if (p) p.resolve(m);
      }
    };
    w.worker.onerror = (event) => {
      event.preventDefault();
      w.fail(event.message || "the worker script could not be loaded");
    };
    w.worker.postMessage({ type: "init", base });
    return w;
  }

  function runInWorker(w, code, filename, session, fresh) {
    return new Promise((resolve, reject) => {
      const id = w.nextId++;
      w.pending.set(id, { resolve, reject });
      w.worker.postMessage({ type: "run", id, code, filename, session, fresh });
    });
  }

  function stopWorker() {
    if (python) {
      python.worker.terminate();
      python.fail("stopped");
      python = null;
    }
    if (page) page.ranThrough.clear();
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

  function setBusy(busy, runner) {
    page.busy = busy;
    for (const b of page.blocks) {
      b.run.disabled = busy;
      b.stop.hidden = !(busy && b === runner);
    }
  }

  async function run(block) {
    if (page.busy) return;
    const state = page;
    setBusy(true, block);
    const clicked = performance.now();
    try {
      if (!python) {
        python = startWorker();
        state.loadingBlock = block;
        status(block, "Loading Python (the first run downloads about 17 MB)…");
      }
      const w = python;
      await w.ready;
      // The blocks to run: this one, after the earlier blocks of its session unless they ran.
      let chain = [block];
      let fresh = true;
      if (block.session) {
        const before = state.sessions.get(block.session).slice(0, block.position);
        if (state.ranThrough.get(block.session) === block.position - 1) fresh = false;
        else chain = [...before, block];
      }
      for (const [i, b] of chain.entries()) {
        if (b !== block) status(block, `Running the session's earlier block ${b.index + 1}…`);
        else status(block, "Running…");
        if (currentCode(b) !== b.original) w.edited = true;
        const r = await runInWorker(w, currentCode(b), `<code block ${b.index + 1}>`, b.session, fresh && i === 0);
        if (state !== page) return;
        const text = r.stdout + r.stderr + (r.error || "");
        show(b, text.replace(/\n$/, ""), r.error);
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
      if (error.message === "stopped") status(block, "Stopped. The next Run starts Python again.", true);
      else {
        status(block, `Python could not be loaded: ${error.message}. The output shown is the build's.`, true);
        if (python === w) {
          w.worker.terminate();
          python = null;
        }
      }
    } finally {
      if (state === page) setBusy(false);
    }
  }

  function edit(block) {
    if (block.editor) return;
    const editor = document.createElement("textarea");
    editor.className = "run-editor";
    editor.value = block.original.replace(/\n$/, "");
    editor.rows = Math.max(3, editor.value.split("\n").length + 1);
    editor.spellcheck = false;
    editor.setAttribute("aria-label", `Code of block ${block.index + 1}; Shift+Enter runs it`);
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.shiftKey) {
        event.preventDefault();
        run(block);
      }
    });
    editor.addEventListener("input", () => invalidate(block));
    block.code.hidden = true;
    block.code.after(editor);
    block.editor = editor;
    block.edit.hidden = true;
    block.reset.hidden = false;
    invalidate(block);
    editor.focus();
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
    status(block, "");
    invalidate(block);
    block.edit.focus();
  }

  // ---- the page ----------------------------------------------------------------------------

  function setUp() {
    // Python goes on to the new page if it is idle and ran only the site's own code; the new
    // page's namespaces are fresh either way.
    if (python && (python.edited || (page && page.busy))) stopWorker();
    if (python) python.worker.postMessage({ type: "forget" });
    page = null;
    const data = document.querySelector(".md-content .run-blocks");
    if (!data) return;
    const entries = JSON.parse(data.dataset.blocks);
    const codes = document.querySelectorAll(".md-content div.language-python.highlight");
    if (codes.length !== entries.length) {
      console.error(`run.js: ${codes.length} python blocks on the page, ${entries.length} described`);
      return;
    }
    page = { blocks: [], sessions: new Map(), ranThrough: new Map(), busy: false };
    entries.forEach((entry, index) => {
      const code = codes[index];
      if (!entry.run) {
        if (entry.why) {
          const note = document.createElement("p");
          note.className = "run-bar run-status";
          note.textContent = `This block runs in the site's build only: ${entry.why}.`;
          code.after(note);
        }
        return;
      }
      const next = code.nextElementSibling;
      const result = next && next.classList.contains("result") ? next : null;
      const block = {
        index,
        session: entry.session,
        code,
        original: code.querySelector("code").textContent,
        result,
        originalResult: result ? result.innerHTML : null,
        editor: null,
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
      block.edit.addEventListener("click", () => edit(block));
      block.reset.addEventListener("click", () => reset(block));
      block.stop.addEventListener("click", () => stopWorker());
      block.bar.append(block.run, block.edit, block.reset, block.stop, block.status);
      code.after(block.bar);
      page.blocks.push(block);
    });
  }

  document$.subscribe(setUp);
})();
