"""The API-export page's views, one module each: settings, live, generators, imports, rules, keras, versions,
yours."""
