"""Strings of the number-formats page."""

TEXT = {
    "title": ("Number formats and mixed precision", "数值格式与混合精度"),
    "what": (
        "A floating-point number stores a sign, an exponent and a mantissa. The exponent bits buy **range**, the "
        "mantissa bits buy **precision**: FP16 has few exponent bits, so small gradients fall below its range and "
        "become zero; loss scaling multiplies the loss (and so every gradient) to shift them back into range. BF16 "
        "keeps FP32's exponent and drops precision instead; FP8 has so little of both that it needs a scale per tensor.",
        "浮点数由符号位、指数位和尾数位组成。指数位决定**范围**，尾数位决定**精度**。FP16 的指数位少，"
        "很小的梯度会跌出可表示范围而变成 0；损失缩放（loss scaling）把损失乘上一个系数，让所有梯度随之放大、"
        "回到可表示范围内。BF16 保留了 FP32 的指数位、牺牲精度；FP8 的范围和精度都很少，因此每个张量都需要单独缩放。",
    ),
    "device": ("Computed live on: {device}", "实时计算设备：{device}"),
    "view": ("View", "视图"),
    "view.formats": ("Formats", "格式一览"),
    "view.explorer": ("Bit explorer", "比特探索器"),
    "view.range": ("Range & precision", "范围与精度"),
    "view.gradients": ("Real gradients", "真实梯度"),
    "view.training": ("Loss scaling & training", "损失缩放与训练"),
    "view.walkthrough": ("Walkthrough", "导览"),
    "formats.caption": (
        "Every number below is derived from the field widths by the engine, and checked against torch's casts.",
        "下表每个数值都由引擎根据位宽推导得出，并与 torch 的类型转换逐一核对。",
    ),
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
    "train.col.seconds": ("seconds", "秒"),
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
    "walk.7": ("**FP8 needs a scale per tensor.** fp8_e4m3 at 2^0 loses most activation gradients; at 2^16 a few "
               "start to saturate. No single scale fits every tensor, hence per-tensor scaling.",
               "**FP8 需要按张量缩放。** fp8_e4m3 在 2^0 时丢失大部分激活梯度；到 2^16 时部分开始饱和。"
               "没有一个缩放系数适合所有张量，所以需要按张量缩放。"),
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
}
