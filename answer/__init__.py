"""The answering engine: plain functions over the store that read a question once, find
the evidence, choose what to show and the value up front, and summarise. No Telegram."""
