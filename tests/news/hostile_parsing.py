"""Parsers a pool process runs in the pool's tests: importable without Django set up, as
a spawned process imports them. A feed whose title says so kills or stalls its process."""

import os
import time

from news.parsing import parse_feed


def parse_or_misbehave(body, **kwargs):
    if b"<title>Crash the parser</title>" in body:
        os._exit(1)  # as a crash in a C library would end the process
    if b"<title>Stall the parser</title>" in body:
        time.sleep(3600)
    return parse_feed(body, **kwargs)
