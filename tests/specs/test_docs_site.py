"""The documentation site as a reader meets it: built by ``mkdocs build --strict`` (a broken link or anchor, a
page left out of the navigation, a docstring mkdocstrings cannot read: each fails the build), then opened in
headless Chromium (Debian's ``chromium``, which .ci/run installs), served over HTTP on 127.0.0.1 as a host
would serve it.

A page of the test's own, served beside the site, loads every page of the site in turn in a frame, looks at
what rendered (the article, its heading, its pictures loaded with a size), searches the site through
Material's own search (``?q=``: the search box, the search worker, its index) and posts what it saw back
to the test's server. Chromium's console must show no script error. Screenshots of the home page and the
tutorial go to ``$ZMQPROSE_PICTURES_OUT/docs`` when CI sets it, else to pytest's temporary folder.

.ci/run builds the site once (section ``docs``) and hands it over in ``$ZMQPROSE_DOCS_SITE``; without it,
this test builds its own. Where Chromium is not installed, the Chromium part is skipped, saying so.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--mute-audio"]
SEARCHED = "connect a PUSH socket"
CHECKER = "zmqprose-site-check.html"
CHECKER_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<iframe id="page" width="1280" height="900"></iframe>
<script>
const PAGES = %(pages)s, SEARCHED = %(searched)s;
const frame = document.getElementById("page");
function report(what) { fetch("/report", {method: "POST", body: JSON.stringify(what)}); }
function until(found, ms) {  // what found() gives once it gives something, or null after ms
  return new Promise(resolve => {
    const end = Date.now() + ms;
    (function look() {
      let value = null;
      try { value = found(); } catch (error) { value = null; }
      if (value) resolve(value); else if (Date.now() > end) resolve(null); else setTimeout(look, 50);
    })();
  });
}
function open(url) { return new Promise(resolve => { frame.onload = () => resolve(); frame.src = url; }); }
async function look(path) {
  await open(path);
  const shown = frame.contentDocument;
  const pictures = Array.from(shown.querySelectorAll("article img"));
  await until(() => pictures.every(picture => picture.complete), 15000);
  const article = shown.querySelector("article.md-content__inner");
  const heading = shown.querySelector("article h1");
  return {path: path, title: shown.title, heading: heading ? heading.textContent : "",
          text: article ? article.innerText.length : 0,
          pictures: pictures.map(picture => ({src: picture.getAttribute("src"), complete: picture.complete,
                                              width: picture.naturalWidth, height: picture.naturalHeight,
                                              shownWidth: picture.width}))};
}
async function search(words) {
  await open("index.html?q=" + encodeURIComponent(words));
  const shown = frame.contentDocument;
  const items = await until(() => {
    const found = shown.querySelectorAll(".md-search-result__item");
    return found.length ? found : null;
  }, 60000);
  const meta = shown.querySelector(".md-search-result__meta");
  return {words: words, meta: meta ? meta.textContent.trim() : "",
          results: items ? Array.from(items).map(item => ({href: (item.querySelector("a") || {}).href || "",
                                                           text: item.textContent.trim().slice(0, 300)})) : []};
}
(async () => {
  const pages = [];
  for (const path of PAGES) pages.push(await look(path));
  report({pages: pages, search: await search(SEARCHED)});
})().catch(error => report({error: String(error)}));
</script></body></html>"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Chromium is not installed here (Debian: apt-get install chromium); .ci/run installs it")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site: CI's (``$ZMQPROSE_DOCS_SITE``, built by .ci/run with --strict), else built here."""
    built = os.environ.get("ZMQPROSE_DOCS_SITE")
    if built and (Path(built) / "index.html").is_file():
        return Path(built)
    folder = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
                            cwd=REPO, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def pages_of(site: Path) -> list[str]:
    """Every page of the site, as a path below it (``index.html``, ``tutorial/index.html``, …)."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("index.html")
                  if not path.relative_to(site).as_posix().startswith(("assets/", "search/")))


class Server(http.server.ThreadingHTTPServer):
    """The site over HTTP on 127.0.0.1, with the checker page, and a queue of what the page posts."""

    def __init__(self, site: Path, checker: str) -> None:
        self.site, self.checker, self.reports = site, checker, queue.Queue[dict[str, Any]]()
        super().__init__(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))


class Handler(http.server.SimpleHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        if self.path.split("?")[0] == f"/{CHECKER}":
            body = self.server.checker.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.reports.put(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: pytest shows the test's own output


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[Server]:
    checker = CHECKER_PAGE % {"pages": json.dumps(pages_of(site)), "searched": json.dumps(SEARCHED)}
    server = Server(site, checker)
    thread = threading.Thread(target=server.serve_forever, name="docs-site", daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def looked_at(served: Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the checker page saw in Chromium, and Chromium's console."""
    browser = chromium()
    profile = tmp_path_factory.mktemp("chromium-profile")
    port = served.server_address[1]
    process = subprocess.Popen([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr",
                                f"http://127.0.0.1:{port}/{CHECKER}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        seen = served.reports.get(timeout=240)
    except queue.Empty:
        seen = {"error": "the checker page posted nothing within 240 s"}
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # Chromium's own group: this test started it
        try:
            _, console = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            _, console = process.communicate(timeout=30)
    return {**seen, "console": console}


def test_the_site_builds_with_every_page_of_the_navigation(site):
    pages = pages_of(site)
    for expected in ("index.html", "tutorial/index.html", "reference/steps/index.html",
                     "reference/command-line/index.html", "reference/api/prose/index.html",
                     "explanation/benchmarks/index.html", "contributing/index.html"):
        assert expected in pages, pages
    search_index = json.loads((site / "search" / "search_index.json").read_text())
    assert any(SEARCHED in entry["text"] for entry in search_index["docs"]), "the phrase is not in the index"


def test_every_page_renders_in_chromium_with_its_heading_and_text(site, looked_at):
    assert "error" not in looked_at, looked_at.get("error")
    shown = {page["path"]: page for page in looked_at["pages"]}
    assert sorted(shown) == pages_of(site)
    for path, page in shown.items():
        if path == "404.html":
            continue
        assert page["heading"].strip(), f"{path}: no heading rendered"
        assert page["text"] > 200, f"{path}: the article holds {page['text']} characters"
        assert page["title"].endswith("zmqprose"), f"{path}: title {page['title']!r}"
    assert "Uncaught" not in looked_at["console"], looked_at["console"][-3000:]


def test_every_picture_of_every_page_is_loaded_and_shown(looked_at):
    assert "error" not in looked_at, looked_at.get("error")
    pictures = [(page["path"], picture) for page in looked_at["pages"] for picture in page["pictures"]]
    assert any(path == "tutorial/index.html" for path, _ in pictures), "the tutorial shows no picture"
    for path, picture in pictures:
        assert picture["complete"] and picture["width"] > 0 and picture["height"] > 0, (path, picture)
        assert picture["shownWidth"] > 0, (path, picture)


def test_the_sites_search_finds_the_phrase_that_connects_a_push_socket(site, looked_at):
    """Searching the words of the phrase finds the step reference first, and what it finds there holds them."""
    assert "error" not in looked_at, looked_at.get("error")
    found = looked_at["search"]
    assert found["results"], f"searching {SEARCHED!r} found nothing: {found['meta']!r}"
    hrefs = [result["href"] for result in found["results"]]
    assert "/reference/steps/" in hrefs[0], f"the step reference is not the first page found: {hrefs}"
    search_index = json.loads((site / "search" / "search_index.json").read_text())
    assert any(entry["location"].startswith("reference/steps/") and SEARCHED in entry["text"]
               for entry in search_index["docs"]), "the step reference's part in the index lacks the phrase"


def test_the_home_page_and_the_tutorial_as_a_reader_sees_them(served, tmp_path):
    browser = chromium()
    out = Path(os.environ.get("ZMQPROSE_PICTURES_OUT") or tmp_path) / "docs"
    out.mkdir(parents=True, exist_ok=True)
    port = served.server_address[1]
    for name, path in (("home", ""), ("tutorial", "tutorial/")):
        shot = out / f"{name}.png"
        subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                        "--window-size=1280,900", f"--screenshot={shot}", f"http://127.0.0.1:{port}/{path}"],
                       capture_output=True, timeout=120)
        assert shot.stat().st_size > 10_000, f"{shot}: an empty page"
