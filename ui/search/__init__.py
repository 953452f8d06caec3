"""The search page's views, one module each: hits, trace, measured, analyzer, internals, corpus, recall, yours."""
