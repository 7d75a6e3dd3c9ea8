"""Pages of the mobile classroom programme: the school's, the inspector's and the
programme's (adviser, commission), and the decision maker's.

Views are thin: fetch through ``access``, bind a form, call one service, turn a refusal
into a message, redirect. Anyone who may not see an object gets a 404.
"""
