"""Wiring: settings, the Telegram Application, the terminal chat and the command line."""
