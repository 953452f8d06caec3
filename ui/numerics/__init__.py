"""The numerics page's own views (pages/numerics.py calls one function per view): imported only by that page, this
package and tests."""
