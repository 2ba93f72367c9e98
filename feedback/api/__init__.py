"""REST endpoints of the feedback board, one module per resource."""
