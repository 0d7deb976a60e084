"""Macros (issue 27.10): a reply in Sie and du with variables, plus tags and an action, in one click.

template.py checks and fills the variables, store.py holds the queries, canned.py imports the canned
replies of company.yml as shared macros, service.py says who may see, change and apply which macro.
"""
