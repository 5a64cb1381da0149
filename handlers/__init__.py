"""Commands: parse, call the store and the answering code, format a short Korean reply.

Nothing here imports telegram except `handlers.telegram_edge`, so the terminal chat and
the bot share every line of answering logic.
"""
