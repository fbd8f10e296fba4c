"""Checks the system packages the portal needs, with a clear message for each
missing one. Runs with the system Python before the virtualenv exists, and with
``--weasyprint`` inside it once WeasyPrint is installed."""

import sys

MIN_PYTHON = (3, 11)


def fail(message: str) -> None:
    print(f"\n*** Portail CUCS cannot start: {message}\n", file=sys.stderr)
    sys.exit(1)


def check_python() -> None:
    if sys.version_info < MIN_PYTHON:
        fail(
            f"Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer is needed (found "
            f"{sys.version.split()[0]}). Choose another one, e.g. "
            "`make run PYTHON=python3.11`."
        )
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        fail(
            "Python's venv module is missing. "
            "On Debian/Ubuntu: apt-get install python3-venv"
        )


def check_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        fail(
            "WeasyPrint needs the Pango library, which was not found "
            f"({exc}).\nOn Debian/Ubuntu: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
        )


def warn_without_emoji_font() -> None:
    """DejaVu has no emoji: without a fallback font they print as boxes."""
    import shutil
    import subprocess

    if not shutil.which("fc-list"):
        return
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    if "emoji" not in fonts.lower():
        print(
            "\n(Portail CUCS: no emoji font: the emoji people type print as empty "
            "boxes in the PDFs. On Debian/Ubuntu: apt-get install "
            "fonts-noto-color-emoji)\n",
            file=sys.stderr,
        )


if __name__ == "__main__":
    check_python()
    if "--weasyprint" in sys.argv:
        check_weasyprint()
        warn_without_emoji_font()
