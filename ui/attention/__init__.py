"""The attention page's views, one module each: settings, live, step, backward, measured, io, yours."""
