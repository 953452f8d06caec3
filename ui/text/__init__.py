"""Translation tables, one module per page, each exporting TEXT = {key: (English, 中文)}."""
