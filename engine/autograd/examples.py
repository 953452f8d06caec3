"""Programs of the language: the page's examples and the set the tests and the bench hold against torchviz."""

INPUTS = {  # one spec per name the programs use
    "x": "randn(3)", "a": "randn(3)", "b": "2.0", "c": "randn(3)", "w": "randn(2, 3)", "m": "randn(3, 3)"}
GRAD = {"x", "a", "c", "w", "m"}  # the inputs that require grad
PROGRAMS = [
    "y = x + 2; z = y*y*3; out = z.mean()",
    "y = (a * b + c.sin()).exp().sum()",
    "out = (w @ x).tanh().sum()",
    "out = (m @ m @ x).sum()",
    "h = relu(w @ x); out = (h * h).mean()",
    "out = x.sigmoid().log().sum()",
    "out = (x * x).sqrt().sum()",
    "out = x.abs().mean()",
    "out = x.cos().pow(2).sum() + x.sin().pow(2).sum()",
    "out = (x / (1 + x * x)).sum()",
    "out = (x ** 3).sum()",
    "out = (2 ** x).sum()",
    "out = (-x).exp().sum()",
    "out = x[0] * x[1] + x[2]",
    "out = x[1:].sum() * x[:1].sum()",
    "out = (m[0] * m[1, :]).sum()",
    "out = m[:, 1:].sum()",
    "y = x.detach() * x; out = y.sum()",
    "out = (x - a).pow(2).mean()",
    "out = (a * c).sum() / (a.abs() + 1).sum()",
    "y = x * 2; z = y * 3; out = (y + z).sum()",
    "y = x.exp(); out = (y * y * y).sum()",
    "out = (x @ x)",
    "out = (x @ m @ x)",
    "out = tanh(sigmoid(relu(x))).sum()",
    "out = (w @ m).sum()",
    "u = x * a; v = u + c; out = (u * v).sum()",
    "out = (x + 1).log().sum()",
    "out = x.mean() * x.sum()",
    "out = pow(x, 2).sum() - pow(a, 3).mean()",
    "y = x * b; out = (y * c).sum()",
    "out = x.sum()",
]
EXAMPLES = {  # the page's picks: (program, inputs, requires_grad)
    "notes": ("y = x + 2; z = y*y*3; out = z.mean()", {"x": "ones(2, 2)"}, ["x"]),
    "issue": ("y = (a * b + c.sin()).exp().sum()", {"a": "randn(3)", "b": "2.0", "c": "randn(3)"}, ["a", "c"]),
    "neuron": ("h = relu(w @ x + b)\nloss = (h - t).pow(2).mean()",
               {"w": "randn(2, 3)", "x": "randn(3)", "b": "randn(2)", "t": "[1.0, -1.0]"}, ["w", "b"]),
    "detach": ("d = x.detach()\nout = (d * x).sum()", {"x": "randn(3)"}, ["x"]),
    "reuse": ("y = x.exp()\nout = (y * y * y).sum()", {"x": "randn(3)"}, ["x"]),
    "second": ("out = (x * x * y).sum() + (x * y).sin().sum()", {"x": "randn(2)", "y": "randn(2)"}, ["x", "y"]),
}
