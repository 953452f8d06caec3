"""Strings of the number-formats page."""

TEXT = {
    "title": ("Number formats and mixed precision", "数值格式与混合精度"),
    "what": (
        "A floating-point number stores a sign, an exponent and a mantissa. The exponent bits buy **range**, the "
        "mantissa bits buy **precision**: FP16 has few exponent bits, so small gradients fall below its range and "
        "become zero; loss scaling multiplies the loss (and so every gradient) to shift them back into range. BF16 "
        "keeps FP32's exponent and drops precision instead; FP8 has so little of both that it needs a scale per tensor, "
        "and FP6 / FP4 need one per block of 16–32 values (MX formats, NVFP4).",
        "浮点数由符号位、指数位和尾数位组成。指数位决定**范围**，尾数位决定**精度**。FP16 的指数位少，"
        "很小的梯度会跌出可表示范围而变成 0；损失缩放（loss scaling）把损失乘上一个系数，让所有梯度随之放大、"
        "回到可表示范围内。BF16 保留了 FP32 的指数位、牺牲精度；FP8 的范围和精度都很少，因此每个张量都需要单独缩放；"
        "FP6 / FP4 更是每 16–32 个值的块就需要一个缩放因子（MX 格式、NVFP4）。",
    ),
    "device": ("Computed live on: {device}", "实时计算设备：{device}"),
    "view": ("View", "视图"),
    "view.formats": ("Formats", "格式一览"),
    "view.explorer": ("Bit explorer", "比特探索器"),
    "view.range": ("Range & precision", "范围与精度"),
    "view.gradients": ("Real gradients", "真实梯度"),
    "view.training": ("Loss scaling & training", "损失缩放与训练"),
    "view.blocks": ("Block scaling", "块缩放"),
    "view.outlier": ("One outlier", "一个离群值"),
    "view.lowbit": ("FP8 / FP4 training", "FP8 / FP4 训练"),
    "view.stochastic": ("Stochastic rounding & Hadamard", "随机舍入与 Hadamard 变换"),
    "view.yours": ("Your tensors", "你的张量"),
    "view.walkthrough": ("Walkthrough", "导览"),
    "formats.caption": (
        "Every number below is derived from the field widths by the engine. The last column names what the tests "
        "check each format's rounding against, bit for bit: torch's casts, ml_dtypes, or (TF32, which neither has) an "
        "independent bit-level reference.",
        "下表每个数值都由引擎根据位宽推导得出。最后一列注明测试逐位核对该格式舍入结果时所用的参照：torch 的类型转换、"
        "ml_dtypes，或者（对两者都没有的 TF32）一个独立的位级参考实现。",
    ),
    "fcol.reference": ("checked against", "核对参照"),
    "ref.bits": ("an independent bit-level reference (no torch dtype)", "独立的位级参考实现（torch 无此 dtype）"),
    "formula.bias": ("bias", "偏置"),
    "formula.loss_scaling": ("loss scaling", "损失缩放"),
    "err.overflow": ("overflow → {value}", "溢出 → {value}"),
    "err.no_value": ("no value (NaN)", "无对应值（NaN）"),
    "err.special": ("undefined ({value} input)", "无定义（输入为 {value}）"),
    "formats.csv": ("Download the table (CSV)", "下载表格（CSV）"),
    "explorer.format": ("Edit in format", "编辑格式"),
    "explorer.input": ("Decimal value or bit pattern", "十进制数值或比特模式"),
    "explorer.help": (
        "Type a decimal (0.1, -1e-7, 65520, inf, nan) or a pattern in the edit format (0x3C00, 0b0011110000000000).",
        "输入十进制数（0.1、-1e-7、65520、inf、nan），或编辑格式下的比特模式（0x3C00、0b0011110000000000）。",
    ),
    "explorer.bits": ("Click a bit to flip it (highlighted = 1)", "点击某一位即可翻转（高亮 = 1）"),
    "explorer.sign": ("sign", "符号"),
    "explorer.exponent": ("exponent", "指数"),
    "explorer.mantissa": ("mantissa", "尾数"),
    "explorer.stored": ("Stored value in {fmt}", "{fmt} 中实际存储的值"),
    "explorer.every": ("The same input in every format", "同一输入在各格式中的表示"),
    "explorer.rounding": ("How the input was rounded into {fmt}", "输入如何被舍入到 {fmt}"),
    "explorer.below": ("neighbour below", "下方相邻值"),
    "explorer.above": ("neighbour above", "上方相邻值"),
    "explorer.ulp": ("ulp (spacing there)", "ulp（该处间距）"),
    "explorer.error": ("conversion error", "转换误差"),
    "explorer.rel": ("relative {rel}", "相对 {rel}"),
    "explorer.error_bad": ("Cannot read that input: {msg}", "无法识别该输入：{msg}"),
    "explorer.formula": ("value = (−1)^s · 2^(e − bias) · (1 + m / 2^M), subnormals: (−1)^s · 2^(1 − bias) · m / 2^M",
                         "数值 = (−1)^s · 2^(e − 偏置) · (1 + m / 2^M)；次正规数：(−1)^s · 2^(1 − 偏置) · m / 2^M"),
    "explorer.torch_note": (
        "Conventions follow torch: a float64 input is rounded to float32 first (as torch's casts do), and FP8 E4M3 "
        "saturates overflow and ±inf to ±448. NaN payloads are not specified by IEEE 754; the canonical quiet NaN is shown.",
        "约定与 torch 一致：float64 输入先舍入到 float32（与 torch 的转换相同）；FP8 E4M3 溢出及 ±inf 饱和为 ±448。"
        "IEEE 754 不规定 NaN 的载荷，这里显示规范的 quiet NaN。",
    ),
    "col.format": ("format", "格式"),
    "col.bits": ("bits (s · e · m)", "比特（符号·指数·尾数）"),
    "col.hex": ("hex", "十六进制"),
    "col.class": ("class", "类别"),
    "col.value": ("stored value (exact)", "存储值（精确）"),
    "col.error": ("error", "误差"),
    "col.rel": ("relative error", "相对误差"),
    "range.formats": ("Formats to compare", "要比较的格式"),
    "range.line": ("Where each format can store a number (log2 scale)", "各格式可表示的数值区间（log2 坐标）"),
    "range.line_caption": (
        "Grey: rounds to zero; amber: subnormal (precision thins out); green: normal; red: overflow. fp64 runs off both "
        "ends of this axis (2^-1074 … 2^1024).",
        "灰色：舍入为 0；琥珀色：次正规数（精度逐渐变差）；绿色：正规数；红色：溢出。fp64 的范围超出坐标轴两端（2^-1074 … 2^1024）。",
    ),
    "range.ulp": ("Relative spacing ulp(x)/|x| against |x|", "相对间距 ulp(x)/|x| 随 |x| 的变化"),
    "range.ulp_caption": (
        "Flat at 2^-M across the normal range: that is the precision. Among subnormals the relative spacing grows "
        "until the smallest subnormal is its own ulp.",
        "在正规数范围内恒为 2^-M，这就是精度；进入次正规数后相对间距逐渐变大，直到最小次正规数的 ulp 等于它自身。",
    ),
    "grad.intro": (
        "A tiny byte-level GPT ({params} parameters) is trained live in fp32 for {steps} steps on Python source text; "
        "then every weight gradient and every linear layer's output (activation) gradient of one batch is recorded.",
        "一个很小的字节级 GPT（{params} 个参数）在 Python 源代码文本上以 fp32 实时训练 {steps} 步，"
        "然后记录下一个批次中每个权重梯度和每个线性层输出（激活）梯度。",
    ),
    "grad.training": ("Training the model for the gradient study…", "正在训练用于梯度研究的模型……"),
    "grad.layer": ("Gradients", "梯度"),
    "grad.all_act": ("all activation gradients", "全部激活梯度"),
    "grad.all_weight": ("all weight gradients", "全部权重梯度"),
    "grad.format": ("Store them in", "存储格式"),
    "grad.scale": ("Loss scale: log2", "损失缩放系数：log2"),
    "grad.overflow": ("overflow", "溢出"),
    "grad.underflow": ("flushed to zero", "下溢为 0"),
    "grad.subnormal": ("subnormal", "次正规数"),
    "grad.normal": ("normal", "正规数"),
    "grad.count": ("{count} nonzero values ({zeros} exact zeros left out); final fp32 loss {loss:.3f}",
                   "{count} 个非零值（另有 {zeros} 个精确为 0 的值未计入）；fp32 最终损失 {loss:.3f}"),
    "grad.sweep": ("Lost fractions as the loss scale sweeps", "损失缩放系数扫描时的丢失比例"),
    "grad.update": ("Why master weights stay in fp32: updates that vanish", "为什么主权重要保存为 fp32：消失的更新"),
    "grad.update_body": (
        "With plain SGD, a weight moves by lr·g. Stored in a narrow format, w + lr·g often rounds back to w: the "
        "update is lost even though g itself was representable. Fractions below use the captured weights and gradients.",
        "使用普通 SGD 时，权重每步变化 lr·g。如果权重以窄格式存储，w + lr·g 常常又舍入回 w：即使 g 本身可以表示，"
        "这次更新也丢失了。下表使用刚才记录的真实权重和梯度计算。",
    ),
    "grad.lr": ("Learning rate", "学习率"),
    "grad.lost_updates": ("updates lost", "丢失的更新比例"),
    "grad.csv": ("Download the lost fractions (CSV)", "下载丢失比例（CSV）"),
    "train.intro": (
        "The same model, seed and batches trained four ways: fp32, fp16 without scaling, fp16 with the dynamic loss "
        "scaler (GradScaler's rules), and bf16. By default under autocast with fp32 master weights and AdamW; switch "
        "the optimizer to SGD and the weights to the low format to see what those two hide.",
        "同一模型、同一随机种子和同一批数据，用四种方式训练：fp32、不缩放的 fp16、使用动态损失缩放（与 GradScaler "
        "规则相同）的 fp16，以及 bf16。默认在 autocast 下训练，主权重为 fp32，优化器为 AdamW；把优化器换成 SGD、"
        "把权重换成低精度格式，就能看到这两者掩盖了什么。",
    ),
    "train.steps": ("Steps", "步数"),
    "train.init_scale": ("Initial loss scale: log2", "初始损失缩放系数：log2"),
    "train.interval": ("Growth interval (GradScaler default 2000)", "增长间隔（GradScaler 默认 2000）"),
    "train.run": ("Train all four", "开始训练四种模式"),
    "train.optimizer": ("Optimizer", "优化器"),
    "train.weights": ("Weights held in", "权重存储精度"),
    "train.w.fp32": ("fp32 (master copy)", "fp32（主权重副本）"),
    "train.w.low": ("the mode's format", "与模式相同的格式"),
    "train.lr": ("Learning rate", "学习率"),
    "train.col.stuck": ("weights a gradient failed to move", "梯度未能改动的权重比例"),
    "train.why_adamw": (
        "Why AdamW with fp32 master weights hides the formats: AdamW divides each update by the running RMS of that "
        "weight's own gradient, so every update is about the learning rate in size however small the gradient was, "
        "and the fp32 master copy keeps it. SGD's update is lr·g, as small as the gradient; with the weights held in "
        "fp16 or bf16 an update below half an ulp of its weight is rounded away (the stuck column counts them).",
        "为什么 AdamW 加 fp32 主权重会掩盖格式差异：AdamW 用每个权重自身梯度的滑动 RMS 去除它的更新，所以无论梯度多小，"
        "每次更新的大小都约等于学习率，而 fp32 主权重副本能完整保留这一更新。SGD 的更新是 lr·g，和梯度一样小；"
        "若权重以 fp16 或 bf16 存储，小于该权重半个 ulp 的更新会被舍入掉（“未能改动”一列统计的就是它们）。"),
    "train.loss": ("Loss curves", "损失曲线"),
    "train.scale": ("Dynamic loss scale (fp16 + scaling)", "动态损失缩放系数（fp16 + 缩放）"),
    "train.summary": ("Summary", "汇总"),
    "train.col.mode": ("mode", "模式"),
    "train.col.final": ("final loss", "最终损失"),
    "train.col.skipped": ("skipped steps", "跳过的步数"),
    "train.col.zeros": ("zero gradient entries", "梯度为 0 的比例"),
    "train.col.seconds": ("seconds (one run each, in turn)", "秒（每种模式依次各跑一次）"),
    "train.seconds_note": (
        "Seconds: each mode trained once, one after another, on {machine}: not repeated, not interleaved, so a busy "
        "machine adds noise. There fp16 took {r16:.1f}× and bf16 {rbf:.1f}× fp32's time. A CPU without fp16 or bf16 "
        "matrix instructions computes them in software, more slowly than fp32: these times say nothing about what the "
        "formats cost on a GPU.",
        "秒数：每种模式在 {machine} 上依次各训练一次，没有重复，也没有交错进行，因此机器繁忙时会带来噪声。其中 fp16 "
        "耗时为 fp32 的 {r16:.1f} 倍，bf16 为 {rbf:.1f} 倍。没有 fp16 或 bf16 矩阵指令的 CPU 会用软件模拟这两种运算，"
        "比 fp32 更慢：这些时间不能说明这些格式在 GPU 上的代价。"),
    "train.this_server": ("this server ({device})", "本服务器（{device}）"),
    "train.scaling": (
        "What loss scaling changed here: fp16 without scaling ended at {fp16:.4f}, with scaling at {scaled:.4f} "
        "(fp16 minus fp16 + scaling: {gain:+.4f}), fp32 at {fp32:.4f}. Scaling can only help by rescuing gradients that fp16 "
        "flushes to zero, and unscaled fp16 zeroed {zeros16:.3%} of gradient entries against {zeros32:.3%} in fp32. "
        "Across the {n} recorded comparisons shipped with this page, scaling lowered fp16's final loss by at most "
        "{best:.4f}.",
        "损失缩放在这里改变了什么：不缩放的 fp16 最终损失为 {fp16:.4f}，缩放后为 {scaled:.4f}（不缩放减去缩放：{gain:+.4f}），"
        "fp32 为 {fp32:.4f}。缩放只有在救回被 fp16 下溢为 0 的梯度时才有用，而不缩放的 fp16 有 {zeros16:.3%} 的梯度元素为 0，"
        "fp32 为 {zeros32:.3%}。在本页附带的 {n} 组录制对比中，缩放最多把 fp16 的最终损失降低了 {best:.4f}。"),
    "train.autocast": (
        "Where autocast computed each part of this model, seen on one forward pass on this device: {parts}. "
        "Attention's softmax runs inside scaled_dot_product_attention, in attention's dtype. On CUDA, torch's autocast "
        "list also runs a standalone softmax, layer_norm and the losses in float32 whatever their input.",
        "在本设备上的一次前向传播中观察到的 autocast 对模型各部分的精度安排：{parts}。注意力的 softmax 在 "
        "scaled_dot_product_attention 内部计算，精度与注意力相同。在 CUDA 上，torch 的 autocast 列表还会让单独调用的 "
        "softmax、layer_norm 和各种损失函数无论输入为何都以 float32 计算。"),
    "part.linear": ("linear layers", "线性层"),
    "part.attention": ("attention", "注意力"),
    "part.layer_norm": ("layer norms", "层归一化"),
    "part.loss": ("the loss", "损失"),
    "train.csv": ("Download loss curves (CSV)", "下载损失曲线（CSV）"),
    "walk.intro": ("Each step sets the controls; then open the view it names and look for what it says.",
                   "每一步都会设置好控件；然后打开对应的视图，留意说明中提到的现象。"),
    "walk.apply": ("Apply step {n}", "应用第 {n} 步"),
    "walk.1": ("**0.1 is not 0.1.** Bit explorer, fp16, 0.1: the stored value is 0.0999755859375; the relative "
               "error is below fp16's epsilon/2 = 2^-11.",
               "**0.1 并不是 0.1。** 比特探索器，fp16，0.1：实际存储的是 0.0999755859375，相对误差小于 fp16 的 epsilon/2 = 2^-11。"),
    "walk.2": ("**65520 overflows fp16.** It lies exactly halfway between 65504 and 65536, and ties go to the even "
               "neighbour 65536, which is beyond the largest finite value: inf. BF16 stores it as 65536.",
               "**65520 在 fp16 中溢出。** 它恰好位于 65504 和 65536 的中点，舍入到偶数邻居 65536，"
               "而 65536 超过了最大有限值，于是得到 inf。BF16 则把它存为 65536。"),
    "walk.3": ("**Subnormals lose precision.** 1e-7 in fp16 is subnormal: below 2^-14 the spacing stays at "
               "2^-24 ≈ 6e-8 whatever the value, so 1e-7 lies between 1 and 2 of those steps and is stored as 2·2^-24 "
               "≈ 1.19e-7, a relative error of about 19%, against at most 0.05% for a normal fp16 number.",
               "**次正规数会丢失精度。** 1e-7 在 fp16 中是次正规数：小于 2^-14 时，无论数值多大，间距都固定为 "
               "2^-24 ≈ 6e-8，所以 1e-7 落在 1 个和 2 个间距之间，被存为 2·2^-24 ≈ 1.19e-7，相对误差约 19%，"
               "而正规 fp16 数的相对误差最多 0.05%。"),
    "walk.4": ("**Gradients vanish in fp16.** Real gradients, activation gradients, fp16, scale 2^0: look at the grey "
               "zone and the 'flushed to zero' fraction.",
               "**梯度在 fp16 中消失。** 真实梯度视图，激活梯度，fp16，缩放 2^0：看灰色区域和“下溢为 0”的比例。"),
    "walk.5": ("**Loss scaling rescues them.** Same view, scale 2^16 (GradScaler's default): the histogram moves "
               "right into the green zone; nothing overflows yet.",
               "**损失缩放能救回它们。** 同一视图，缩放 2^16（GradScaler 默认值）：直方图整体右移进入绿色区域，且尚无溢出。"),
    "walk.6": ("**BF16 needs no scaling.** bf16 at scale 2^0: FP32's exponent range keeps every gradient.",
               "**BF16 不需要缩放。** bf16，缩放 2^0：FP32 的指数范围让每个梯度都得以保留。"),
    "walk.7": ("**FP8 needs a scale per tensor, and gradients use E5M2.** fp8_e4m3 at 2^0 flushes 99.999% of the "
               "activation gradients to zero. At 2^16 none overflow, yet only 78% are normal and 11% still flush to "
               "zero; at 2^18 the first few saturate, while 5.4% still flush. No single scale fits them all: "
               "hence a scale per tensor, and FP8 training stores gradients in E5M2, whose wider range keeps 99% of "
               "them normal at 2^16 (pick fp8_e5m2).",
               "**FP8 需要按张量缩放，梯度则用 E5M2。** fp8_e4m3 在 2^0 时把 99.999% 的激活梯度下溢为 0。到 2^16 时没有溢出，"
               "但只有 78% 是正规数，仍有 11% 下溢为 0；到 2^18 时最早的几个开始饱和，而仍有 5.4% 下溢。没有一个缩放系数能"
               "同时容纳它们：所以要按张量缩放，而 FP8 训练用 E5M2 存梯度，它更宽的范围在 2^16 时让 99% 的梯度保持正规数"
               "（选择 fp8_e5m2 查看）。"),
    "walk.8": ("**Why dynamic scaling backs off.** Loss scaling view, initial scale 2^28: the first steps overflow and "
               "are skipped, and the scale halves until gradients fit.",
               "**动态缩放为什么会回退。** 损失缩放视图，初始缩放 2^28：最初几步溢出并被跳过，缩放系数不断减半，直到梯度能放下为止。"),
    "walk.9": ("**Where the format really costs.** SGD at lr 0.02 with the weights held in the low format (no fp32 master "
               "copy): bf16 ends visibly behind fp32 because most of its updates are smaller than half an ulp of their "
               "weight and round away (see the stuck column); fp16, with 3 more mantissa bits, loses fewer. AdamW with "
               "fp32 master weights (the default) hides both effects.",
               "**格式真正付出代价的地方。** SGD，学习率 0.02，权重以低精度格式存储（没有 fp32 主权重副本）：bf16 明显落后于 "
               "fp32，因为它的大多数更新小于所在权重的半个 ulp，被舍入掉了（见“未能改动”一列）；fp16 多 3 位尾数，丢失得更少。"
               "默认的 AdamW 加 fp32 主权重会把这两种效应都掩盖掉。"),
    "plot.underflow": ("underflow", "下溢"),
    "plot.subnormal": ("subnormal", "次正规数"),
    "plot.normal": ("normal", "正规数"),
    "plot.overflow": ("overflow", "溢出"),
    "plot.log2_abs": ("log2 |x|", "log2 |x|"),
    "plot.rel_spacing": ("log2 (ulp(x) / |x|)", "log2（ulp(x) / |x|）"),
    "plot.grad_x": ("log2(|g| · {scale})", "log2（|g| · {scale}）"),
    "plot.count": ("count", "个数"),
    "plot.scale_x": ("log2(loss scale)", "log2（损失缩放系数）"),
    "plot.fraction_y": ("fraction of nonzero gradients", "占非零梯度的比例"),
    "plot.step": ("step", "步数"),
    "plot.ce_y": ("cross-entropy (nats/byte)", "交叉熵（奈特/字节）"),
    "plot.skipped": ("{mode} skipped", "{mode} 跳过的步"),
    "plot.scale_trace": ("log2(scale)", "log2（缩放系数）"),
    "plot.inf_trace": ("inf/NaN: step skipped", "出现 inf/NaN：跳过该步"),
    "plot.g_scaled": ("|g|·scale", "|g|·缩放系数"),
    "fcol.format": ("format", "格式"),
    "fcol.bits": ("bits", "位数"),
    "fcol.exponent": ("exponent", "指数位"),
    "fcol.mantissa": ("mantissa", "尾数位"),
    "fcol.bias": ("bias", "偏置"),
    "fcol.max": ("max", "最大值"),
    "fcol.min normal": ("min normal", "最小正规数"),
    "fcol.min subnormal": ("min subnormal", "最小次正规数"),
    "fcol.epsilon": ("epsilon", "机器精度 ε"),
    "fcol.decimal digits": ("decimal digits", "十进制有效位数"),
    "fcol.inf": ("inf", "有无 inf"),
    "fcol.note": ("note", "说明"),
    "note.fp64": ("IEEE 754 binary64", "IEEE 754 binary64（双精度）"),
    "note.fp32": ("IEEE 754 binary32", "IEEE 754 binary32（单精度）"),
    "note.tf32": ("NVIDIA TensorFloat-32: FP32 range, FP16 precision (tensor-core inputs)",
                  "NVIDIA TensorFloat-32：FP32 的范围、FP16 的精度（张量核心的输入格式）"),
    "note.fp16": ("IEEE 754 binary16", "IEEE 754 binary16（半精度）"),
    "note.bf16": ("bfloat16: FP32 range, 8 bits of precision", "bfloat16：FP32 的范围，8 位精度"),
    "note.fp8_e4m3": ("OCP FP8 E4M3 (e4m3fn): no infinities; torch saturates overflow to ±448",
                      "OCP FP8 E4M3（e4m3fn）：没有无穷大；torch 把溢出饱和为 ±448"),
    "note.fp8_e5m2": ("OCP FP8 E5M2: IEEE-like, overflow → inf", "OCP FP8 E5M2：与 IEEE 类似，溢出 → inf"),
    "note.fp6_e3m2": ("OCP MX FP6 E3M2: every pattern a number (no inf, no NaN); overflow saturates to ±28",
                      "OCP MX FP6 E3M2：每个位模式都是数（无 inf、无 NaN）；溢出饱和为 ±28"),
    "note.fp6_e2m3": ("OCP MX FP6 E2M3: every pattern a number (no inf, no NaN); overflow saturates to ±7.5",
                      "OCP MX FP6 E2M3：每个位模式都是数（无 inf、无 NaN）；溢出饱和为 ±7.5"),
    "note.fp4_e2m1": ("OCP MX / NVFP4 FP4 E2M1: 15 values, ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}; overflow saturates",
                      "OCP MX / NVFP4 FP4 E2M1：共 15 个值，±{0, 0.5, 1, 1.5, 2, 3, 4, 6}；溢出饱和"),
    "note.e8m0": ("OCP MX scale E8M0: unsigned powers of two 2^-127…2^127, no zero, 0xFF is NaN",
                  "OCP MX 缩放因子 E8M0：无符号的 2 的幂 2^-127…2^127，没有零，0xFF 为 NaN"),
    "class.zero": ("zero", "零"),
    "class.subnormal": ("subnormal", "次正规数"),
    "class.normal": ("normal", "正规数"),
    "class.inf": ("inf", "无穷大"),
    "class.nan": ("nan", "NaN"),
    "kind.weight": ("weight", "权重"),
    "kind.activation": ("activation", "激活"),
    "kind.gradient": ("activation gradient", "激活梯度"),

    # below FP8: block scaling, the outlier, simulated low-precision training
    "blocks.intro": (
        "FP4 E2M1 holds 15 values between −6 and 6, so one scale for a whole tensor cannot fit both its large and its "
        "small values. Block scaling gives every block of 16–32 values its own scale: MX formats store a power of two "
        "(E8M0) per 32 values, NVFP4 an FP8 E4M3 scale per 16 values plus one FP32 scale per tensor, DeepSeek-V3 an "
        "FP32 scale per 1×128 tile of activations and per 128×128 block of weights. Below: a real tensor of the tiny "
        "GPT (captured on one batch after the fp32 run of the gradients view), quantised now.",
        "FP4 E2M1 在 −6 到 6 之间只有 15 个值，整个张量共用一个缩放因子，无法同时容纳大值和小值。块缩放让每 16–32 个值组成的块"
        "拥有自己的缩放因子：MX 格式每 32 个值存一个 2 的幂（E8M0）；NVFP4 每 16 个值存一个 FP8 E4M3 缩放因子，另加每个张量"
        "一个 FP32 缩放因子；DeepSeek-V3 对激活每 1×128 个值、对权重每 128×128 块存一个 FP32 缩放因子。下面是微型 GPT 的一个"
        "真实张量（在“真实梯度”视图的 fp32 训练之后，于一个批次上采集），此刻实时量化。"),
    "blocks.layer": ("Layer", "层"),
    "blocks.kind": ("Tensor", "张量"),
    "blocks.scheme": ("Scheme", "方案"),
    "blocks.size": ("Block size", "块大小"),
    "blocks.size_default": ("the scheme's", "方案默认"),
    "blocks.whole": ("whole tensor", "整个张量"),
    "blocks.m.sqnr": ("SQNR", "信噪比 SQNR"),
    "blocks.m.bits": ("bits per value", "每个值的比特数"),
    "blocks.m.block": ("block", "块"),
    "blocks.m.saturated": ("saturated", "饱和"),
    "blocks.m.flushed": ("flushed to 0", "被冲为 0"),
    "blocks.count": ("{values} values ({rows} × {cols}), {blocks} blocks, element {element}, scale {scale}. SQNR = "
                     "10·log10(Σx² / Σ(x̂ − x)²); bits per value count the element and its share of the scales.",
                     "共 {values} 个值（{rows} × {cols}），{blocks} 个块，元素格式 {element}，缩放格式 {scale}。"
                     "SQNR = 10·log10(Σx² / Σ(x̂ − x)²)；每个值的比特数包括元素本身及其分摊的缩放因子。"),
    "blocks.heat_caption": ("The first {rows} rows: the values, each value's block scale (one colour per block), the "
                            "dequantised values, and the error the quantisation left. A block whose scale is large "
                            "has coarse steps.",
                            "前 {rows} 行：原始值、每个值所在块的缩放因子（每块一种颜色）、反量化后的值，以及量化留下的误差。"
                            "缩放因子大的块，量化步长也粗。"),
    "blocks.every": ("Every scheme on {layer} ({kind})", "所有方案作用于 {layer}（{kind}）"),
    "blocks.rules": (
        "mxfp8 / mxfp4 use the OCP spec's rule, X = 2^(floor(log2 amax) − emax): the block's largest value lands in the "
        "element's top binade and can exceed its max, so it saturates (see the saturated column; a gradient's heavy "
        "tail suffers most). The _ceil variants round the scale up to the next power of two instead (as NVIDIA's "
        "MXFP8 training recipe does): nothing saturates, at the price of one binade of headroom.",
        "mxfp8 / mxfp4 采用 OCP 规范的规则 X = 2^(floor(log2 amax) − emax)：块内最大值落在元素格式最高的二进制区间，可能超过"
        "其最大值，于是饱和（见“饱和”一列；重尾的梯度受影响最大）。_ceil 变体改为把缩放因子向上取到下一个 2 的幂"
        "（NVIDIA 的 MXFP8 训练方案即如此）：不再饱和，代价是留出一个二进制区间的余量。"),
    "blocks.pooled": ("Every layer, pooled per tensor kind (SQNR, dB)", "所有层按张量类型汇总（SQNR，dB）"),
    "blocks.pooled_caption": (
        "Noise and signal summed over the 9 linear layers. This model is 64 wide, so a 128×128 DeepSeek weight block "
        "covers a whole 64×64 matrix: there it is per-tensor scaling.",
        "噪声和信号在 9 个线性层上求和。该模型宽度为 64，所以 DeepSeek 的 128×128 权重块覆盖了整个 64×64 矩阵：此时等同于逐张量缩放。"),
    "blocks.csv": ("Download the pooled study (CSV)", "下载汇总结果（CSV）"),
    "yours.intro": (
        "Upload your own tensors: a **.safetensors** file (as Hugging Face checkpoints are saved), a **.npy** "
        "(`numpy.save`) or an **.npz** (`numpy.savez`), up to {limit} MB. They are read as data only: .pt, .pth, .pkl "
        "and .bin files and object arrays are pickles, which can run code when loaded, and are refused. Every "
        "block-scaling scheme then quantises the tensor you pick (its first {values} values; leading dimensions "
        "folded into rows, blocks running along the last dimension).",
        "上传你自己的张量：**.safetensors** 文件（Hugging Face 检查点的保存格式）、**.npy**（`numpy.save`）或 "
        "**.npz**（`numpy.savez`），最大 {limit} MB。文件只按数据读取：.pt、.pth、.pkl、.bin 文件和对象数组都是 "
        "pickle，加载时可能执行代码，因此一律拒绝。然后用每一种块缩放方案量化你选中的张量（最多取前 {values} 个值；"
        "前面的维度并入行，块沿最后一维划分）。"),
    "yours.example": (
        "The example is synthetic: a {rows}×{cols} bf16 weight drawn from N(0, 0.02²), GPT-2's initialisation, "
        "with input columns {columns} scaled ×{gain}, like the outlier features LLM.int8() found in trained "
        "transformers.",
        "示例是合成的：一个 {rows}×{cols} 的 bf16 权重，取自 N(0, 0.02²)（GPT-2 的初始化），其中输入列 {columns} "
        "放大 {gain} 倍，模仿 LLM.int8() 在训练好的 Transformer 中发现的离群特征。"),
    "yours.tensor": ("Tensor", "张量"),
    "yours.shape": ("{name}: {shape}, {dtype}, studied as a {rows} × {cols} matrix (tensors in the file: {n}).",
                    "{name}：{shape}，{dtype}，按 {rows} × {cols} 的矩阵研究（文件中的张量数：{n}）。"),
    "yours.every": ("Every scheme on {name} (as {kind})", "所有方案作用于 {name}（视为{kind}）"),
    "yours.verdict": (
        "With elements of 8 bits or fewer, **{best}** keeps the most: {best_db} dB at {bits} bits per value. Among the "
        "FP4 schemes, {top4} reaches {top4_db} dB and {low4} only {low4_db} dB, flushing {flushed} of {values} "
        "values to zero.",
        "在元素不超过 8 比特的方案中，**{best}** 保留的信息最多：{best_db} dB，每值 {bits} 比特。FP4 方案中，"
        "{top4} 达到 {top4_db} dB，而 {low4} 只有 {low4_db} dB，{values} 个值中有 {flushed} 个被冲为 0。"),
    "yours.csv": ("Download every scheme's result on this tensor (CSV)", "下载所有方案在该张量上的结果（CSV）"),
    "sr.intro": (
        "Round-to-nearest makes the same error every time a value is stored. **Stochastic rounding** picks one of "
        "the value's two neighbours at random, the upper one with a probability proportional to how close it is, so "
        "on average the stored value equals the value: no bias. The published FP4 training recipes (NVFP4, MXFP4) "
        "round gradients this way, because a gradient is summed over many steps and a bias would pile up.",
        "就近舍入每次存储同一个值都会犯同样的误差。**随机舍入**在该值的两个相邻可表示值中随机选一个，"
        "离得越近的邻居被选中的概率越大，因此平均下来存储值等于原值：没有偏差。已发表的 FP4 训练方案（NVFP4、MXFP4）"
        "对梯度使用这种舍入，因为梯度要在许多步上累加，偏差会越积越大。"),
    "sr.up": ("up", "向上"),
    "sr.format": ("Format", "格式"),
    "sr.x": ("Value x", "数值 x"),
    "sr.neighbours": ("neighbours below · above", "下邻 · 上邻"),
    "sr.nearest": ("round to nearest", "就近舍入"),
    "sr.bias": ("bias {bias}", "偏差 {bias}"),
    "sr.mean": ("stochastic, mean of {n} draws", "随机舍入，{n} 次抽样的均值"),
    "sr.bias_se": ("bias {bias} (standard error {se})", "偏差 {bias}（标准误 {se}）"),
    "sr.p_up": ("rounded up", "向上舍入的比例"),
    "sr.p_expected": ("expected {p}", "期望 {p}"),
    "sr.draws_caption": ("{n} stochastic roundings of x into {fmt} (seed 0), computed now: how often each neighbour "
                         "was drawn. The dotted lines mark x, round-to-nearest's result and the mean of the draws.",
                         "把 x 随机舍入到 {fmt} {n} 次（种子 0），实时计算：每个邻居被抽中的次数。虚线标出 x、"
                         "就近舍入的结果和抽样均值。"),
    "sr.sum": ("Adding a small step again and again", "反复加上一个小步长"),
    "sr.step": ("Step added each time", "每次加上的步长"),
    "sr.sum.stalled": ("stops moving after step {step}, at {value}", "在第 {step} 步之后就不再变化，停在 {value}"),
    "sr.sum.moving": ("keeps moving and ends at {value}", "一直在变化，最终为 {value}"),
    "sr.sum.sentence": (
        "Starting from {start} and adding {step} {n} times, every partial sum stored in {fmt}: the exact sum is {exact}; "
        "round-to-nearest {nearest}; the {runs} stochastic runs end between {lo} and {hi}, {mean} on average. This is "
        "a weight update or a gradient accumulated in a low format.",
        "从 {start} 开始把 {step} 加 {n} 次，每个部分和都存成 {fmt}：精确和是 {exact}；就近舍入{nearest}；"
        "{runs} 次随机舍入的结果落在 {lo} 到 {hi} 之间，平均为 {mean}。这就是用低精度格式累加权重更新或梯度时的情形。"),
    "sr.csv": ("Download the running sums (CSV)", "下载累加过程（CSV）"),
    "rht.title": ("The random Hadamard transform spreads an outlier", "随机 Hadamard 变换把离群值摊开"),
    "rht.intro": (
        "Before quantising, NVFP4 and MXFP4 training multiply each run of values by a random orthonormal matrix, "
        "H·D/√n (H a Hadamard matrix of ±1, D random signs). Multiplying both operands of a matmul by it leaves the "
        "product unchanged, but an outlier's energy is spread over its whole block (±v/√n in each position), so the "
        "block's scale is no longer set by one value. Here: the example weight of the \"Your tensors\" view, whose "
        "two input columns are outliers.",
        "量化之前，NVFP4 和 MXFP4 训练会把每一段值乘上一个随机正交矩阵 H·D/√n（H 是由 ±1 构成的 Hadamard 矩阵，"
        "D 是随机符号）。矩阵乘法的两个操作数都乘上它，乘积不变；但离群值的能量被摊到整个块上（每个位置 ±v/√n），"
        "块的缩放不再由一个值决定。这里用的是“你的张量”视图中的示例权重，它有两列输入是离群值。"),
    "rht.block": ("Hadamard block", "Hadamard 块大小"),
    "rht.seed": ("Seed of the random signs", "随机符号的种子"),
    "rht.spread_caption": (
        "Row 0 of the example weight, its first {block} values, before and after the rotation: the largest magnitude "
        "goes from {before} to {after}, the norm stays {norm} ({norm_y} after), and rotating back restores every value "
        "within {back}.",
        "示例权重第 0 行的前 {block} 个值，旋转前后对比：最大绝对值从 {before} 变为 {after}，范数保持 {norm}"
        "（旋转后 {norm_y}），再旋转回去每个值的误差不超过 {back}。"),
    "rht.col.plain": ("SQNR as it is (dB)", "直接量化的 SQNR（dB）"),
    "rht.col.rotated": ("SQNR rotated (dB)", "旋转后量化的 SQNR（dB）"),
    "rht.col.flushed_plain": ("flushed to 0, as it is", "直接量化时被冲为 0"),
    "rht.col.flushed_rotated": ("flushed to 0, rotated", "旋转后被冲为 0"),
    "rht.sentence": (
        "The largest value stands {peak}× above the tensor's RMS before the rotation and {peak_rot}× after. "
        "The rotation helped: {helped}. It hurt: {hurt}. About the same: {same}.",
        "旋转前最大值是张量均方根的 {peak} 倍，旋转后是 {peak_rot} 倍。旋转有帮助的：{helped}。"
        "旋转有害的：{hurt}。基本不变的：{same}。"),
    "rht.sep": (", ", "、"),
    "rht.caption": (
        "SQNR is measured on the original weight: rotate, quantise, rotate back, compare. The rotation is not free "
        "everywhere: where the outliers sit in a few blocks, NVFP4's fine E4M3 scales already isolate them, and "
        "spreading them hands every block a larger scale; NVIDIA's recipe applies it only to the weight-gradient "
        "GEMM's inputs.",
        "SQNR 在原始权重上测量：旋转、量化、再旋转回去，然后比较。旋转并不总是有益：当离群值只集中在少数块里时，"
        "NVFP4 精细的 E4M3 缩放本来就能把它们隔离开，摊开反而让每个块的缩放都变大；NVIDIA 的方案只对权重梯度 GEMM "
        "的输入做旋转。"),
    "plot.sum": ("running sum", "累加和"),
    "plot.exact": ("exact", "精确值"),
    "plot.nearest": ("round to nearest", "就近舍入"),
    "plot.stochastic": ("stochastic (mean of runs)", "随机舍入（各次均值）"),
    "plot.runs": ("stochastic (each run)", "随机舍入（每次）"),
    "plot.value": ("value", "数值"),
    "plot.draws": ("draws", "抽样次数"),
    "plot.x": ("x", "x"),
    "plot.position": ("position in the block", "块内位置"),
    "plot.before": ("before", "旋转前"),
    "plot.after": ("after rotation", "旋转后"),
    "plot.plain": ("quantised as it is", "直接量化"),
    "plot.rotated": ("rotated, quantised, rotated back", "旋转、量化、再旋转回去"),
    "walk.16": (
        "**Stochastic rounding keeps small updates.** Stochastic rounding view, bf16, step {step}: after {n} "
        "additions round-to-nearest still reads {nearest}, because each step is below half of bf16's spacing at {start}; "
        "the stochastic runs average {mean} against the exact {exact}.",
        "**随机舍入保住了小的更新。** 随机舍入视图，bf16，步长 {step}：加了 {n} 次之后，就近舍入的结果仍是 {nearest}，"
        "因为每一步都小于 bf16 在 {start} 附近间距的一半；随机舍入各次的平均为 {mean}，精确值是 {exact}。"),
    "walk.17": (
        "**The Hadamard rotation spreads outliers.** Same view, block {block}: on the example weight the largest value "
        "falls from {peak}× to {peak_rot}× the RMS; MXFP4's SQNR goes from {mx} to {mx_rot} dB, NVFP4's from {nv} to "
        "{nv_rot} dB: {nv_verdict}",
        "**Hadamard 旋转把离群值摊开。** 同一视图，块大小 {block}：在示例权重上，最大值从均方根的 {peak} 倍降到 {peak_rot} 倍；"
        "MXFP4 的 SQNR 从 {mx} 变为 {mx_rot} dB，NVFP4 从 {nv} 变为 {nv_rot} dB：{nv_verdict}"),
    "walk.rht_helps": ("the rotation helps both.", "旋转对两者都有帮助。"),
    "walk.rht_hurts": ("NVFP4's fine scales already isolated the outliers, and spreading them costs it, which is why "
                       "the recipe rotates only the weight-gradient inputs.",
                       "NVFP4 精细的缩放本来就把离群值隔离开了，摊开反而有损失，这正是该方案只旋转权重梯度输入的原因。"),
    "col.scheme": ("scheme", "方案"),
    "col.sqnr": ("SQNR (dB)", "SQNR（dB）"),
    "col.bpv": ("bits per value", "每值比特数"),
    "col.saturated": ("saturated", "饱和个数"),
    "col.flushed": ("flushed to 0", "被冲为 0 的个数"),
    "col.element": ("element", "元素格式"),
    "col.block": ("block", "块"),
    "col.scale_fmt": ("scale", "缩放格式"),
    "scheme.bf16": ("bf16 (no scale)", "bf16（无缩放）"),
    "scheme.fp8_tensor": ("FP8 E4M3, one FP32 scale per tensor", "FP8 E4M3，每张量一个 FP32 缩放"),
    "scheme.fp8_deepseek": ("DeepSeek-V3 FP8: 1×128 tiles, 128×128 weight blocks", "DeepSeek-V3 FP8：1×128 分片，权重 128×128 分块"),
    "scheme.mxfp8": ("MXFP8 (E4M3, 32, E8M0)", "MXFP8（E4M3，32，E8M0）"),
    "scheme.mxfp8_ceil": ("MXFP8, scale rounded up", "MXFP8，缩放向上取整"),
    "scheme.mxfp6": ("MXFP6 (E2M3, 32, E8M0)", "MXFP6（E2M3，32，E8M0）"),
    "scheme.mxfp6_e3m2": ("MXFP6 (E3M2, 32, E8M0)", "MXFP6（E3M2，32，E8M0）"),
    "scheme.mxfp4": ("MXFP4 (E2M1, 32, E8M0)", "MXFP4（E2M1，32，E8M0）"),
    "scheme.mxfp4_ceil": ("MXFP4, scale rounded up", "MXFP4，缩放向上取整"),
    "scheme.nvfp4": ("NVFP4 (E2M1, 16, E4M3 + FP32)", "NVFP4（E2M1，16，E4M3 + FP32）"),
    "scheme.fp4_tensor": ("FP4 E2M1, one FP32 scale per tensor", "FP4 E2M1，每张量一个 FP32 缩放"),
    "scheme.fp8_hybrid": ("FP8 hybrid: E4M3 forward, E5M2 gradients, one FP32 scale per tensor",
                          "FP8 混合：前向 E4M3、梯度 E5M2，每张量一个 FP32 缩放"),
    "scheme.nvfp4_2d": ("NVFP4 with 16×16 weight tiles (W and Wᵀ alike)", "NVFP4，权重 16×16 分块（W 与 Wᵀ 相同）"),
    "outlier.intro": (
        "One value of the tensor is replaced by a multiple of its largest value, as a rare huge activation would. "
        "With one scale per tensor the outlier sets the scale for everything, and every other value is pushed "
        "towards zero; with a scale per block only the outlier's own block pays.",
        "把张量中的一个值替换为其最大值的若干倍，模拟罕见的巨大激活值。每个张量只有一个缩放因子时，离群值决定了所有值的缩放，"
        "其余值都被压向 0；每块一个缩放因子时，只有离群值所在的块受影响。"),
    "outlier.factor": ("Outlier (× the tensor's max)", "离群值（张量最大值的倍数）"),
    "outlier.where": ("The value at row {row}, column {col} became {value}. SQNR is measured over every other value.",
                      "第 {row} 行第 {col} 列的值被改为 {value}。SQNR 只统计其余所有值。"),
    "outlier.clean": ("SQNR without it (dB)", "无离群值时 SQNR（dB）"),
    "outlier.spiked": ("SQNR beside it (dB)", "有离群值时 SQNR（dB）"),
    "outlier.hurt": ("blocks that lost > 1 dB", "损失超过 1 dB 的块"),
    "outlier.own": ("the outlier's own error", "离群值自身的误差"),
    "outlier.show": ("Show the tensor under", "显示该方案下的张量"),
    "outlier.caption": (
        "NVFP4's second, per-tensor FP32 scale follows the outlier too: every block scale shrinks and loses E4M3 "
        "precision, so many blocks lose a little.",
        "NVFP4 的第二级逐张量 FP32 缩放因子也会跟着离群值变化：所有块的缩放因子变小、损失 E4M3 精度，因此很多块都会损失一点。"),
    "lowbit.intro": (
        "The same tiny GPT, seed and batches, trained with the matmul inputs of its transformer blocks rounded "
        "through each recipe, in the forward pass and in both backward GEMMs, with the blocks along each GEMM's "
        "reduction dimension. This is **simulated**: a CPU has no FP8 or FP4 kernels, so the products are still "
        "computed in float32 from the rounded values. Embeddings, norms, attention's own matmuls and the head stay "
        "fp32, as in DeepSeek-V3; AdamW keeps fp32 master weights.",
        "同一个微型 GPT、同样的随机种子和批次，把 Transformer 块中矩阵乘法的输入按各方案舍入后训练：前向以及反向的两个 GEMM 都如此，"
        "分块沿每个 GEMM 的归约维度。这是**模拟**：CPU 上没有 FP8 或 FP4 内核，乘积仍由舍入后的值以 float32 计算。"
        "与 DeepSeek-V3 一样，嵌入层、归一化、注意力自身的矩阵乘法和输出头保持 fp32；AdamW 保留 fp32 主权重。"),
    "lowbit.recipes": ("Recipes", "方案"),
    "lowbit.run": ("Train the chosen recipes", "训练所选方案"),
    "lowbit.col.recipe": ("recipe", "方案"),
    "lowbit.col.gap": ("gap to fp32 (mean)", "与 fp32 的差距（均值）"),
    "lowbit.col.mean": ("final loss (mean)", "最终损失（均值）"),
    "lowbit.col.std": ("std over seeds", "各种子间标准差"),
    "lowbit.col.range": ("final loss min–max", "最终损失最小–最大"),
    "lowbit.col.gap_range": ("gap min–max", "差距最小–最大"),
    "lowbit.col.verdict": ("against fp32", "与 fp32 相比"),
    "lowbit.v.base": ("the reference", "参照"),
    "lowbit.v.behind": ("behind on every seed", "每个种子都落后"),
    "lowbit.v.ahead": ("ahead on every seed", "每个种子都领先"),
    "lowbit.v.within": ("within the spread", "在波动范围内"),
    "lowbit.v.one_seed": ("one seed: no spread", "仅一个种子：无波动范围"),
    "lowbit.seeds": ("Seeds", "随机种子数"),
    "lowbit.curves": ("Loss per step, the mean over {seeds} seed(s).", "每步损失，取 {seeds} 个种子的平均。"),
    "lowbit.caption": (
        "Final loss is the mean over the last tenth of the steps, per seed. Each seed has its own initial weights and "
        "batches, shared by every recipe; a recipe's gap is its final loss minus fp32's with the same seed. "
        "'Within the spread': the seeds disagree on the gap's sign.",
        "最终损失取每个种子最后十分之一步数的平均值。每个种子有自己的初始权重和批次，所有方案共用；方案的差距是它的最终损失"
        "减去同一种子下 fp32 的最终损失。“在波动范围内”：各种子给出的差距正负不一致。"),
    "lowbit.findings": (
        "Over {seeds} seeds × {steps} steps, lowest mean final loss first: {order}. Behind fp32 on every seed: "
        "{behind}. Within the spread (the seeds disagree on the gap's sign): {within}. Ahead of fp32 on every seed: "
        "{ahead}.",
        "在 {seeds} 个种子 × {steps} 步上，按平均最终损失从低到高：{order}。每个种子都落后于 fp32：{behind}。在波动范围内"
        "（各种子给出的差距正负不一）：{within}。每个种子都领先于 fp32：{ahead}。"),
    "lowbit.findings_one": (
        "One seed × {steps} steps, lowest final loss first: {order}. One seed has no spread: train two or more to "
        "tell a gap from seed-to-seed noise.",
        "一个种子 × {steps} 步，按最终损失从低到高：{order}。一个种子没有波动范围：至少训练两个种子，才能把差距与种子间的"
        "随机波动区分开。"),
    "lowbit.findings_no_base": (
        "Over {seeds} seed(s) × {steps} steps, lowest mean final loss first: {order}. Add fp32 to compare each recipe "
        "with it.",
        "在 {seeds} 个种子 × {steps} 步上，按平均最终损失从低到高：{order}。加入 fp32 才能与之逐一比较。"),
    "lowbit.none": ("none", "无"),
    "lowbit.parts": ("Parts of the published recipes (each quantised recipe runs again with them)",
                     "已发表方案的组成部分（每个量化方案会再带上它们跑一次）"),
    "lowbit.parts_help": ("Switch parts on one at a time to ablate them: a recipe marked + ran with the chosen parts, "
                          "beside the same recipe without them, on the same seeds and batches.",
                          "一次打开一个部分来做消融：带 + 的方案使用了所选部分，与不带它们的同一方案并排，种子和批次都相同。"),
    "lowbit.with_parts": ("{recipe} + the chosen parts", "{recipe} + 所选部分"),
    "lpart.weight_tiles": ("square weight tiles (W and Wᵀ alike)", "权重方形分块（W 与 Wᵀ 相同）"),
    "lpart.hadamard_wgrad": ("Hadamard rotation of dW's inputs", "对 dW 的输入做 Hadamard 旋转"),
    "lpart.stochastic_grads": ("stochastic rounding of gradients", "梯度随机舍入"),
    "lpart.high_precision_last": ("last block in BF16", "最后一个块保持 BF16"),
    "pub.title": ("The published recipes, whole and stripped, on a {width}-wide GPT (recorded)",
                  "已发表方案的完整版与精简版，在 {width} 宽的 GPT 上（录制结果）"),
    "pub.intro": (
        "The same tiny GPT made {width} features wide ({layers} blocks, context {context}, batch {batch}), trained "
        "{steps} steps on {seeds} seeds with each recipe as published (all its parts on) and stripped to its block "
        "format alone. Simulated: fake-quantised GEMM operands, float32 arithmetic.",
        "同一个小型 GPT 加宽到 {width} 个特征（{layers} 个块，上下文 {context}，批大小 {batch}），在 {seeds} 个种子上各训练 "
        "{steps} 步：每个方案一次按发表的完整形式（所有组成部分都打开），一次只保留块格式本身。模拟：GEMM 操作数伪量化，"
        "运算用 float32。"),
    "pub.caption": (
        "{variants} variants, each seed's weights and batches shared by all of them. NVFP4 as published: {tile} weight "
        "tiles, Hadamard rotation of dW's inputs, stochastic gradient rounding, last block in BF16; MXFP4 as published "
        "(Tseng et al.): the rotation and stochastic rounding; FP8 hybrid: E5M2 gradients. So few steps show the "
        "start of training only: read each gap against its range over seeds.",
        "共 {variants} 个变体，每个种子的权重和批次由所有变体共享。按发表形式的 NVFP4：权重 {tile} 分块、对 dW 的输入做 "
        "Hadamard 旋转、梯度随机舍入、最后一个块用 BF16；按发表形式的 MXFP4（Tseng 等人）：旋转与随机舍入；FP8 混合："
        "梯度用 E5M2。这么少的步数只反映训练的开头：请对照每个差距在各种子上的范围来读。"),
    "pub.fp32": ("fp32", "fp32"),
    "pub.fp8_tensor": ("FP8 E4M3 everywhere, per-tensor scale", "FP8 全用 E4M3，逐张量缩放"),
    "pub.fp8_hybrid": ("FP8 hybrid (E5M2 gradients)", "FP8 混合（梯度 E5M2）"),
    "pub.mxfp4": ("MXFP4, block format only", "MXFP4，只有块格式"),
    "pub.mxfp4_published": ("MXFP4 as published", "按发表形式的 MXFP4"),
    "pub.nvfp4": ("NVFP4, block format only", "NVFP4，只有块格式"),
    "pub.nvfp4_published": ("NVFP4 as published", "按发表形式的 NVFP4"),
    "pub.ablation.lower": ("{whole}: its parts lowered the final loss on every seed ({mean} on average, {lo} to {hi}).",
                           "{whole}：这些组成部分在每个种子上都降低了最终损失（平均 {mean}，范围 {lo} 到 {hi}）。"),
    "pub.ablation.higher": ("{whole}: its parts raised the final loss on every seed ({mean} on average, {lo} to {hi}).",
                            "{whole}：这些组成部分在每个种子上都提高了最终损失（平均 {mean}，范围 {lo} 到 {hi}）。"),
    "pub.ablation.mixed": ("{whole}: the seeds disagree on what its parts did to the final loss ({mean} on average, "
                           "{lo} to {hi}).",
                           "{whole}：各种子对这些组成部分如何影响最终损失看法不一（平均 {mean}，范围 {lo} 到 {hi}）。"),
    "doc.title": ("Loss-scale doctor: where did the overflow start?", "损失缩放诊断：溢出从哪里开始？"),
    "doc.intro": (
        "One fp16 step of the tiny GPT (fresh weights, first batch) with the loss multiplied by the chosen scale. "
        "Every layer's forward output and the gradient its backward hands on are watched; the first one holding inf "
        "or NaN names the operation, and the step is retried at half the scale, again and again, until every "
        "gradient is finite.",
        "让小型 GPT 用 fp16 跑一步（新初始化的权重、第一个批次），损失乘上所选的缩放。监视每一层的前向输出和它在反向传播中"
        "传下去的梯度：第一个出现 inf 或 NaN 的位置就是出问题的运算；然后把缩放一次次减半重跑这一步，直到所有梯度都是有限数。"),
    "doc.scale": ("Loss scale", "损失缩放"),
    "doc.clean": ("At {scale} every activation and gradient of this step is finite (loss {loss}): nothing to fix.",
                  "在 {scale} 下，这一步的所有激活和梯度都是有限数（损失 {loss}）：无需修正。"),
    "doc.first": ("in the {phase} of {module} ({op}): {infs} inf and {nans} NaN values",
                  "在 {module}（{op}）的{phase}中：{infs} 个 inf、{nans} 个 NaN"),
    "doc.phase.forward": ("forward pass", "前向传播"),
    "doc.phase.backward": ("backward pass", "反向传播"),
    "doc.verdict": ("At {scale} the step overflows. It started {where}. {fix}", "在 {scale} 下这一步溢出了。溢出始于{where}。{fix}"),
    "doc.fix": ("A smaller scale fixes it: {safe} ({halvings} halvings, what a dynamic scaler would reach by skipping "
                "that many steps) gives finite gradients everywhere.",
                "更小的缩放可以修正：{safe}（减半 {halvings} 次，动态缩放器跳过这么多步后就会到达这里）时所有梯度都是有限数。"),
    "doc.no_fix": ("No smaller scale fixes it: the overflow is not caused by the scaling.",
                   "任何更小的缩放都无法修正：溢出不是由缩放造成的。"),
    "doc.col.order": ("order", "顺序"),
    "doc.col.phase": ("pass", "阶段"),
    "doc.col.module": ("layer", "层"),
    "doc.col.op": ("operation", "运算"),
    "doc.col.infs": ("inf values", "inf 个数"),
    "doc.col.nans": ("NaN values", "NaN 个数"),
    "doc.caption": (
        "Checked against torch.amp.GradScaler in the tests: the doctor calls a step overflowed exactly when "
        "GradScaler would skip it. Hooks see layer boundaries, so an overflow inside a layer is named by that layer.",
        "测试中与 torch.amp.GradScaler 核对：诊断判定溢出的步，恰好就是 GradScaler 会跳过的步。钩子只能看到层的边界，"
        "所以层内部的溢出以该层的名字报告。"),
    "lowbit.absent": ("What the published recipes do that this simulation leaves out",
                      "已发表的训练方案中、本模拟没有包含的部分"),
    "lowbit.absent.col": ("left out here", "此处省略"),
    "lowbit.absent.fp8_tensor": (
        "Per-tensor FP8 as Transformer Engine usually runs it stores gradients in E5M2 (its HYBRID format) and takes "
        "each scale from a history of past amax values (delayed scaling); here gradients are E4M3 and each scale comes "
        "from the current tensor's amax.",
        "Transformer Engine 常用的逐张量 FP8 方案用 E5M2 存梯度（HYBRID 格式），并从过去若干步的 amax 历史中取缩放因子"
        "（延迟缩放）；这里梯度用 E4M3，缩放因子取自当前张量的 amax。"),
    "lowbit.absent.fp8_deepseek": (
        "DeepSeek-V3 also caches activations in FP8, keeps AdamW's moments in BF16 and, since its FP8 GEMMs accumulate "
        "with limited precision, promotes partial sums to FP32 every 128 values; here the products accumulate in "
        "float32 throughout.",
        "DeepSeek-V3 还把激活以 FP8 缓存、把 AdamW 的动量保存为 BF16，并且由于其 FP8 GEMM 的累加精度有限，每 128 个值就把"
        "部分和提升到 FP32 累加；这里的乘积全程以 float32 累加。"),
    "lowbit.absent.mxfp4": (
        "The MXFP4 training recipe of Tseng et al. (2025) adds stochastic rounding and random Hadamard transforms in "
        "the backward pass to keep the gradients unbiased; here every operand is rounded to nearest, untransformed.",
        "Tseng 等人（2025）的 MXFP4 训练方案在反向传播中加入随机舍入和随机 Hadamard 变换，使梯度保持无偏；这里每个操作数"
        "都按就近舍入，不做变换。"),
    "lowbit.absent.nvfp4": (
        "NVIDIA's NVFP4 pretraining recipe (2025) quantises weights in 16×16 2-D blocks, so that both GEMMs read the "
        "same weights, applies random Hadamard transforms to the inputs of the weight-gradient GEMM, rounds gradients "
        "stochastically and keeps a few layers in BF16; here every operand uses 1×16 blocks along its reduction "
        "dimension, rounded to nearest, untransformed, and every block linear is quantised.",
        "NVIDIA 的 NVFP4 预训练方案（2025）对权重使用 16×16 的二维块，使两个 GEMM 读到相同的权重；对权重梯度 GEMM 的输入"
        "做随机 Hadamard 变换；对梯度使用随机舍入；并让少数层保持 BF16。这里每个操作数都沿其归约维度使用 1×16 的块、"
        "就近舍入、不做变换，且所有块内线性层都被量化。"),
    "lowbit.absent.fp4_tensor": (
        "Not a published recipe: the baseline that shows why FP4 needs block scales.",
        "并非已发表的方案：用来说明 FP4 为什么需要块缩放的基线。"),
    "walk.10": ("**FP4 has 15 values.** Bit explorer, fp4_e2m1, 5: it lies halfway between 4 and 6 and the tie goes to "
                "the even mantissa, 4. Flip the bits: every pattern is a number, there is no inf and no NaN.",
                "**FP4 只有 15 个值。** 比特探索器，fp4_e2m1，输入 5：它恰好位于 4 和 6 的正中间，平局取尾数为偶的 4。"
                "翻转比特看看：每个位模式都是数，没有 inf，也没有 NaN。"),
    "walk.11": ("**One scale per tensor is not enough for FP4.** Block scaling, blocks.0.out activation, per-tensor FP4: "
                "look at the flushed-to-0 count.",
                "**FP4 只用一个逐张量缩放因子是不够的。** 块缩放，blocks.0.out 的激活，逐张量 FP4：看“被冲为 0”的数量。"),
    "walk.12": ("**A scale per 32 values fixes it.** Same tensor, MXFP4: far fewer values flushed and a higher SQNR, "
                "for 0.25 bits per value of scales.",
                "**每 32 个值一个缩放因子就解决了。** 同一张量，MXFP4：被冲为 0 的值少得多，SQNR 更高，代价是每个值 0.25 比特的缩放因子。"),
    "walk.13": ("**The OCP rule saturates.** blocks.0.fc activation gradient, MXFP8: many values saturate; pick "
                "mxfp8_ceil and compare the SQNR.",
                "**OCP 规则会饱和。** blocks.0.fc 的激活梯度，MXFP8：许多值饱和；选择 mxfp8_ceil，比较 SQNR。"),
    "walk.14": ("**An outlier hurts per-tensor scaling everywhere.** One outlier, 1,000×: per-tensor FP4 loses every "
                "other value; MXFP4 loses one block.",
                "**离群值让逐张量缩放处处受损。** 一个离群值，1,000 倍：逐张量 FP4 丢掉了其余所有值；MXFP4 只损失一个块。"),
    "walk.15": ("**Training in FP8 and FP4, simulated.** The recorded comparison: {findings}",
                "**模拟 FP8 和 FP4 训练。** 录制的对比：{findings}"),
    "plot.values": ("values", "原始值"),
    "plot.log2_scale": ("log2(block scale)", "log2（块缩放因子）"),
    "plot.dequantized": ("dequantised", "反量化值"),
    "plot.error": ("dequantised − original", "反量化值 − 原始值"),
    "plot.column": ("column (feature)", "列（特征）"),
    "plot.row": ("row", "行"),
    "plot.bits": ("bits per value", "每值比特数"),
    "plot.sqnr": ("SQNR (dB)", "SQNR（dB）"),
    "plot.clean": ("without the outlier", "无离群值"),
    "plot.spiked": ("beside the outlier", "有离群值"),
    "plot.scheme": ("scheme", "方案"),
}
