"""HTML views of health scores, one module per page."""
