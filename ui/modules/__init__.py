"""The modules page's views, one module each: persample, lint."""
