"""MkDocs hook: the Performance pages' tables and plot, made by backprop_site.performance from the
results files in docs/assets/performance/ (that module says which script writes each)."""

from mkdocs.structure.files import File

from backprop_site import performance


def on_files(files, config):
    if files.get_file_from_path(performance.PAGE) is not None:  # a partial build may lack the page
        results = performance.load(config["docs_dir"], "results.json")
        files.append(File.generated(config, performance.PLOT, content=performance.plot_png(results)))
    return files


def on_page_markdown(markdown, page, config, files):
    return performance.fill(page.file.src_uri, markdown, config["docs_dir"])
