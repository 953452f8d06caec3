"""Strings of the autograd page."""

TEXT = {
    "title": ("Autograd: the graph PyTorch records", "自动求导：PyTorch 记录的计算图"),
    "what": (
        "With `requires_grad=True` PyTorch records every operation on a tensor in a graph built while the code runs "
        "(define-by-run): each result keeps a `grad_fn`, a backward function that knows its inputs' "
        "`next_functions` and saved what it will need. `.backward()` walks that graph from the output, applies the "
        "chain rule at every node and accumulates the result into each leaf's `.grad`. `.detach()` and "
        "`torch.no_grad()` stop the recording. Below, the graph is PyTorch's own for your program, read from "
        "`grad_fn`, run just now.",
        "设置 `requires_grad=True` 后，PyTorch 会在代码运行时把张量上的每个运算记录进一张计算图（define-by-run）："
        "每个结果都带有一个 `grad_fn`，即知道其输入 `next_functions` 的反向函数，并保存了反向传播需要的东西。"
        "`.backward()` 从输出出发遍历这张图，在每个节点应用链式法则，并把结果累加到每个叶子的 `.grad` 中。"
        "`.detach()` 和 `torch.no_grad()` 会停止记录。下面的计算图就是 PyTorch 为你的程序刚刚记录的那张，"
        "直接从 `grad_fn` 读取。",
    ),
    "controls": ("Program", "程序"),
    "src": ("Program (one assignment per line or separated by ;)", "程序（每行一个赋值，或用 ; 分隔）"),
    "src.help": ("Numbers, inputs, + − * / ** @, indexing like x[0] or x[1:], x.T, and sin cos exp log tanh sigmoid "
                 "relu sqrt abs sum mean max softmax softplus pow, as sin(x) or x.sin(); sum, mean and max take dim= and "
                 "keepdim=, softmax needs dim=; x.reshape(2, 3); where(x > 0, x, 0) with one comparison; "
                 "y.add_(1), mul_, exp_, sigmoid_ in place; x.detach(). Nothing else runs. At most {chars} characters.",
                 "可用：数字、输入、+ − * / ** @、x[0] 或 x[1:] 这样的索引、x.T，以及 sin cos exp log tanh sigmoid relu "
                 "sqrt abs sum mean max softmax softplus pow（写成 sin(x) 或 x.sin()）；sum、mean、max 可以带 dim= 和 keepdim=，"
                 "softmax 必须带 dim=；x.reshape(2, 3)；where(x > 0, x, 0)，条件是一个比较；"
                 "原地方法 y.add_(1)、mul_、exp_、sigmoid_；x.detach()。其他一概不执行。"
                 "最多 {chars} 个字符。"),
    "vals": ("Inputs", "输入"),
    "vals.help": ("name = value; …: a number, a list such as [1, 2, 3], or randn(3), rand(2, 3), ones(3), zeros(3), "
                  "arange(4); at most {n} elements and {dims} dimensions each, {chars} characters in all.",
                  "名称 = 值; …：一个数字、[1, 2, 3] 这样的列表，或 randn(3)、rand(2, 3)、ones(3)、zeros(3)、arange(4)；"
                  "每个最多 {n} 个元素、{dims} 个维度，总共最多 {chars} 个字符。"),
    "grad": ("requires_grad=True for", "设置 requires_grad=True 的输入"),
    "dtype": ("dtype", "dtype"),
    "seed": ("Seed of randn / rand", "randn / rand 的随机种子"),
    "live": ("The graph PyTorch recorded", "PyTorch 记录的计算图"),
    "bad": ("This program cannot run: {msg}", "这个程序无法运行：{msg}"),
    "bad_inputs": ("The inputs cannot be read: {msg}", "无法读取这些输入：{msg}"),
    "torch_said": ("PyTorch's own message, quoted as it wrote it:", "PyTorch 的原始报错（英文，原样引用）："),
    "nodes": ("backward functions", "反向函数"),
    "leaves": ("leaves with .grad", "带 .grad 的叶子"),
    "saved": ("tensors saved for backward", "为反向传播保存的张量"),
    "saved_bytes": ("bytes saved", "保存的字节数"),
    "output": ("Output {name}: shape {shape}, values {value}.", "输出 {name}：形状 {shape}，值 {value}。"),
    "backward": ("Backward, node by node", "逐节点反向传播"),
    "node": ("Nodes fired so far", "已经执行的节点数"),
    "before": ("Before backward: blue boxes are backward functions (with the code that made them and what they "
               "saved), yellow ellipses the leaves and the output. Move the slider to run backward.",
               "反向传播之前：蓝色方框是反向函数（附上创建它的代码和它保存的内容），黄色椭圆是叶子和输出。"
               "拖动滑块来执行反向传播。"),
    "fired": ("Node {k} of {n}: **{name}** received ∂out/∂(its output) = {grad}.",
              "第 {k} / {n} 个节点：**{name}** 收到 ∂out/∂(它的输出) = {grad}。"),
    "fired.sent": ("What it sent along each edge, by the chain rule:", "它按链式法则沿每条边发出的梯度："),
    "fired.acc": ("An AccumulateGrad sends nothing on: it adds the gradient into its leaf's .grad.",
                  "AccumulateGrad 不再向下传递：它把梯度累加到所属叶子的 .grad 中。"),
    "col.to": ("to", "发往"),
    "col.sent": ("gradient along the edge", "沿这条边传递的梯度"),
    "dot.saved": ("saved", "保存"),
    "dot.grad": ("grad", "梯度"),
    "csv": ("Download the nodes and gradients (CSV)", "下载节点与梯度（CSV）"),
    "ours": ("Our scalar engine beside torch", "我们自己的标量引擎与 torch 对照"),
    "ours.intro": ("The same program run again by `ScalarValue`, a reverse-mode engine of about a hundred lines in "
                   "`engine/autograd/scalar.py`: every number remembers its inputs and local derivatives, and "
                   "`backward` applies the chain rule edge by edge in reverse topological order.",
                   "同一个程序再由 `ScalarValue` 运行一遍：它是 `engine/autograd/scalar.py` 中约一百行的反向模式引擎，"
                   "每个数都记得自己的输入和局部导数，`backward` 按逆拓扑序逐条边应用链式法则。"),
    "ours.none": ("No input requires a gradient, so there is nothing to compare.", "没有需要梯度的输入，因此无可比较。"),
    "col.input": ("input", "输入"),
    "col.torch": ("torch .grad ({dtype})", "torch .grad（{dtype}）"),
    "col.ours": ("ScalarValue grad (float64)", "ScalarValue 梯度（float64）"),
    "col.diff": ("largest |difference|", "最大 |差值|"),
    "diff.none": ("not compared: torch's .grad is None", "未比较：torch 的 .grad 是 None"),
    "diff.mixed": ("{diff} (ours float64 against torch {dtype}: {dtype} rounding)",
                   "{diff}（我们的 float64 对比 torch 的 {dtype}：{dtype} 的舍入误差）"),
    "grad.none": ("None: no path from this input reaches the output", "None：从这个输入出发没有路径通向输出"),
    "lab": ("The lab: autograd's rules, run", "实验室：自动求导的规则，实际运行"),
    "lab.calls": ("backward() calls on the same graph", "在同一张图上调用 backward() 的次数"),
    "lab.acc": ("**Gradients accumulate.** After 1 call {leaf}.grad = {first}; after {k} calls {last}: k times the "
                "gradient (largest deviation from exactly k×: {err}). zero_grad() sets it back to {zero}.",
                "**梯度会累加。** 调用 1 次后 {leaf}.grad = {first}；调用 {k} 次后为 {last}：正好是梯度的 k 倍"
                "（与精确 k 倍的最大偏差：{err}）。zero_grad() 把它清回 {zero}。"),
    "lab.twice": ("**A second backward without retain_graph=True** on this program ({n} saved tensors, freed by the "
                  "first) raises PyTorch's error:",
                  "**不带 retain_graph=True 的第二次 backward**（这个程序保存了 {n} 个张量，第一次就已释放）"
                  "会抛出 PyTorch 的错误："),
    "lab.twice_ok": ("**A second backward without retain_graph=True** works on this program: it saved {n} tensors, "
                     "so nothing was freed. Add an operation that saves one (e.g. x * x) and it fails.",
                     "**不带 retain_graph=True 的第二次 backward** 在这个程序上可以运行：它保存了 {n} 个张量，"
                     "没有可释放的东西。加一个会保存张量的运算（例如 x * x）就会失败。"),
    "lab.detach": ("**detach() shares storage:** same memory: {same}. Writing 100 into the detached tensor changed "
                   "the original to {x} and its version counter from {v0} to {v1}.",
                   "**detach() 共享存储：** 同一块内存：{same}。往分离出的张量写入 100 后，原张量变成 {x}，"
                   "版本计数从 {v0} 变为 {v1}。"),
    "lab.inplace": ("**In-place change to a saved tensor:** b = a.sigmoid() saves b; b.add_(1) moves its version "
                    "from {v0} to {v1}; backward notices and refuses:",
                    "**对已保存张量的原地修改：** b = a.sigmoid() 保存了 b；b.add_(1) 把它的版本从 {v0} 变为 {v1}；"
                    "backward 发现后拒绝执行："),
    "lab.modes": ("Each cell was measured just now on Linear → Dropout(0.5): eval() changes what layers do, not "
                  "whether autograd records; no_grad and inference_mode stop the recording (and the memory it "
                  "keeps); inference tensors cannot enter a graph later.",
                  "每个格子都是刚刚在 Linear → Dropout(0.5) 上实测的：eval() 改变的是层的行为，而不是自动求导是否记录；"
                  "no_grad 和 inference_mode 会停止记录（以及它占用的内存）；推理张量之后不能再进入计算图。"),
    "col.mode": ("how it ran", "运行方式"),
    "col.records": ("graph recorded", "记录计算图"),
    "col.saved": ("saved for backward", "为反向保存"),
    "col.inference": ("inference tensor", "推理张量"),
    "col.dropout": ("Dropout drops", "Dropout 生效"),
    "col.later": ("usable in autograd later", "之后可用于自动求导"),
    "mode.plain": ("plain, train()", "普通，train()"),
    "mode.detach": ("then .detach()", "之后 .detach()"),
    "mode.no_grad": ("torch.no_grad()", "torch.no_grad()"),
    "mode.inference_mode": ("torch.inference_mode()", "torch.inference_mode()"),
    "mode.eval": ("model.eval()", "model.eval()"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "measured": ("Measured: our engine against torch", "实测：我们的引擎与 torch 对比"),
    "t.ours": ("ScalarValue: build + backward", "ScalarValue：构建 + 反向"),
    "t.torch": ("torch: build + backward", "torch：构建 + 反向"),
    "t.ratio": ("ours / torch", "我们的 / torch"),
    "t.note": ("Median of 7 interleaved rounds (ours {lo}–{hi} ms, torch {tlo}–{thi} ms) on {n} input elements. Per "
               "element a Python object against a C++ kernel per tensor: on tiny inputs the two are close, and the "
               "gap grows with every element.",
               "7 轮交错计时的中位数（我们的 {lo}–{hi} ms，torch {tlo}–{thi} ms），输入共 {n} 个元素。"
               "我们每个元素一个 Python 对象，torch 每个张量一个 C++ 内核：输入极小时两者相近，元素越多差距越大。"),
    "walk": ("Walkthrough", "导览"),
    "walk.apply": ("Apply step {n}", "应用第 {n} 步"),
    "walk.1": ("**The notes' example.** y = x + 2, z = y·y·3, out = z.mean(): five backward functions; the "
               "multiplication saved y twice. Slide through backward: x.grad ends at 4.5 = 6·(x+2)/4.",
               "**笔记里的例子。** y = x + 2，z = y·y·3，out = z.mean()：五个反向函数；乘法把 y 保存了两次。"
               "拖动滑块执行反向传播：x.grad 最终为 4.5 = 6·(x+2)/4。"),
    "walk.2": ("**Two leaves, one constant.** b = 2.0 has no requires_grad: no AccumulateGrad for it, and the "
               "graph ends there.",
               "**两个叶子，一个常量。** b = 2.0 没有 requires_grad：它没有 AccumulateGrad，图在那里结束。"),
    "walk.3": ("**A neuron.** relu(w @ x + b) against a target: MvBackward0 saved only x, because only w's "
               "gradient needs it (∂(w @ x)/∂w is x); x requires no gradient, so w, which x's gradient would need, "
               "is not kept. Only w and b get .grad.",
               "**一个神经元。** relu(w @ x + b) 与目标比较：MvBackward0 只保存了 x，因为只有 w 的梯度需要它"
               "（∂(w @ x)/∂w 就是 x）；x 不需要梯度，所以 x 的梯度才需要的 w 没有被保存。只有 w 和 b 得到 .grad。"),
    "walk.4": ("**detach() cuts a path.** d = x.detach() enters as a constant: the gradient is d, not 2x.",
               "**detach() 切断一条路径。** d = x.detach() 作为常量参与：梯度是 d 而不是 2x。"),
    "walk.5": ("**A value used three times.** y·y·y: the gradients from every use meet at ExpBackward0 and are "
               "summed before they flow on.",
               "**一个值被用了三次。** y·y·y：每次使用传回的梯度在 ExpBackward0 汇合，相加后再往下传。"),
    "walk.6": ("**Second order.** out = Σ x·x·y + Σ sin(x·y): the Hessian's x–y blocks are not zero, because x and "
               "y meet in one term; each entry is a backward through the backward, checked against "
               "torch.autograd.functional.hessian.",
               "**二阶导数。** out = Σ x·x·y + Σ sin(x·y)：Hessian 的 x–y 块不为零，因为 x 和 y 出现在同一项里；"
               "每个元素都来自对反向传播再做一次反向传播，并与 torch.autograd.functional.hessian 对照。"),
    "walk.7": ("**The language's newer words.** Attention weights p = softmax(q·kᵀ, dim=-1) over the keys; where(…, "
               "p, 0) keeps only the large ones and max(dim=1) takes each query's largest: the graph shows "
               "PermuteBackward0 for .T, SoftmaxBackward0, WhereBackward0 and MaxBackward0, and the gradient reaches "
               "q and k only through the weights that were kept and picked.",
               "**语言里较新的词。** 注意力权重 p = softmax(q·kᵀ, dim=-1) 沿各个键归一化；where(…, p, 0) 只保留较大的权重，"
               "max(dim=1) 取每个查询的最大值：图中出现 .T 对应的 PermuteBackward0、SoftmaxBackward0、WhereBackward0 和 "
               "MaxBackward0，梯度只经由被保留、被选中的权重到达 q 和 k。"),
    "walk.8": ("**A Function of your own.** softplus here is a custom torch.autograd.Function: its forward saves x "
               "with ctx.save_for_backward, its backward returns grad·σ(x). It stands in the graph as "
               "SoftplusBackward with the tensor it saved, our scalar engine agrees with it, and the Hessian goes "
               "through its backward.",
               "**你自己的 Function。** 这里的 softplus 是一个自定义的 torch.autograd.Function：forward 用 "
               "ctx.save_for_backward 保存 x，backward 返回 grad·σ(x)。它在图中显示为 SoftplusBackward，并带着它保存的张量；"
               "我们的标量引擎与它一致，Hessian 也会穿过它的 backward。"),
    "walk.9": ("**Hook a value.** x reaches out two ways, through y = x·2 and directly: a hook that scales y's "
               "gradient changes only the path through y, so x.grad moves by less than the factor (compare the two "
               "columns); retain_grad() keeps y's gradient, which a plain backward drops.",
               "**给一个值挂钩子。** x 通过两条路到达 out：经过 y = x·2，以及直接到达。缩放 y 的梯度的钩子只改变经过 y 的那条路，"
               "所以 x.grad 的变化小于这个倍数（比较两列）；retain_grad() 保留了 y 的梯度，普通的反向传播会丢掉它。"),
    "walk.10": ("**The version counter on your code.** exp saves its result for backward; y.add_(1) then changes "
                "that very tensor in place. The forward runs, but backward refuses: the table shows y's version "
                "moved past the one ExpBackward0 saved. Write z = y + 1 instead and backward goes through.",
                "**版本计数器作用在你的代码上。** exp 为反向传播保存了它的结果；y.add_(1) 随后原地修改了这个张量。"
                "前向可以运行，反向传播却拒绝了：表格显示 y 的版本已超过 ExpBackward0 保存时的版本。改写成 z = y + 1，"
                "反向传播就能通过。"),
    # in-place changes in the visitor's own program (ui/autograd/inplace.py)
    "inplace": ("Backward refused your program", "反向传播拒绝了你的程序"),
    "inplace.refused": ("The forward pass ran, but backward refused: a tensor it needs was changed in place after "
                        "it was saved. The graph below is what the forward pass recorded; the sections that run "
                        "backward are skipped.",
                        "前向运行了，但反向传播拒绝了：它需要的一个张量在被保存之后遭到原地修改。下面的图就是前向记录下来的图；"
                        "需要运行反向传播的部分已跳过。"),
    "inplace.col.name": ("tensor", "张量"),
    "inplace.col.version": ("_version after the program", "程序运行后的 _version"),
    "inplace.fix": ("Each in-place method (add_, mul_, exp_, sigmoid_) adds one to its tensor's version; backward "
                    "compares the version of every tensor it saved with the one it recorded. Use the out-of-place "
                    "form (y + 1, y * 3, y.exp()) where backward still needs the old value.",
                    "每个原地方法（add_、mul_、exp_、sigmoid_）都会让它的张量版本加一；反向传播会把它保存的每个张量的版本"
                    "与记录下的版本比较。在反向传播仍需要旧值的地方，请使用非原地形式（y + 1、y * 3、y.exp()）。"),
    # hooks and retain_grad on the visitor's own program (ui/autograd/hooks.py)
    "hooks": ("Hooks and retain_grad() on your program", "在你的程序上使用钩子和 retain_grad()"),
    "hooks.intro": ("Backward keeps .grad only for leaves; an intermediate value's gradient passes through and is "
                    "gone unless `retain_grad()` keeps it. `register_hook(fn)` sees that gradient as it passes, and "
                    "what fn returns replaces it for everything upstream. Pick one of your values and a factor: "
                    "backward runs twice, plain and hooked.",
                    "反向传播只为叶子保留 .grad；中间值的梯度流过之后就消失了，除非用 `retain_grad()` 保留它。"
                    "`register_hook(fn)` 能在梯度流过时看到它，fn 的返回值会替换它，供上游所有节点使用。"
                    "选择你程序中的一个值和一个倍数：反向传播运行两次，一次不加钩子，一次加钩子。"),
    "hooks.none": ("No assigned value has a grad_fn here (nothing requires grad), so there is nothing to hook.",
                   "这里没有哪个赋值结果带 grad_fn（没有需要梯度的输入），所以没有可挂钩子的地方。"),
    "hooks.pick": ("Value to hook", "挂钩子的值"),
    "hooks.scale": ("The hook multiplies its gradient by", "钩子把它的梯度乘以"),
    "hooks.retained": ("Without retain_grad(), {name}.grad after backward is None: {none}. The hook received "
                       "{saw}; with retain_grad(), {name}.grad is {kept}, the hook's return value (×{k}).",
                       "不调用 retain_grad() 时，反向传播后 {name}.grad 为 None：{none}。钩子收到的是 {saw}；"
                       "调用 retain_grad() 后，{name}.grad 是 {kept}，即钩子的返回值（×{k}）。"),
    "hooks.col.plain": ("input .grad, no hook", "输入的 .grad，无钩子"),
    "hooks.col.hooked": ("input .grad, hook ×{k}", "输入的 .grad，钩子 ×{k}"),
    "hooks.paths": ("Every path from an input to the output that goes through {name} is multiplied by {k}; paths "
                    "that avoid it are not, so an input reached both ways changes by less.",
                    "从输入到输出、经过 {name} 的每条路径都乘以 {k}；不经过它的路径不变，所以两种方式都能到达的输入变化得更少。"),
    # a custom autograd.Function (ui/autograd/custom.py)
    "custom": ("A custom autograd.Function", "自定义 autograd.Function"),
    "custom.intro": ("When an operation's derivative is known in closed form (or should differ from what autograd "
                     "would derive), write forward and backward yourself: forward keeps what backward needs with "
                     "`ctx.save_for_backward`, backward returns the gradient for each input. The language's "
                     "`softplus(x)` runs this class, so you can use it in your own program above.",
                     "当一个运算的导数有闭式解（或者应当与 autograd 自动推导的不同）时，可以自己写 forward 和 backward："
                     "forward 用 `ctx.save_for_backward` 保存 backward 需要的东西，backward 为每个输入返回梯度。"
                     "语言中的 `softplus(x)` 运行的就是这个类，所以你可以在上面自己的程序里使用它。"),
    "custom.col.what": ("check, run now", "检查（刚刚运行）"),
    "custom.col.result": ("result", "结果"),
    "custom.row.node": ("its node in the graph", "它在图中的节点"),
    "custom.row.saved": ("tensors saved for backward by one call", "一次调用为反向传播保存的张量数"),
    "custom.row.value": ("max |Softplus(x) − F.softplus(x)| over {n} inputs", "{n} 个输入上的最大 |Softplus(x) − F.softplus(x)|"),
    "custom.row.grad": ("max |its gradient − F.softplus's| over {n} inputs", "{n} 个输入上的最大 |它的梯度 − F.softplus 的梯度|"),
    "custom.row.gradcheck": ("torch.autograd.gradcheck passes", "torch.autograd.gradcheck 通过"),
    "custom.row.wrong": ("gradcheck passes a wrong backward (eˣ instead of σ(x))",
                         "gradcheck 放过了错误的 backward（用 eˣ 代替 σ(x)）"),
    "custom.row.wrong_diff": ("max |wrong gradient − F.softplus's| over {n} inputs",
                              "{n} 个输入上的最大 |错误梯度 − F.softplus 的梯度|"),
    "custom.verdict": ("{node} gives F.softplus's gradient to {diff}, gradcheck accepts it, and gradcheck rejects the "
                       "wrong backward, which is off by up to {wrong}.",
                       "{node} 给出的梯度与 F.softplus 相差不超过 {diff}，gradcheck 接受它，并拒绝了最多偏离 {wrong} 的错误 backward。"),
    "custom.broken": ("The custom Function's checks did not all pass: see the table (gradient off by {diff}; the "
                      "wrong backward is off by {wrong}).",
                      "自定义 Function 的检查没有全部通过：见表格（梯度偏差 {diff}；错误 backward 偏差 {wrong}）。"),
    # second order (ui/autograd/hessian.py)
    "hess": ("Second order: the Hessian", "二阶：Hessian 矩阵"),
    "hess.intro": ("`torch.autograd.grad(out, inputs, create_graph=True)` records the backward pass as a graph of "
                   "its own, so each component of the gradient can be differentiated again: one more backward per "
                   "component gives one row of the Hessian. The inputs that require grad are flattened in the order "
                   "the Inputs list them.",
                   "`torch.autograd.grad(out, inputs, create_graph=True)` 会把反向传播本身也记录成一张图，于是梯度的每个分量"
                   "都可以再求导：对每个分量再做一次反向传播，就得到 Hessian 的一行。需要梯度的输入按它们在“输入”中列出的顺序展平。"),
    "hess.too_big": ("The Hessian would be {n}×{n}; this page computes it for at most {limit} input numbers.",
                     "Hessian 将是 {n}×{n}；本页最多对 {limit} 个输入数值计算它。"),
    "hess.check": ("All {n}×{n} entries equal torch.autograd.functional.hessian's to {diff} ({dtype}); the matrix "
                   "is symmetric to {asym}, as second derivatives commute.",
                   "全部 {n}×{n} 个元素与 torch.autograd.functional.hessian 的结果相差不超过 {diff}（{dtype}）；矩阵在 {asym} "
                   "以内对称，因为二阶导数可以交换求导次序。"),
    "hess.size": ("Hessian", "Hessian"),
    "hess.nodes": ("backward functions recorded by create_graph=True", "create_graph=True 记录的反向函数"),
    "hess.nonzero": ("nonzero entries", "非零元素"),
    "hess.summed": ("{name} has more than one element: this is the Hessian of {name}.sum(), as backward seeded "
                    "with ones would see it.", "{name} 不止一个元素：这里是 {name}.sum() 的 Hessian，与用全 1 作种子的反向传播一致。"),
    "hess.order": ("Rows and columns, in order: {order}.", "行与列的顺序：{order}。"),
    "hess.constant": ("The gradient does not depend on the inputs (no graph was recorded for it), so every second "
                      "derivative is zero.", "梯度不依赖于输入（没有为它记录任何图），所以所有二阶导数都是零。"),
    "hess.table": ("The matrix as numbers", "矩阵的数值"),
    "hess.graph": ("The graph backward recorded with create_graph=True ({n} backward functions)",
                   "create_graph=True 时反向传播记录下的图（{n} 个反向函数）"),
    "hess.graph.caption": ("The gradient is itself a tensor with a grad_fn: read from it like the graph above, these "
                           "are the nodes the second backward runs through, one row of the Hessian per component.",
                           "梯度本身也是带 grad_fn 的张量：像上面的图一样从它读出，这些就是第二次反向传播经过的节点，"
                           "梯度的每个分量对应 Hessian 的一行。"),
    "hess.csv": ("Download the Hessian beside torch's (CSV)", "下载 Hessian 及 torch 的结果（CSV）"),
    "plot.row": ("∂ / ∂ (row)", "∂ / ∂（行）"),
    "plot.col": ("∂ / ∂ (column)", "∂ / ∂（列）"),
    "plot.value": ("∂²out / ∂θi ∂θj", "∂²out / ∂θi ∂θj"),
    "plot.before": ("before backward: nothing has fired", "反向传播之前：还没有节点执行"),
    "plot.fired": ("backward {k} of {n}: {name}", "反向传播第 {k} 步（共 {n} 步）：{name}"),
}
