"""The actors of every permission test, in the order their expectations are listed.

The signed-in clients come from the ``actors`` fixture (tests/conftest.py): one shared
cast, so every endpoint is checked against the same people who must or must not reach
it (``customer`` is ``customer_a``, a customer of account A).
"""

#: Anonymous, a customer, and one person of each staff role.
ACTORS = ("anonymous", "customer", "csm", "pm", "admin")
#: The same with a customer of each account, where account B's customer matters.
ACTORS_AB = ("anonymous", "customer_a", "customer_b", "csm", "pm", "admin")
