"""The autograd page's views, one module each: settings, live, step, ours, inplace, hessian, hooks, lab, measured,
custom."""
