"""The warm-up thread fills Streamlit's caches without a script run, and says nothing of it."""

from __future__ import annotations

import logging
import threading

from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from kek_geo.ui.warmup import CONTEXT_LOGGER, THREAD_NAME, QuietWarmUp, quiet_warm_up


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def warnings_of_a_thread(name: str) -> list[str]:
    logger = logging.getLogger(CONTEXT_LOGGER)
    records = Records()
    logger.addHandler(records)
    try:
        thread = threading.Thread(target=get_script_run_ctx, name=name)
        thread.start()
        thread.join()
    finally:
        logger.removeHandler(records)
    return records.messages


def test_the_warm_up_thread_gives_no_missing_context_warning() -> None:
    quiet_warm_up()
    quiet_warm_up()  # installed once
    logger = logging.getLogger(CONTEXT_LOGGER)
    assert sum(isinstance(f, QuietWarmUp) for f in logger.filters) == 1
    assert warnings_of_a_thread(THREAD_NAME) == []
    # any other thread still gets Streamlit's warning
    assert any("missing ScriptRunContext" in m for m in warnings_of_a_thread("another"))
