"""Pages of kits, loans and visits. Thin: fetch through ``kit_access``, bind a form, call one
service, turn a domain error into a message, redirect.

One module per part of the logistics: inventory, lending, a school's side, visits, feeds.
"""
