"""Kundendialog. Each subpackage names the process and Python environment it runs in:

- `shared`: pure Python imported by both environments (company facts, texts, du/Sie, the Rasa<->hub wire);
- `dialogue`: dialogue logic of the Rasa side (mood, escalation, pending question, empathy), used by
  the actions and the Rasa plugins on Python 3.10;
- `rasa_plugins`: code that runs inside the Rasa and action-server processes (NLU components, policy,
  channels, launchers);
- `hub`: the aiohttp conversation hub on current CPython, the only internet-facing process;
- `ops`: the command line (`python -m bot`), supervisor and process launcher (hub environment).
"""
