"""`POST /__gloss/annotate` in a real `gloss serve` on a copy of the example site
(issue #27): an entry is written into the sidecar, printed, and the rebuilt page
shows it; everything else is refused and leaves the files as they were: a
wrong token, another site's Origin or Host, a page that is not one of the
site's, a sidecar that is a link out of content/, a file changed on disk
since the page was made, and an entry `gloss check` would refuse."""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import copy_example
from .serving import Server, fetch, free_port, wait_for
from .test_sidecar_write import one_insert

SLUG = "kaiser-unsupervised-learning"
PARA = "anthropic-made-this-very-good"


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    secret = tmp_path_factory.mktemp("outside") / "secret.yaml"
    secret.write_text("title: not gloss's to write\n")
    return secret


@pytest.fixture(scope="module")
def served(tmp_path_factory, outside):
    project = copy_example(tmp_path_factory.mktemp("annotate"))
    (project / "content" / "linked.txt").write_text("Ann: Hello there, linked page.\n")
    (project / "content" / "linked.yaml").symlink_to(outside)
    srv = Server(project, free_port())
    srv.started()
    yield project, srv
    srv.stop()


def toolbar_data(url: str) -> dict:
    """What a served transcript page tells its toolbar (token, digests, choices)."""
    found = BeautifulSoup(fetch(url)[1], "html.parser").find(id="gloss-annotate")
    assert found is not None, f"no toolbar data in {url}"
    return json.loads(found.string)


def post(url: str, body: dict, origin: str | None = "same", token: str | None = None,
         host: str | None = None) -> tuple[int, dict]:
    base = url.split("/", 3)
    headers = {"Content-Type": "application/json"}
    if origin is not None:
        headers["Origin"] = f"{base[0]}//{base[2]}" if origin == "same" else origin
    if token is not None:
        headers["X-Gloss-Token"] = token
    if host is not None:
        headers["Host"] = host
    request = urllib.request.Request(f"{base[0]}//{base[2]}/__gloss/annotate",
                                     data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def entry(data: dict, kind: str, words: tuple[int, int], para: str = PARA, **fields) -> dict:
    return {"kind": kind, "page": data["page"], "digests": data["digests"],
            "start": {"p": para, "at": words[0]}, "end": {"p": para, "at": words[1]}, **fields}


def test_an_entry_is_written_printed_and_shown_after_the_rebuild(served):
    project, srv = served
    page = srv.url + SLUG + "/"
    data = toolbar_data(page)
    sidecar = project / "content" / f"{SLUG}.yaml"
    before = sidecar.read_bytes()
    status, reply = post(page, entry(data, "highlight", (58, 73)), token=data["token"])
    assert status == 200, reply
    added = one_insert(before.decode(), sidecar.read_text())
    assert added == '  - "OpenAI was like"\n', "at the end of `highlights`, the rest byte for byte"
    assert reply["written"] == [{"file": f"content/{SLUG}.yaml", "entry": '  - "OpenAI was like"'}]
    wait_for(lambda: "annotated content/" in srv.output(), context=srv.output)
    assert '  - "OpenAI was like"' in srv.output()
    wait_for(lambda: any(m.get_text().startswith("OpenAI was like") for m in
                         BeautifulSoup(fetch(page)[1], "html.parser").find_all("mark")))
    assert toolbar_data(page)["digests"]["sidecar"] != data["digests"]["sidecar"], "the new digest"


def test_the_toolbar_is_served_only_in_transcript_pages_and_never_written(served):
    project, srv = served
    home = BeautifulSoup(fetch(srv.url)[1], "html.parser")
    assert home.find(id="gloss-annotate") is None
    assert toolbar_data(srv.url + SLUG + "/")["people"][0] == ["lukasz-kaiser", "Lukasz Kaiser"]
    for built in (project / "site").rglob("*"):
        if built.is_file() and built.suffix in (".html", ".js", ".css"):
            assert "gloss-annotate" not in built.read_text("utf-8", "replace"), built
    assert fetch(srv.url + "__gloss/annotate.js")[0] == 200
    assert not (project / "site" / "__gloss").exists()


def test_a_request_not_from_a_page_this_server_served_is_refused(served):
    project, srv = served
    page = srv.url + SLUG + "/"
    data = toolbar_data(page)
    sidecar = project / "content" / f"{SLUG}.yaml"
    before = sidecar.read_bytes()
    body = entry(data, "highlight", (0, 20))
    port = srv.url.rsplit(":", 1)[1].strip("/")
    assert post(page, body, token="not-the-token")[0] == 403
    assert post(page, body, token=None)[0] == 403
    assert post(page, body, origin="http://evil.example", token=data["token"])[0] == 403
    assert post(page, body, origin=f"http://127.0.0.1:{int(port) + 1}", token=data["token"])[0] == 403
    assert post(page, body, origin=None, token=data["token"])[0] == 403
    assert post(page, body, token=data["token"], host=f"evil.example:{port}")[0] == 403
    assert sidecar.read_bytes() == before


def test_only_files_inside_content_are_written(served, outside):
    project, srv = served
    data = toolbar_data(srv.url + SLUG + "/")
    for page in ("/../../etc/", "/../", "/static/", "/people/lukasz-kaiser/", "//evil/"):
        status, reply = post(srv.url, {**entry(data, "highlight", (0, 20)), "page": page}, token=data["token"])
        assert status == 404, (page, reply)
    linked = toolbar_data(srv.url + "linked/")
    secret = outside.read_bytes()
    status, reply = post(srv.url, entry(linked, "highlight", (5, 10), para="hello-there-linked-page"),
                         token=linked["token"])
    assert status == 403 and "not a file inside the content folder" in reply["error"]
    assert outside.read_bytes() == secret and (project / "content" / "linked.yaml").is_symlink()


def test_a_file_changed_on_disk_since_the_page_was_made_is_not_written(served):
    project, srv = served
    page = srv.url + SLUG + "/"
    data = toolbar_data(page)
    sidecar = project / "content" / f"{SLUG}.yaml"
    edited = sidecar.read_text() + "# an editor's save\n"
    sidecar.write_text(edited)
    status, reply = post(page, entry(data, "highlight", (0, 20)), token=data["token"])
    assert status == 409 and reply["reload"] is True and "changed on disk" in reply["error"]
    assert sidecar.read_text() == edited
    wait_for(lambda: toolbar_data(page)["digests"] != data["digests"])


def test_an_entry_gloss_check_refuses_is_refused_with_its_message(served):
    project, srv = served
    page = srv.url + SLUG + "/"
    data = toolbar_data(page)
    sidecar = project / "content" / f"{SLUG}.yaml"
    before = sidecar.read_bytes()
    status, reply = post(page, entry(data, "turn", (58, 73), person="margaret-duthy"), token=data["token"])
    assert status == 422
    assert re.match(rf"content/{SLUG}\.yaml:\d+:\d+: error: unknown person `margaret-duthy`", reply["error"])
    assert "hint: add `margaret-duthy` to people.yaml" in reply["error"]
    status, reply = post(page, entry(data, "chapter", (58, 73)), token=data["token"])
    assert (status, reply["error"]) == (422, "give the title to write")
    assert sidecar.read_bytes() == before


def test_a_body_that_is_too_large_or_never_comes_is_refused(served):
    _, srv = served
    host, port = srv.url[7:-1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(f"POST /__gloss/annotate HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: 10000000\r\n\r\n"
                  .encode())
        assert s.makefile("rb").readline().startswith(b"HTTP/1.0 413")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(f"POST /__gloss/annotate HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: 50\r\n\r\n{{"
                  .encode())
        assert s.makefile("rb").readline().startswith(b"HTTP/1.0 413"), "half a body, then nothing"
