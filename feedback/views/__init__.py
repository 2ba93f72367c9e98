"""Pages of the feedback app, one module per concern; urls.py names them."""
