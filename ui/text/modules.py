"""Strings of the nn.Module vs nn.functional page."""

TEXT = {
    "title": ("nn.Xxx vs nn.functional.xxx", "nn.Xxx 与 nn.functional.xxx"),
    "what": (
        "`nn.Conv2d` and `F.conv2d` compute the same thing: the module is a class around the function that also owns "
        "its parameters and buffers and inherits `train()`, `eval()`, `state_dict()` and `load_state_dict()` from "
        "`nn.Module`. Below, each module runs beside its functional form fed the module's own weights, live; the "
        "differences appear exactly where that state and the `training` flag matter.",
        "`nn.Conv2d` 和 `F.conv2d` 计算的是同一件事：模块是包在函数外面的类，它还持有自己的参数和缓冲区，并从 "
        "`nn.Module` 继承 `train()`、`eval()`、`state_dict()` 和 `load_state_dict()`。下面把每个模块和它的函数式写法"
        "（传入模块自己的权重）放在一起实时运行；差异恰好出现在这些状态和 `training` 标志起作用的地方。",
    ),
    "controls": ("Twin", "对照组"),
    "twin": ("Module", "模块"),
    "mode": ("Mode", "模式"),
    "mode.train": ("train()", "train()"),
    "mode.eval": ("eval()", "eval()"),
    "naive": ("Call F.dropout the common wrong way (without training=self.training)",
              "用常见的错误方式调用 F.dropout（不传 training=self.training）"),
    "live": ("Module and function, same input", "模块与函数：同一输入"),
    "code": ("What ran", "实际运行的代码"),
    "col.module": ("nn module", "nn 模块"),
    "col.functional": ("functional", "函数式"),
    "diff": ("largest |module − function|", "最大 |模块 − 函数|"),
    "bitwise": ("bitwise equal", "逐位相等"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "outputs": ("First outputs (row 0)", "前几个输出（第 0 行）"),
    "col.fc_own": ("functional_call, the module's own dict", "functional_call，模块自己的字典"),
    "col.fc_negated": ("functional_call, every parameter × −1", "functional_call，每个参数 × −1"),
    "bn": ("BatchNorm's running statistics, batch by batch", "BatchNorm 的滑动统计量：逐批演示"),
    "bn.intro": ("Twenty training batches (mean 1, spread 2) through a fresh BatchNorm2d(3). After each, its running "
                 "mean and unbiased running variance beside (1 − momentum)·old + momentum·batch computed independently "
                 "in float64.", "二十个训练批次（均值 1、尺度 2）依次经过一个新的 BatchNorm2d(3)。每批之后，把它的滑动均值和"
                 "无偏滑动方差与独立用 float64 计算的 (1 − momentum)·old + momentum·batch 对照。"),
    "bn.momentum": ("momentum", "momentum"),
    "bn.step": ("After batch", "第几批之后"),
    "bn.col.channel": ("channel", "通道"),
    "bn.col.batch_mean": ("batch mean", "本批均值"),
    "bn.col.running_mean": ("running_mean", "running_mean"),
    "bn.col.formula_mean": ("formula mean", "公式均值"),
    "bn.col.batch_var": ("batch var (unbiased)", "本批方差（无偏）"),
    "bn.col.running_var": ("running_var", "running_var"),
    "bn.col.formula_var": ("formula var", "公式方差"),
    "bn.err": ("Largest relative difference between the module and the formula over all {n} batches: {err} "
               "(float32 rounding).", "全部 {n} 批中模块与公式之间的最大相对差：{err}（float32 舍入误差）。"),
    "bn.csv": ("Download the running statistics (CSV)", "下载滑动统计量（CSV）"),
    "inspect": ("What nn.Module registers", "nn.Module 注册了什么"),
    "inspect.pick": ("Module", "模块"),
    "bug.plain_list": ("layers in a Python list", "层放在 Python list 里"),
    "bug.module_list": ("layers in nn.ModuleList", "层放在 nn.ModuleList 里"),
    "bug.tensor_attr": ("scale as a plain tensor", "scale 是普通张量"),
    "bug.parameter": ("scale as nn.Parameter", "scale 是 nn.Parameter"),
    "bug.buffer": ("scale as a buffer", "scale 是缓冲区"),
    "bug.buffer_nonpersistent": ("scale as a non-persistent buffer", "scale 是非持久缓冲区"),
    "bug.functional_dropout": ("F.dropout inside forward", "forward 里直接用 F.dropout"),
    "inspect.params": ("parameters", "参数"),
    "inspect.buffers": ("buffers", "缓冲区"),
    "inspect.keys": ("state_dict keys", "state_dict 键"),
    "inspect.optimizer": ("tensors an optimizer updates", "优化器更新的张量数"),
    "inspect.missing": ("load_state_dict(strict=False): missing", "load_state_dict(strict=False)：缺失"),
    "inspect.unexpected": ("load_state_dict(strict=False): unexpected", "load_state_dict(strict=False)：多余"),
    "inspect.eval": ("two calls in eval() differ", "eval() 下两次调用结果不同"),
    "inspect.none": ("—", "—"),
    "inspect.col.name": ("name", "名称"),
    "inspect.col.shape": ("shape", "形状"),
    "inspect.col.dtype": ("dtype", "数据类型"),
    "inspect.col.saved": ("in state_dict", "在 state_dict 中"),
    "inspect.to": ("Every tensor it holds, before and after m.to(torch.float64), run now",
                   "它持有的每个张量在 m.to(torch.float64) 前后的 dtype（刚刚运行）"),
    "inspect.col.kind": ("registered as", "注册为"),
    "inspect.col.before": ("dtype before", "之前的 dtype"),
    "inspect.col.after": ("dtype after .to(torch.float64)", ".to(torch.float64) 之后的 dtype"),
    "kind.parameter": ("parameter", "参数"),
    "kind.buffer": ("buffer", "缓冲区"),
    "kind.attribute": ("not registered (plain attribute)", "未注册（普通属性）"),
    "inspect.download": ("Download the state_dict (JSON: names, shapes, dtypes, values; never a pickle)",
                         "下载 state_dict（JSON：名称、形状、数据类型与数值；绝不使用 pickle）"),
    "overhead": ("Per-call time: module against function", "每次调用的时间：模块对比函数"),
    "overhead.intro": ("The module's `__call__` adds Python dispatch (hooks, attribute look-ups) to the same kernel: a "
                       "fixed cost per call that shows on tiny inputs and hides behind the arithmetic on large ones. "
                       "Interleaved rounds; the ratio's range is the fastest against the slowest round.",
                       "模块的 `__call__` 在同一个内核之外增加了 Python 调度（钩子、属性查找）：每次调用的固定开销，"
                       "在很小的输入上明显，在大输入上被计算量掩盖。交错多轮计时；比值范围由最快与最慢的轮次给出。"),
    "overhead.col.elements": ("input elements", "输入元素数"),
    "overhead.col.module": ("module µs/call", "模块 微秒/次"),
    "overhead.col.functional": ("function µs/call", "函数 微秒/次"),
    "overhead.col.ratio": ("module / function", "模块 / 函数"),
    "overhead.busy": ("The rounds disagree widely: the machine was busy while timing.", "各轮结果相差很大：计时时机器繁忙。"),
    "overhead.csv": ("Download the timings (CSV)", "下载计时结果（CSV）"),
    "plot.elements": ("input elements", "输入元素数"),
    "plot.ratio": ("module time / function time", "模块时间 / 函数时间"),
    "plot.even": ("equal time", "时间相同"),
    "walk": ("Walkthrough", "导览"),
    "walk.apply": ("Apply step {n}", "应用第 {n} 步"),
    "walk.1": ("**The same numbers.** Linear in train mode: module and F.linear with its weight and bias are bitwise "
               "equal.", "**数值完全相同。** Linear，train 模式：模块与传入其 weight 和 bias 的 F.linear 逐位相等。"),
    "walk.2": ("**The classic bug.** Dropout in eval mode with F.dropout called without training=: the module passes "
               "its input through, the function keeps dropping.",
               "**经典错误。** Dropout，eval 模式，调用 F.dropout 时不传 training=：模块原样输出，函数却仍在丢弃。"),
    "walk.3": ("**Different by design.** BatchNorm2d in train mode: both update their running statistics (see the "
               "notes); in eval mode neither does.",
               "**按设计就不同。** BatchNorm2d，train 模式：两边都更新了滑动统计量（见说明）；eval 模式下都不更新。"),
    "walk.4": ("**Invisible layers.** The inspector on layers kept in a Python list: 0 parameters, an empty "
               "state_dict, nothing for an optimizer.",
               "**看不见的层。** 用检查器查看放在 Python list 里的层：0 个参数、空的 state_dict、优化器无事可做。"),
}
