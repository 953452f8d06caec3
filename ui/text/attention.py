"""Strings of the tiled-attention page."""

TEXT = {
    "title": ("Tiled attention (FlashAttention)", "分块注意力（FlashAttention）"),
    "what": (
        "Attention computes softmax(QKᵀ/√d)·V. The textbook way builds the N×N score matrix S and its softmax P in "
        "memory, so memory grows as N². FlashAttention walks over tiles of K and V for each block of queries and "
        "keeps only a running maximum m, a running denominator l and an unnormalised output per row; when a tile "
        "raises the maximum, the old l and O are rescaled by exp(m_old − m_new). The result equals the textbook "
        "one to rounding (the same sums, added in another order), and memory grows only as N. The loop shown is "
        "FlashAttention-2's order: each block of queries stays put while the K and V tiles stream past, and O is "
        "divided by l once at the end (FlashAttention-1 ran over K and V blocks in its outer loop and rescaled O "
        "in memory at every step).",
        "注意力计算 softmax(QKᵀ/√d)·V。教科书式的做法要在内存中构造 N×N 的分数矩阵 S 及其 softmax 结果 P，"
        "因此内存随 N² 增长。FlashAttention 对每个查询块依次遍历 K、V 的分块，每行只保留运行中的最大值 m、"
        "运行中的分母 l 和未归一化的输出；当新分块抬高了最大值时，旧的 l 和 O 乘以 exp(m_old − m_new) 重新缩放。"
        "结果与教科书做法在舍入误差内相等（同样的求和，只是相加顺序不同），而内存只随 N 线性增长。这里展示的循环是 "
        "FlashAttention-2 的顺序：每个查询块固定不动，K、V 分块依次流过，最后只用 l 除一次 O"
        "（FlashAttention-1 的外层循环遍历 K、V 分块，每一步都要在内存中重新缩放 O）。",
    ),
    "device": ("Computed live on: {device}", "实时计算设备：{device}"),
    "controls": ("Problem", "问题设置"),
    "n": ("Sequence length N", "序列长度 N"),
    "d": ("Head dim d", "头维度 d"),
    "heads": ("Heads", "头数"),
    "block_q": ("Query block", "查询分块大小"),
    "block_k": ("Key block", "键分块大小"),
    "causal": ("Causal mask", "因果掩码"),
    "dtype": ("Input dtype", "输入数据类型"),
    "device_pick": ("Device", "设备"),
    "live": ("Live result", "实时结果"),
    "refused": ("{method} would need about {need} MiB, more than this run may use ({budget} MiB): it was not run. "
                "The textbook method holds two N×N matrices per head; shrink N or the heads, or use the tiled method.",
                "{method} 大约需要 {need} MiB，超过本次运行允许的 {budget} MiB，因此没有运行。教科书方法每个头都要保存两个 "
                "N×N 矩阵；请减小 N 或头数，或使用分块方法。"),
    "col.method": ("method", "方法"),
    "method.naive": ("naive", "朴素公式"),
    "method.tiled": ("tiled", "分块"),
    "method.sdpa": ("sdpa", "SDPA"),
    "method.triton": ("triton", "Triton"),
    "plot.method_naive": ("naive", "朴素公式"),
    "plot.method_tiled": ("tiled", "分块"),
    "plot.method_sdpa": ("sdpa", "SDPA"),
    "plot.method_triton": ("triton", "Triton"),
    "col.time": ("time (ms, median)", "时间（毫秒，中位数）"),
    "col.time_range": ("fastest – slowest round (ms)", "最快 – 最慢一轮（毫秒）"),
    "busy": ("The {rounds} interleaved rounds disagree by more than half the median: the machine was busy (other "
             "visitors share it), so read the times as rough; the tile count, FLOPs, memory and errors do not depend on "
             "load.",
             "{rounds} 轮交错测量之间相差超过中位数的一半：机器正忙（其他访客也在用），时间只能粗看；分块数、FLOPs、"
             "内存和误差不受负载影响。"),
    "flops": ("{gflop} GFLOP of attention", "注意力计算量 {gflop} GFLOP"),
    "cpu_times": ("On a CPU the tiled method is a Python loop over tiles that calls PyTorch once per tile, while SDPA is "
                  "one fused C++ kernel, so tiled runs slower here; larger tiles mean fewer Python steps. What "
                  "FlashAttention wins on a GPU is HBM traffic: see the IO model below.",
                  "在 CPU 上，分块方法是一个逐块调用 PyTorch 的 Python 循环，而 SDPA 是一个融合的 C++ 内核，所以这里分块方法"
                  "更慢；分块越大，Python 循环步数越少。FlashAttention 在 GPU 上赢在 HBM 访存量：见下方的 IO 模型。"),
    "diff": ("Equal to rounding, not bit for bit (head 0): {pairs}.", "在舍入误差内相等，而非逐位相同（第 0 个头）：{pairs}。"),
    "memory_note": ("Peak memory: tiled {tiled} MiB, {vs_naive}× the textbook formula's {naive} MiB and {vs_sdpa}× "
                    "SDPA's {sdpa} MiB. Tiling saves the N×N matrices S and P, which SDPA's fused kernel does not "
                    "build either.",
                    "峰值内存：分块方法 {tiled} MiB，是教科书公式 {naive} MiB 的 {vs_naive} 倍、SDPA {sdpa} MiB 的 "
                    "{vs_sdpa} 倍。分块省下的是 N×N 的矩阵 S 和 P，而 SDPA 的融合内核同样不会构造它们。"),
    "col.peak": ("peak memory above inputs (MiB)", "输入之外的峰值内存（MiB）"),
    "col.max_err": ("max |error| vs float64", "相对 float64 的最大绝对误差"),
    "col.rel_err": ("relative error vs float64", "相对 float64 的相对误差"),
    "tiles": ("{computed} tiles computed, {skipped} skipped by the causal mask", "计算了 {computed} 个分块，因果掩码跳过了 {skipped} 个"),
    "err_note": ("Errors are measured on head 0 against a float64 reference built from the same inputs.",
                 "误差在第 0 个头上测量，参考值由相同输入以 float64 计算。"),
    "step": ("Step-through", "逐步演示"),
    "step.intro": ("A small problem (one head) replayed tile by tile with the real numbers the engine computed.",
                   "一个小问题（单个头），按分块逐步重放引擎计算出的真实数值。"),
    "step.n": ("N for the step-through", "逐步演示的 N"),
    "step.block": ("Block size", "分块大小"),
    "step.slider": ("Tile step", "分块步骤"),
    "step.row": ("Row {row}: m {m_old} → {m_new}, so the old l and O are multiplied by exp(m_old − m_new) = {alpha}; "
                 "then l = {alpha}·l_old + Σ exp(S − m_new) = {l}.",
                 "第 {row} 行：m 从 {m_old} 变为 {m_new}，因此旧的 l 和 O 乘以 exp(m_old − m_new) = {alpha}；"
                 "然后 l = {alpha}·l_old + Σ exp(S − m_new) = {l}。"),
    "step.first": ("Row {row}: first tile of this query block, m = {m_new}, l = {l}.",
                   "第 {row} 行：这是该查询块的第一个分块，m = {m_new}，l = {l}。"),
    "measured": ("Measured", "实测"),
    "measured.intro": ("Time and peak memory of the three methods for growing N with the settings above "
                       "(interleaved runs, median; memory from the allocator's own log).",
                       "按上方设置、随 N 增大测量三种方法的时间和峰值内存（交错运行取中位数；内存来自分配器自身的日志）。"),
    "measured.run": ("Measure the sweep live", "实时测量扫描"),
    "measured.memory": ("Peak memory above the inputs", "输入之外的峰值内存"),
    "measured.time": ("Time", "时间"),
    "measured.csv": ("Download the sweep (CSV)", "下载扫描结果（CSV）"),
    "measured.skipped": ("Sizes where the textbook method would not fit were measured without it.",
                         "教科书方法放不下的规模，测量时不包含该方法。"),
    "tiles.title": ("Tile size: why tiled is slow on this CPU, and what it saves on a GPU",
                    "分块大小：为什么分块方法在这台 CPU 上慢，以及它在 GPU 上省下了什么"),
    "tiles.intro": ("The tiled pass at each tile size on the problem above, timed in interleaved rounds beside SDPA "
                    "(left), and what the IO model says the same tiles would move through a GPU's HBM (right). Here "
                    "each tile is one step of a Python loop calling PyTorch, so time follows the number of tiles; "
                    "SDPA is one fused C++ kernel. On a GPU the loop is one kernel and the cost that matters is HBM "
                    "traffic, which larger tiles cut below the textbook method's.",
                    "左图：在上方的问题上，按各个分块大小运行分块方法，与 SDPA 交错计时；右图：IO 模型给出的同样分块在 GPU 上"
                    "经过 HBM 的数据量。这里每个分块是 Python 循环中调用一次 PyTorch 的一步，所以时间随分块数变化；SDPA "
                    "是一个融合的 C++ 内核。在 GPU 上整个循环是一个内核，关键代价是 HBM 访存量，分块越大，访存量越低于教科书方法。"),
    "tiles.caption": ("Fastest here at tiles of {block} ({tiles} tiles in all); tiles of {small} need {most}. The "
                      "tile counts do not depend on machine load.",
                      "这里分块为 {block} 时最快（共 {tiles} 个分块）；分块为 {small} 时需要 {most} 个。分块数不受机器负载影响。"),
    "tiles.refused": ("Not run: the tiled pass or SDPA would need more than this run may use ({budget} MiB) at this "
                      "size.", "未运行：在这个规模下，分块方法或 SDPA 需要的内存超过本次运行允许的 {budget} MiB。"),
    "tiles.csv": ("Download the tile sweep (CSV)", "下载分块扫描结果（CSV）"),
    "plot.tile_axis": ("tile size (rows = columns)", "分块大小（行数 = 列数）"),
    "plot.cpu_time_title": ("measured here: time of one pass", "本机实测：一次前向的时间"),
    "plot.gpu_io_title": ("IO model: what a GPU would move through HBM", "IO 模型：GPU 上经过 HBM 的数据量"),
    "plot.ms": ("ms", "毫秒"),
    "plot.mib": ("MiB", "MiB"),
    "plot.tiles_hover": ("{tiles} tiles", "{tiles} 个分块"),
    "io": ("IO model: bytes between HBM and SRAM", "IO 模型：HBM 与 SRAM 之间的数据搬运量"),
    "io.sram": ("SRAM per SM: its shared memory (KiB)", "每个 SM 的 SRAM，即其共享内存（KiB）"),
    "io.caption": ("Counted for this implementation (Dao et al. 2022, Theorem 2): standard attention moves Θ(Nd + N²) "
                   "bytes, the tiled one Θ(N²d²/M) with a block of {block} rows fitting the SRAM. SRAM here means the "
                   "shared memory of one streaming multiprocessor (SM), where a thread block keeps its tiles: up to "
                   "228 KiB per SM on an H100.",
                   "按本实现计数（Dao 等 2022，定理 2）：标准注意力搬运 Θ(Nd + N²) 字节，分块注意力为 Θ(N²d²/M)，"
                   "其中每块 {block} 行恰好放进 SRAM。这里的 SRAM 指一个流式多处理器（SM）的共享内存，线程块把分块放在其中："
                   "H100 上每个 SM 最多 228 KiB。"),
    "walk": ("Walkthrough", "导览"),
    "walk.apply": ("Apply step {n}", "应用第 {n} 步"),
    "walk.1": ("**Equal to rounding.** Defaults: compare the errors of tiled and SDPA against float64, and the max |Δ| "
               "between the methods under the table: the same numbers to rounding (the sums run in another order), "
               "not bit for bit.",
               "**在舍入误差内相等。** 默认设置：比较分块方法和 SDPA 相对 float64 的误差，以及表格下方各方法之间的最大 |Δ|："
               "数值在舍入误差内相同（求和顺序不同），而不是逐位相同。"),
    "walk.2": ("**Watch the maximum move.** Step-through with N = 64, block 16: at each new tile, look at rows whose "
               "m rises; their rescale factor exp(m_old − m_new) is below 1.",
               "**观察最大值的变化。** 逐步演示，N = 64，分块 16：每遇到新分块，留意 m 升高的行，它们的缩放因子 exp(m_old − m_new) 小于 1。"),
    "walk.3": ("**Causal skips the tiles above the diagonal.** Turn on the causal mask: in the step-through's grid "
               "{skipped} of {total} tiles are grey, never computed; the other {computed} are, those on the diagonal "
               "with a mask. The share skipped nears one half only as the grid grows.",
               "**因果掩码跳过对角线以上的分块。** 打开因果掩码：逐步演示的网格中，{total} 个分块里有 {skipped} 个是灰色的，"
               "根本不会计算；其余 {computed} 个照常计算，对角线上的分块带掩码。只有网格越大，跳过的比例才越接近一半。"),
    "walk.4": ("**Memory: N² against N.** The sweep recorded on a CPU at these settings: per doubling of N the textbook "
               "method's memory grows {naive}×, the tiled one's only {tiled}×: a fixed {work} MiB of tiles plus the "
               "N×d output, which alone doubles. SDPA's grows {sdpa}×.",
               "**内存：N² 对比 N。** 在 CPU 上按这些设置录制的扫描：N 每翻一倍，教科书方法的内存增长 {naive} 倍，分块方法只增长 "
               "{tiled} 倍：固定的 {work} MiB 分块工作区，加上随 N 翻倍的 N×d 输出。SDPA 增长 {sdpa} 倍。"),
    "walk.4.none": ("**Memory: N² against N.** Run the sweep: the textbook method's memory grows with N², the tiled "
                    "one's with N (its output) on top of a fixed workspace of tiles.",
                    "**内存：N² 对比 N。** 运行扫描：教科书方法的内存随 N² 增长，分块方法在固定的分块工作区之上只随 N（其输出）增长。"),
    "walk.5": ("**The guard.** N = 8192 with 16 heads (d = 16): the textbook method would need {need} GiB, more than "
               "a run may use on this {device} ({budget} GiB), so it is refused with an explanation; tiled and SDPA "
               "still run.",
               "**内存保护。** N = 8192、16 个头（d = 16）：教科书方法需要 {need} GiB，超过在这台 {device} 上单次运行允许的 "
               "{budget} GiB，因此会被拒绝并给出解释；分块方法和 SDPA 照常运行。"),
    "walk.5.fits": ("**The guard.** N = 8192 with 16 heads (d = 16): the textbook method would need {need} GiB; this "
                    "{device} allows a run {budget} GiB, so all three run here. On a machine with less memory the "
                    "guard refuses the textbook method with an explanation.",
                    "**内存保护。** N = 8192、16 个头（d = 16）：教科书方法需要 {need} GiB；这台 {device} 允许单次运行使用 "
                    "{budget} GiB，所以三种方法都会运行。在内存更小的机器上，内存保护会拒绝教科书方法并给出解释。"),
    "bwd": ("Backward from the saved statistics (FlashAttention-2)", "由保存的统计量求反向传播（FlashAttention-2）"),
    "bwd.intro": (
        "The forward keeps only O and, per query row, lse = m + ln l. That is enough to rebuild any row of P exactly, "
        "P = exp(S − lse), so the backward recomputes each tile of P instead of storing the N×N matrix. D = "
        "rowsum(dO∘O) equals rowsum(P∘dP), the softmax's correction, and needs only O and dO. The loop runs key "
        "blocks outer: dK_j and dV_j stay in fast memory until every query block has added to them, while each "
        "tile adds its share of dQ_i in slow memory. Replayed below on one head in float64, so that the check "
        "against autograd can be read to the last digits.",
        "前向只保留 O，以及每个查询行的 lse = m + ln l。这足以精确重建 P 的任意一行：P = exp(S − lse)，所以反向传播"
        "逐块重新计算 P，而不是保存 N×N 矩阵。D = rowsum(dO∘O) 等于 rowsum(P∘dP)，即 softmax 的修正项，只需要 O 和 "
        "dO。循环的外层遍历键分块：dK_j 和 dV_j 一直留在快速存储中，直到每个查询块都累加完毕；每个分块则把自己那一份 "
        "dQ_i 累加到慢速存储中。下面在单个头上以 float64 重放，以便与 autograd 的对照可以读到最后几位。"),
    "bwd.show": ("Step through the backward, tile by tile", "逐块单步查看反向传播"),
    "bwd.slider": ("Backward tile step", "反向分块步骤"),
    "bwd.step": ("Key block {j} (keys {k0}–{k1}) meets query block {i} (rows {q0}–{q1}): P is rebuilt from these "
                 "rows' lse, dV_j += Pᵀ·dO_i, dS = P∘(dP − D) reaches |dS| = {ds}, dK_j += dSᵀ·Q_i·scale and this "
                 "tile's dS·K_j·scale is added to dQ_i. Query blocks left before dK_j and dV_j are final: {rest}.",
                 "键分块 {j}（键 {k0}–{k1}）遇到查询块 {i}（行 {q0}–{q1}）：用这些行的 lse 重建 P，dV_j += Pᵀ·dO_i，"
                 "dS = P∘(dP − D) 的最大绝对值为 {ds}，dK_j += dSᵀ·Q_i·scale，并把本分块的 dS·K_j·scale 累加到 dQ_i。"
                 "dK_j 和 dV_j 定稿前还剩的查询块数：{rest}。"),
    "bwd.check": ("Checked against autograd through the textbook formula (float64, N = {n}): max |Δ| of dQ {dq}, of "
                  "dK {dk}, of dV {dv}; every row of P rebuilt from the LSE against torch.softmax: {prow}.",
                  "与 autograd 对教科书公式求导的结果对照（float64，N = {n}）：dQ 的最大 |Δ| 为 {dq}，dK 为 {dk}，"
                  "dV 为 {dv}；由 LSE 重建的每一行 P 与 torch.softmax 相比：{prow}。"),
    "bwd.memory": ("What the backward needs kept from the forward: here P would be {p} KiB, the LSE is {lse} KiB, "
                   "{ratio}× less. At the problem above (N = {n}, {heads} heads), P for the backward would be {p_big} "
                   "MiB per layer, the LSE {lse_big} KiB. The bench measures it beside SDPA's backward.",
                   "反向传播需要从前向保留的数据：这里 P 要 {p} KiB，LSE 只要 {lse} KiB，少 {ratio} 倍。按上方的问题"
                   "（N = {n}，{heads} 个头），为反向保留 P 每层需要 {p_big} MiB，LSE 只需 {lse_big} KiB。基准测试把它与 "
                   "SDPA 的反向传播并排实测。"),
    "plot.bp_title": ("P = exp(S − lse), rebuilt", "P = exp(S − lse)（重建）"),
    "plot.ds_title": ("dS = P∘(dP − D)", "dS = P∘(dP − D)"),
    "plot.bconv_title": ("dK_j and dV_j converging", "dK_j 与 dV_j 逐步收敛"),
    "plot.bconv_x": ("query block processed", "已处理的查询块"),
    "plot.bconv_y": ("max |partial − final|", "最大 |部分 − 最终|"),
    "yours": ("Your model", "你的模型"),
    "yours.toggle": ("Read a model's config.json", "读取模型的 config.json"),
    "yours.off": ("Turn it on to paste or upload a Hugging Face config.json: its layers, heads, K/V heads, head_dim "
                  "and dtype give the K/V cache and one layer's attention at your N on a GPU you pick.",
                  "打开后可粘贴或上传 Hugging Face 的 config.json：由它的层数、头数、K/V 头数、head_dim 和数据类型，"
                  "算出 K/V 缓存，以及在你选的 GPU 上、你的 N 下单层注意力的代价。"),
    "yours.example": ("Bundled example", "内置示例"),
    "yours.tokens": ("Tokens N", "词元数 N"),
    "yours.batch": ("Batch", "批大小"),
    "yours.gpu": ("GPU (datasheet figures)", "GPU（数据手册数值）"),
    "yours.problem": ("Does not add up: {msg}", "对不上：{msg}"),
    "yours.consistent": ("The heads split evenly into K/V groups, head_dim follows from the sizes given, and nothing "
                         "else in the file contradicts it.",
                         "查询头能平均分给 K/V 组，head_dim 与给出的尺寸一致，文件中没有其他相互矛盾之处。"),
    "yours.kv": ("**K/V cache** ({kind}): {kv} GiB for {tokens} tokens × batch {batch}, {per_token} KiB per token. "
                 "With a K/V head per query head it would be {mha} GiB, {saved}× more.",
                 "**K/V 缓存**（{kind}）：{tokens} 个词元 × 批大小 {batch} 需要 {kv} GiB，每个词元 {per_token} KiB。"
                 "若每个查询头都有自己的 K/V 头，则需要 {mha} GiB，多 {saved} 倍。"),
    "yours.col.what": ("one layer, causal", "单层，因果"),
    "yours.row.memory": ("memory allocated (MiB)", "分配的内存（MiB）"),
    "yours.row.hbm": ("HBM traffic, IO model (MiB)", "HBM 读写量，IO 模型（MiB）"),
    "yours.row.hbm_time": ("that traffic at the GPU's bandwidth (ms)", "按该 GPU 带宽搬运这些数据的时间（毫秒）"),
    "yours.row.keep": ("kept for the backward: P, or the LSE (MiB)", "为反向保留：P 或 LSE（MiB）"),
    "yours.cost": ("One layer at N = {n}: {gflop} GFLOP, {compute} ms at {gpu}'s {tflops} TFLOP/s. Tiles sized to its "
                   "{sram} KiB of shared memory per SM hold {block} rows; at {bw} GB/s the tiled pass does {intensity} "
                   "FLOPs per HBM byte against the GPU's ridge of {ridge}, so it is {bound}. All {layers} layers: "
                   "about {total} ms. Model figures, not measurements.",
                   "N = {n} 时单层：{gflop} GFLOP，按 {gpu} 的 {tflops} TFLOP/s 需 {compute} 毫秒。按每个 SM {sram} KiB "
                   "共享内存划分的分块可容纳 {block} 行；在 {bw} GB/s 下，分块计算每字节 HBM 做 {intensity} 次浮点运算，"
                   "而该 GPU 的拐点是 {ridge}，所以它{bound}。全部 {layers} 层：约 {total} 毫秒。这些是模型数值，不是实测。"),
    "yours.bound.compute": ("compute-bound", "受算力限制"),
    "yours.bound.memory": ("memory-bound", "受内存带宽限制"),
    "yours.col.field": ("what", "项目"),
    "yours.col.value": ("value", "数值"),
    "yours.col.key": ("read from key", "读取自键"),
    "yours.field.layers": ("layers", "层数"),
    "yours.field.heads": ("query heads", "查询头数"),
    "yours.field.kv_heads": ("key/value heads", "键/值头数"),
    "yours.field.head_dim": ("head_dim", "head_dim"),
    "yours.field.dtype": ("dtype", "数据类型"),
    "walk.6": ("**The backward keeps the LSE, not P.** Step-through with N = {n}, block {block}, causal: each "
               "backward tile rebuilds P from the LSE, and the check against autograd is at rounding. P for this "
               "head would take {p} bytes, the LSE {lse}.",
               "**反向传播保留 LSE，而不是 P。** 逐步演示，N = {n}，分块 {block}，因果：每个反向分块都由 LSE 重建 P，"
               "与 autograd 的对照只差舍入误差。这个头的 P 要占 {p} 字节，LSE 只要 {lse} 字节。"),
    "walk.7": ("**Your model.** Open the config reader with the {example} example: {kv_heads} K/V heads serve "
               "{heads} query heads, so its K/V cache is {saved}× smaller than with a K/V head each. Change "
               "num_key_value_heads in a pasted copy to a number that does not divide the heads, and the page says "
               "what does not add up.",
               "**你的模型。** 用示例 {example} 打开配置读取器：{kv_heads} 个 K/V 头服务 {heads} 个查询头，所以它的 "
               "K/V 缓存比每个查询头各有 K/V 头时小 {saved} 倍。在粘贴的副本中把 num_key_value_heads 改成不能整除头数"
               "的数，页面就会指出哪里对不上。"),
    "plot.skipped": ("skipped (masked)", "跳过（已掩码）"),
    "plot.pending": ("pending", "待计算"),
    "plot.done": ("done", "已完成"),
    "plot.current": ("current", "当前"),
    "plot.grid_title": ("tile grid", "分块网格"),
    "plot.key_block": ("key block j", "键分块 j"),
    "plot.query_block": ("query block i", "查询分块 i"),
    "plot.s_title": ("S = Q_i K_jᵀ · scale", "S = Q_i K_jᵀ · scale（分数）"),
    "plot.p_title": ("P = exp(S − m_new)", "P = exp(S − m_new)（权重）"),
    "plot.key_from": ("key (from {start})", "键（从 {start} 起）"),
    "plot.query_from": ("query (from {start})", "查询（从 {start} 起）"),
    "plot.m_title": ("running max m", "运行最大值 m"),
    "plot.l_title": ("running denominator l", "运行分母 l"),
    "plot.m_before": ("m before", "更新前的 m"),
    "plot.m_after": ("m after", "更新后的 m"),
    "plot.query_row": ("query row", "查询行"),
    "plot.conv_title": ("output rows converging", "输出行逐步收敛"),
    "plot.conv_x": ("key block processed", "已处理的键分块"),
    "plot.conv_y": ("max |O_partial − O_final|", "最大 |O_部分 − O_最终|"),
    "plot.n_axis": ("N (sequence length)", "N（序列长度）"),
    "plot.io_standard": ("standard Θ(Nd + N²)", "标准注意力 Θ(Nd + N²)"),
    "plot.io_tiled": ("tiled Θ(N²d²/M)", "分块注意力 Θ(N²d²/M)"),
    "plot.io_title": ("HBM traffic per head (model), SRAM = {sram} KiB", "每个头的 HBM 读写量（模型），SRAM = {sram} KiB"),
    "plot.io_y": ("MiB moved", "搬运量（MiB）"),
}
