"""Wiring: settings, the Telegram Application, the terminal chat and the command line."""

import os

# Opt in to python-telegram-bot's coming API now (RetryAfter.retry_after as a timedelta):
# the delivery loop reads both forms, and the old form warns on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")
