"""A small package written for the API-export page: its functions, classes and constants declare their public
names with `demo_export`, the way TensorFlow's do with `tf_export`. Importing it registers them all; the page
generates the public `demo.*` tree from those records. Nothing here is public by itself."""
