"""Pages of the connection cases: the school's side, the staff's side, and a case's logistics.

Views are thin: fetch through ``access``, bind a form, call one service, turn a refusal
into a message, redirect. Anyone who may not see a case gets a 404.
"""
