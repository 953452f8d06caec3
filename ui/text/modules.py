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
    "naive": ("Call the function the common wrong way (with its own defaults)", "用常见的错误方式调用函数（用它自己的默认值）"),
    "naive.Dropout": ("Call F.dropout the common wrong way (without training=self.training)",
                      "用常见的错误方式调用 F.dropout（不传 training=self.training）"),
    "naive.Softmax": ("Call F.softmax without dim (its implicit choice)", "调用 F.softmax 时不传 dim（让它隐式选择）"),
    "naive.Flatten": ("Call torch.flatten with its default start_dim=0", "用默认的 start_dim=0 调用 torch.flatten"),
    "naive.GELU": ("Call F.gelu with its default approximate='none'", "用默认的 approximate='none' 调用 F.gelu"),
    "shapes": ("output shapes: module | function", "输出形状：模块 | 函数"),
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
    "plot.example": ("example", "样本"),
    "plot.norm": ("‖per-sample gradient‖", "‖逐样本梯度‖"),
    "plot.loss": ("its loss", "该样本的损失"),
    # per-sample gradients (ui/modules/persample.py)
    "ps": ("Per-sample gradients with torch.func", "用 torch.func 计算逐样本梯度"),
    "ps.intro": ("`torch.func.functional_call` turns the module into a pure function of a dict of parameters, so "
                 "`grad` can differentiate one example's loss with respect to them and `vmap` can map that over the "
                 "batch: one gradient per example in one vectorised call. The reference is the plain loop, one "
                 "forward and one backward per example. A small MLP classifier ({features} → {hidden} → {classes}, "
                 "tanh, cross-entropy, float64) on a seeded batch, run in the background.",
                 "`torch.func.functional_call` 把模块变成以参数字典为输入的纯函数，于是 `grad` 可以对单个样本的损失求参数梯度，"
                 "`vmap` 再把它映射到整个批次：一次向量化调用得到每个样本各自的梯度。参照是最朴素的循环：每个样本做一次前向、"
                 "一次反向。这里用一个小型 MLP 分类器（{features} → {hidden} → {classes}，tanh，交叉熵，float64）和固定种子的批次，"
                 "在后台运行。"),
    "ps.n": ("Batch size", "批大小"),
    "ps.diff": ("max |vmap − loop|", "最大 |vmap − 循环|"),
    "ps.mean": ("max |mean of gᵢ − batch gradient|", "最大 |gᵢ 的均值 − 整批梯度|"),
    "ps.vmap_ms": ("vmap(grad) ms / batch", "vmap(grad) 毫秒/批"),
    "ps.loop_ms": ("loop ms / batch", "循环 毫秒/批"),
    "ps.verdict": ("All {numbers:,} gradient numbers for the {n} examples equal the loop's to {diff} (float64), and "
                   "their mean equals the batch's ordinary gradient to {mean}.",
                   "{n} 个样本共 {numbers:,} 个梯度数值与循环的结果相差不超过 {diff}（float64），它们的均值与整批的普通梯度"
                   "相差不超过 {mean}。"),
    "ps.timing": ("{n} examples: vmap(grad) {vmap} ms against the loop's {loop} ms per batch, {ratio}× faster "
                  "(range {lo}–{hi}× over {rounds} interleaved rounds, measured now on this server).",
                  "{n} 个样本：vmap(grad) 每批 {vmap} 毫秒，循环 {loop} 毫秒，快 {ratio} 倍（{rounds} 轮交错计时的范围为 "
                  "{lo}–{hi} 倍，刚刚在本服务器上测得）。"),
    "ps.top": ("Example {i} pulls hardest: gradient norm {norm} (its loss {loss}); the median norm is {median}. "
               "DP-SGD clips exactly these norms, one per example.",
               "第 {i} 个样本拉力最大：梯度范数 {norm}（损失 {loss}）；范数的中位数是 {median}。DP-SGD 裁剪的正是这些逐样本范数。"),
    "ps.col.param": ("parameter", "参数"),
    "ps.col.shape": ("per-sample gradient shape", "逐样本梯度形状"),
    "ps.csv": ("Download the per-example norms and losses (CSV)", "下载逐样本范数与损失（CSV）"),
    # the linter, the page's "yours" view (ui/modules/lint.py)
    "lint": ("Yours: lint your own module's source", "你的代码：检查你自己的模块源码"),
    "lint.intro": ("Paste or upload a model's Python source (up to {limit} bytes). It is read with Python's `ast` and "
                   "never run or imported; five mistakes whose consequence this page shows live are named, with the "
                   "line, and a button that sets the view above to show it.",
                   "粘贴或上传模型的 Python 源码（最多 {limit} 字节）。它只被 Python 的 `ast` 读取，绝不会被运行或导入；"
                   "本页能实时演示后果的五种错误会被指出，附上行号，以及一个把上面的视图切换到相应演示的按钮。"),
    "lint.show": ("Show the linter", "显示代码检查"),
    "lint.help": ("Python source of one or more nn.Module classes", "一个或多个 nn.Module 类的 Python 源码"),
    "lint.findings": ("findings", "发现的问题"),
    "lint.classes": ("module classes read", "读到的模块类"),
    "lint.calls": ("calls checked", "检查的调用"),
    "lint.col.line": ("line", "行"),
    "lint.col.column": ("column", "列"),
    "lint.col.code": ("code", "代码"),
    "lint.col.message": ("what is wrong", "问题所在"),
    "lint.lines": ("line(s) {lines}", "第 {lines} 行"),
    "lint.code.functional_dropout_training": ("F.dropout without training=", "F.dropout 没有传 training="),
    "lint.code.plain_list_of_modules": ("modules in a plain list, tuple or dict", "模块放在普通 list、tuple 或 dict 里"),
    "lint.code.tensor_attribute": ("a plain tensor attribute", "普通张量属性"),
    "lint.code.softmax_no_dim": ("softmax without dim", "softmax 没有传 dim"),
    "lint.code.missing_super_init": ("__init__ without super().__init__()", "__init__ 没有调用 super().__init__()"),
    "lint.why.functional_dropout_training": ("After `model.eval()` it still zeroes activations: the twin Dropout in "
                                             "eval mode, called this way, shows the outputs differ.",
                                             "`model.eval()` 之后它仍然会把激活置零：对照组 Dropout 在 eval 模式下这样调用，"
                                             "可以看到输出不同。"),
    "lint.why.plain_list_of_modules": ("Those layers have no parameters as far as nn.Module knows: the inspector "
                                       "shows 0 parameters, an empty state_dict and nothing for an optimizer.",
                                       "在 nn.Module 看来这些层没有参数：检查器显示 0 个参数、空的 state_dict，优化器无事可做。"),
    "lint.why.tensor_attribute": ("Not trained, not saved, and left behind by `.to()`: the inspector shows it stay "
                                  "float32 after `m.to(torch.float64)`.",
                                  "不会被训练、不会被保存，`.to()` 也会把它落下：检查器显示 `m.to(torch.float64)` 之后它仍是 float32。"),
    "lint.why.softmax_no_dim": ("On a 3-D input the implicit choice is dim 0, the batch: the Softmax twin called "
                                "without dim shows which dimension each side normalised.",
                                "对三维输入，隐式选择的是第 0 维，也就是批次维：不传 dim 调用的 Softmax 对照组会显示两边各自归一化了哪一维。"),
    "lint.why.missing_super_init": ("nn.Module keeps its parameters, buffers and submodules in dictionaries its "
                                    "`__init__` creates: without it, the first assignment fails.",
                                    "nn.Module 把参数、缓冲区和子模块存放在它的 `__init__` 创建的字典里：不调用它，第一次赋值就会失败。"),
    "lint.go": ("Show it live in “{where}” above", "在上方“{where}”中实时演示"),
    "lint.super_live": ("PyTorch's own error, from a class of ours with the same mistake, run now:",
                        "PyTorch 自己的报错，来自我们写的一个犯了同样错误的类，刚刚运行："),
    "lint.source": ("Your source, with line numbers", "你的源码（带行号）"),
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
    "walk.5": ("**A default that bites: softmax.** The Softmax twin with F.softmax called without dim: on a 3-D input "
               "it normalises dim 0 (the batch), nn.Softmax(dim=-1) the last; see the note for which dimension sums "
               "to 1. Switch the wrong call off: bitwise equal.",
               "**会咬人的默认值：softmax。** Softmax 对照组，不传 dim 调用 F.softmax：对三维输入它归一化第 0 维（批次），"
               "nn.Softmax(dim=-1) 归一化最后一维；说明里写出了各自沿哪一维求和为 1。关掉错误调用：逐位相等。"),
    "walk.6": ("**A default that bites: flatten.** nn.Flatten() starts at dim 1 and keeps the batch; torch.flatten(x) "
               "starts at dim 0: the same numbers, in a different shape (see the shapes above).",
               "**会咬人的默认值：flatten。** nn.Flatten() 从第 1 维开始，保留批次维；torch.flatten(x) 从第 0 维开始："
               "数值相同，形状不同（见上方的形状）。"),
    "walk.7": ("**A default that bites: GELU.** nn.GELU(approximate='tanh') against F.gelu's exact default: a small "
               "difference, measured in the note; with approximate=m.approximate they are bitwise equal.",
               "**会咬人的默认值：GELU。** nn.GELU(approximate='tanh') 对比 F.gelu 的精确默认形式：差异很小，说明里给出实测值；"
               "传入 approximate=m.approximate 后逐位相等。"),
    "walk.8": ("**One gradient per example.** Per-sample gradients with vmap(grad(functional_call)) equal the loop "
               "of one backward per example to float64 rounding, and are timed against it.",
               "**每个样本一份梯度。** 用 vmap(grad(functional_call)) 算出的逐样本梯度与逐个样本反向传播的循环在 float64 舍入"
               "误差内相等，并与之对比计时。"),
    "walk.9": ("**Yours.** The linter on the bundled example, written with one of each mistake: every finding has a "
               "button that shows its consequence live. Paste your own model's source to check it.",
               "**你的代码。** 代码检查作用于自带示例（每种错误各犯一次）：每处问题都有一个按钮实时演示其后果。"
               "粘贴你自己模型的源码来检查。"),
}
