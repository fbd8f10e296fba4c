"""A render that runs away is stopped (cucs_portal/documents/pdf.py): past
PDF_RENDER_TIMEOUT the WeasyPrint process is killed, past PDF_RENDER_MEMORY_MB
it fails; either way the secretariat gets a RenderError that says which limit,
never a crash or a render that never ends. Real WeasyPrint subprocesses, made
to fail by real documents too big for the limits set here.
"""

import os
import re
import time
from pathlib import Path

import pytest

from cucs_portal.documents.pdf import RenderError, render_pdf

# Some 30 s of layout and far more memory than 200 MB (PDF-NOTES: ~600 MB
# for 300 pages): stopped long before either is reached.
MANY_PARAGRAPHS = "<p>Bonjour le monde, " * 20_000
# One word of three million letters: Pango asks GLib for tens of MB at once,
# and GLib aborts the process (no Python MemoryError).
ONE_HUGE_WORD = "<p>" + "x" * 3_000_000 + "</p>"


def render_workers() -> dict[int, str]:
    """The render subprocesses of this process now: pid → state."""
    workers = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        # "pid (name) state ppid …": the name may hold spaces, not ")".
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == os.getpid() and b"cucs_portal.documents.child" in command:
            workers[int(entry.name)] = state
    return workers


class StageRecorder:
    """The ``on_stage`` callback: records each stage and the render process
    seen at that moment."""

    def __init__(self):
        self.stages = []
        self.workers = {}

    def __call__(self, stage):
        self.stages.append(stage)
        self.workers.update(render_workers())


def test_a_render_past_the_time_limit_is_stopped(settings, tmp_path):
    settings.PDF_RENDER_TIMEOUT = 1
    output = tmp_path / "slow.pdf"
    recorder = StageRecorder()
    started = time.monotonic()

    with pytest.raises(RenderError) as error:
        render_pdf(MANY_PARAGRAPHS, output, on_stage=recorder)

    elapsed = time.monotonic() - started
    message = " ".join(str(error.value).split())
    assert "PDF_RENDER_TIMEOUT" in message
    assert re.search(r"\b1 s\b", message)
    assert elapsed < 1 + 5
    # The process (30 s of work left) is gone: killed and reaped, not even a
    # zombie. When it had reported its first stage in time, that very process.
    assert render_workers() == {}
    assert set(recorder.stages) <= {"layout"}
    for pid in recorder.workers:
        assert not Path(f"/proc/{pid}").exists()
    assert not output.exists()


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(ONE_HUGE_WORD, id="glib-allocation"),
        pytest.param(MANY_PARAGRAPHS, id="many-paragraphs"),
    ],
)
def test_a_render_past_the_memory_limit_fails_clearly(settings, tmp_path, html):
    """However the cap shows (Python's MemoryError, GLib aborting on a failed
    allocation or thread), the message names the memory limit."""
    settings.PDF_RENDER_MEMORY_MB = 200
    settings.PDF_RENDER_TIMEOUT = 120
    output = tmp_path / "big.pdf"

    with pytest.raises(RenderError) as error:
        render_pdf(html, output)

    message = " ".join(str(error.value).split())
    assert "PDF_RENDER_MEMORY_MB" in message
    assert re.search(r"\b200 M", message)  # MB, Mo
    assert render_workers() == {}
    assert not output.exists()


def test_a_small_render_within_the_limits_succeeds(settings, tmp_path):
    """The control for the two above: the same limits let a page through."""
    settings.PDF_RENDER_MEMORY_MB = 200
    settings.PDF_RENDER_TIMEOUT = 60
    output = tmp_path / "small.pdf"
    recorder = StageRecorder()

    result = render_pdf("<p>Bonjour le monde.</p>", output, on_stage=recorder)

    assert result.pages == 1
    assert result.refused == []
    assert 0 < result.peak_rss_kb < 200 * 1024
    assert recorder.stages == ["layout", "write", "done"]
    assert output.read_bytes().startswith(b"%PDF-")
    assert render_workers() == {}


def test_a_render_killed_from_outside_says_so(tmp_path, settings):
    """A worker that dies of a signal (the kernel's OOM killer, a segfault in a
    C library at a very low memory cap) gives a message that names it."""
    import signal
    import threading

    settings.PDF_RENDER_TIMEOUT = 120
    outcome = {}

    def run():
        try:
            render_pdf(MANY_PARAGRAPHS, tmp_path / "killed.pdf")
        except RenderError as exc:
            outcome["error"] = str(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 30
    while not render_workers() and time.monotonic() < deadline:
        time.sleep(0.05)
    (pid,) = render_workers()
    os.kill(pid, signal.SIGKILL)
    thread.join(timeout=30)

    assert "signal 9" in outcome["error"]
    assert "PDF_RENDER_MEMORY_MB" in outcome["error"]


def test_a_render_interrupted_by_ctrl_c_says_so(tmp_path, settings):
    """Ctrl-C in the terminal of `make run` reaches the render process too: the
    error says the rendering was interrupted, to be made again."""
    import signal
    import threading

    settings.PDF_RENDER_TIMEOUT = 120
    outcome = {}

    def run():
        try:
            render_pdf(MANY_PARAGRAPHS, tmp_path / "interrupted.pdf")
        except RenderError as exc:
            outcome["error"] = str(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 30
    while not render_workers() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # past the imports: inside WeasyPrint's layout
    (pid,) = render_workers()
    os.kill(pid, signal.SIGINT)
    thread.join(timeout=30)

    assert "interrompue" in outcome["error"]
    assert render_workers() == {}
