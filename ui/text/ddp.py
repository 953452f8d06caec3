"""Strings of the distributed-data-parallel page."""

TEXT = {
    "title": ("Distributed data parallel (DDP)", "分布式数据并行（DDP）"),
    "what": (
        "DataParallel runs one process with a thread per device, so the GIL and one scatter/gather hub limit it; "
        "DDP runs one process per replica. Every process holds an identical copy of the model and computes "
        "gradients on its own shard of the batch; a ring all-reduce then averages those gradients, so every replica "
        "takes exactly the step one process would take on the whole batch. The ring schedules only 2(N−1)/N of "
        "the gradient's size for each process to send per step, whatever N is. Everything below runs now on real `torch.distributed` "
        "processes of this server, talking over gloo on 127.0.0.1.",
        "DataParallel 只有一个进程，每个设备一个线程，因此受 GIL 和单一的分发/汇总中心所限；DDP 则每个副本一个进程。"
        "每个进程持有一份完全相同的模型，在自己那一份数据分片上计算梯度；随后环形 all-reduce 对梯度求平均，"
        "于是每个副本走出的一步与单个进程在整个批次上走出的一步完全相同。环形算法每一步只安排每个进程发送梯度大小的 "
        "2(N−1)/N，与 N 无关。下面的一切都由本服务器上真实的 `torch.distributed` 进程此刻算出，"
        "它们通过 127.0.0.1 上的 gloo 通信。",
    ),
    "controls": ("Cluster", "集群"),
    "n": ("Processes N", "进程数 N"),
    "method": ("All-reduce", "All-reduce 算法"),
    "size": ("Buffer elements", "缓冲区元素数"),
    "m.ring": ("our ring", "我们的环形算法"),
    "m.naive_ring": ("naive ring", "朴素环形"),
    "m.parameter_server": ("parameter server", "参数服务器"),
    "m.gloo": ("gloo all_reduce", "gloo all_reduce"),
    "starting": ("Starting {n} worker processes (each imports torch and joins the gloo group); the page fills in "
                 "when they are ready, and later visits reuse them.",
                 "正在启动 {n} 个工作进程（每个都要导入 torch 并加入 gloo 进程组）；就绪后页面会自动显示，之后的访问会复用它们。"),
    "live": ("All-reduce on every process, live", "在每个进程上实时运行的 all-reduce"),
    "where": ("{n} worker processes, gloo over 127.0.0.1, one CPU thread each.",
              "{n} 个工作进程，gloo 走 127.0.0.1，每个进程一个 CPU 线程。"),
    "sent": ("scheduled payload of the busiest rank", "负载最大的进程的计划载荷"),
    "equal": ("equal to gloo's all_reduce", "与 gloo 的 all_reduce 一致"),
    "err64": ("max error vs float64 sum", "相对 float64 求和的最大误差"),
    "same": ("replicas bit-identical", "各副本逐位相同"),
    "against": ("Formula: {v} B of payload per rank. gloo's own error against the float64 sum: {g}.",
                "公式：每个进程 {v} B 载荷。gloo 自身相对 float64 求和的误差：{g}。"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "col.method": ("method", "算法"),
    "col.sent": ("scheduled payload (B), rank 0 / 1 / …", "计划载荷（B，进程 0 / 1 / …）"),
    "col.formula": ("formula (busiest rank)", "公式（最忙的进程）"),
    "col.messages": ("messages", "消息数"),
    "col.equal": ("= gloo", "= gloo"),
    "col.same": ("replicas identical", "副本一致"),
    "live.note": ("S = {s} B per rank. The payload is the schedule: the bytes of the tensors each rank hands to "
                  "isend, summed from the transfer log; what gloo puts on the wire adds its own headers and framing, "
                  "which this page does not measure. Times are measured below, in interleaved rounds. The ring "
                  "schedules 2(N−1)/N·S from every rank; the naive ring (N−1)·S from every rank; the parameter "
                  "server makes rank 0 send (N−1)·S and receive as much, a hub that grows with N. The naive ring "
                  "adds in a different order on each rank, so its replicas may differ in the last bit.",
                  "每个进程 S = {s} B。载荷指的是调度：每个进程交给 isend 的张量字节数，由传输日志累加而来；"
                  "gloo 实际发到线路上的还包括它自己的包头和分帧，本页没有测量这部分。耗时在下方按交错轮次测量。"
                  "环形算法安排每个进程发送 2(N−1)/N·S；朴素环形每个进程 (N−1)·S；参数服务器让进程 0 "
                  "发送 (N−1)·S 并接收同样多，成为随 N 增长的瓶颈。朴素环形在每个进程上的加法顺序不同，"
                  "因此各副本可能在最后一位上不同。"),
    "replay": ("Replay: transfer by transfer", "回放：逐次传输"),
    "state": ("After step", "第几步之后"),
    "rank": ("rank {r}", "进程 {r}"),
    "state.inputs": ("Before the first step: every rank holds only its own values.", "第一步之前：每个进程只持有自己的数值。"),
    "phase.reduce_scatter": ("Step {step}, reduce-scatter: {n} messages, {b} B of payload in all; each rank adds the chunk it "
                             "received into its own copy.",
                             "第 {step} 步，reduce-scatter：{n} 条消息，载荷共 {b} B；每个进程把收到的分块加到自己的副本上。"),
    "phase.all_gather": ("Step {step}, all-gather: {n} messages, {b} B of payload in all; each finished chunk overwrites the "
                         "neighbour's copy.",
                         "第 {step} 步，all-gather：{n} 条消息，载荷共 {b} B；每个已完成的分块覆盖邻居的副本。"),
    "phase.pass": ("Step {step}: {n} messages, {b} B of payload in all; every rank passes a whole buffer on and adds the one it "
                   "received.", "第 {step} 步：{n} 条消息，载荷共 {b} B；每个进程把整个缓冲区传下去，并加上收到的那个。"),
    "phase.gather": ("Step {step}, gather: {n} messages, {b} B of payload in all, every one to rank 0, which adds them.",
                     "第 {step} 步，汇集：{n} 条消息，载荷共 {b} B，全部发往进程 0，由它相加。"),
    "phase.broadcast": ("Step {step}, broadcast: {n} messages, {b} B of payload in all, all from rank 0.",
                        "第 {step} 步，广播：{n} 条消息，载荷共 {b} B，全部来自进程 0。"),
    "csv.events": ("Download the transfer log (CSV)", "下载传输日志（CSV）"),
    "eq": ("DDP against one process on the whole batch", "DDP 与单进程整批训练对比"),
    "model": ("Model", "模型"),
    "model.mlp": ("MLP", "MLP"),
    "model.bn": ("MLP + BatchNorm", "MLP + BatchNorm"),
    "dtype": ("dtype", "dtype"),
    "mistake": ("Inject a mistake", "注入一个错误"),
    "mistake.none": ("none: done right", "无：正确做法"),
    "mistake.loss_times_world": ("loss × world size", "损失乘以进程数"),
    "mistake.sum_reduction": ("reduction='sum'", "reduction='sum'"),
    "mistake.uneven_shards_unweighted": ("uneven shards, unweighted", "分片不均且未加权"),
    "mistake.batchnorm_without_sync": ("BatchNorm without sync", "BatchNorm 未同步"),
    "mistake.sampler_padding": ("DistributedSampler padding", "DistributedSampler 补齐样本"),
    "mistake.different_init": ("replicas start from different weights", "各副本初始权重不同"),
    "eq.after": ("After {steps} SGD steps: max |θ_ddp − θ_single| = {after}; max |θ_rank − θ_rank0| = {replicas}. "
                 "Shards: {shards} samples of a batch of {batch}.",
                 "{steps} 步 SGD 之后：max |θ_ddp − θ_single| = {after}；max |θ_rank − θ_rank0| = {replicas}。"
                 "分片：批次 {batch} 中各进程分得 {shards} 个样本。"),
    "csv.eq": ("Download the per-step gaps (CSV)", "下载逐步差距（CSV）"),
    "buckets": ("Gradient buckets overlap backward", "梯度桶与反向传播重叠"),
    "buckets.intro": ("DDP groups gradients into buckets of about `bucket_cap_mb` and starts a bucket's all-reduce "
                      "as soon as its last gradient exists, while backward is still computing the earlier layers. "
                      "A communication hook on a 6-layer MLP records when each bucket launched and finished (third "
                      "step: DDP rebuilds its buckets after the first).",
                      "DDP 把梯度分组为约 `bucket_cap_mb` 大小的桶，一个桶的最后一个梯度一出现就启动它的 all-reduce，"
                      "此时反向传播还在计算更前面的层。一个通信钩子在 6 层 MLP 上记录每个桶何时启动、何时完成"
                      "（取第三步：DDP 在第一步之后会重建桶）。"),
    "cap": ("bucket_cap_mb", "bucket_cap_mb"),
    "overlap.yes": ("{k} buckets for {p} M parameters ({mb} MB): the first all-reduce launched at {first} ms, before "
                    "backward's last gradient at {last} ms: communication overlaps computation.",
                    "{p} M 参数（{mb} MB）分成 {k} 个桶：第一个 all-reduce 在 {first} ms 启动，早于反向传播最后一个梯度的 "
                    "{last} ms：通信与计算重叠。"),
    "overlap.no": ("{k} bucket(s) for {p} M parameters ({mb} MB): the first all-reduce launched at {first} ms, after "
                   "backward's last gradient at {last} ms: nothing overlaps.",
                   "{p} M 参数（{mb} MB）分成 {k} 个桶：第一个 all-reduce 在 {first} ms 启动，晚于反向传播最后一个梯度的 "
                   "{last} ms：没有重叠。"),
    "csv.buckets": ("Download the bucket timeline (CSV)", "下载梯度桶时间线（CSV）"),
    "measured": ("Measured: all-reduce time and the α–β model", "实测：all-reduce 耗时与 α–β 模型"),
    "measured.intro": ("Each size is timed in interleaved rounds (the four methods take turns, a barrier before each "
                       "call, the slowest rank counts). Markers: each size's fastest round, with a bar up to its "
                       "slowest and a dash at its median. Dashed lines: t = α + β·S fitted to the fastest round of "
                       "the sizes without a ring, so each line runs through those markers; ringed points were left "
                       "out of the fit and show how well it predicts.",
                       "每个大小按交错轮次计时（四种算法轮流运行，每次调用前有 barrier，以最慢的进程为准）。"
                       "标记：每个大小最快的一轮，竖线延伸到最慢的一轮，短横线是中位数。虚线：对未加圈的大小的最快一轮"
                       "拟合 t = α + β·S，因此每条线都穿过这些标记；加圈的点未参与拟合，用来检验预测效果。"),
    "measure": ("Measure now on {n} processes", "在 {n} 个进程上重新测量"),
    "fit": ("Our ring: α = {a} ms per step, β = {b} ms per MiB of scheduled payload. Worst error on held-out "
            "sizes: {err}.",
            "我们的环形算法：每步 α = {a} ms，每 1 MiB 计划载荷 β = {b} ms。留出大小上的最大误差：{err}。"),
    "cores": ("{n} ranks on {cores} CPU cores: the ranks outnumber the cores, so they take turns on them and these "
              "times include that waiting.",
              "{n} 个进程运行在 {cores} 个 CPU 核心上：进程多于核心，只能轮流使用，这些耗时也包含了等待的时间。"),
    "busy": ("Some sizes' rounds disagree widely: the machine was busy while timing.",
             "部分大小的各轮结果相差很大：计时时机器繁忙。"),
    "csv.times": ("Download the all-reduce times (CSV)", "下载 all-reduce 耗时（CSV）"),
    "steps": ("Gradient accumulation: no_sync against syncing every micro-batch", "梯度累积：no_sync 与每个微批次都同步"),
    "csv.steps": ("Download the step times (CSV)", "下载每步耗时（CSV）"),
    "walk": ("Walkthrough", "导览"),
    "walk.apply": ("Apply step {n}", "应用第 {n} 步"),
    "walk.1": ("**The ring.** Three processes, step through: reduce-scatter leaves each rank one finished chunk, "
               "all-gather hands them round. Every rank's scheduled payload is 2(N−1)/N of the buffer.",
               "**环形算法。** 三个进程，逐步查看：reduce-scatter 让每个进程拿到一个完成的分块，all-gather 再把它们传一圈。"
               "每个进程的计划载荷是缓冲区的 2(N−1)/N。"),
    "walk.2": ("**The naive ring.** Four processes pass whole buffers: (N−1)·S bytes of payload each, and the table shows the "
               "replicas may no longer be bit-identical.",
               "**朴素环形。** 四个进程传递整个缓冲区：每个的载荷为 (N−1)·S 字节，表中可见各副本可能不再逐位相同。"),
    "walk.3": ("**Equivalence.** In float64, on {n} processes just now, DDP's gradients differed from one process's "
               "by at most {gap} over {steps} steps: {ratio}× the rounding level ε·max|g|.",
               "**等价性。** 在 float64 下，刚才在 {n} 个进程上，DDP 的梯度与单进程的梯度在 {steps} 步中最多相差 {gap}："
               "是舍入误差水平 ε·max|g| 的 {ratio} 倍。"),
    "walk.3.pending": ("**Equivalence.** In float64, DDP's gradients differ from one process's only by rounding, "
                       "step after step (the gap appears here once the processes have started).",
                       "**等价性。** 在 float64 下，DDP 的梯度与单进程的梯度逐步只差舍入误差（进程启动后这里会给出差距）。"),
    "walk.4": ("**A mistake.** reduction='sum' on every shard: the curve jumps far above the bound, and the panel "
               "says why.", "**一个错误。** 每个分片用 reduction='sum'：曲线远远高出界限，面板解释原因。"),
    "walk.5": ("**BatchNorm.** Unsynchronised BatchNorm normalises each shard alone: caught; with the synchronised "
               "one (choose none) it matches again.",
               "**BatchNorm。** 未同步的 BatchNorm 各自用分片统计量归一化：被检测出来；换成同步版本（选“无”）又一致了。"),
    "walk.6": ("**One big bucket.** bucket_cap_mb = 25: one bucket, launched only after backward ends: no overlap.",
               "**一个大桶。** bucket_cap_mb = 25：只有一个桶，反向传播结束后才启动：没有重叠。"),
    "walk.7": ("**Small buckets.** bucket_cap_mb = 1: the first all-reduce starts while backward is still running.",
               "**小桶。** bucket_cap_mb = 1：第一个 all-reduce 在反向传播仍在进行时就开始了。"),
}
TEXT |= {
    "plot.rank": ("rank {r}", "进程 {r}"),
    "plot.chunk": ("chunk {c}", "分块 {c}"),
    "plot.state": ("step", "步"),
    "plot.start": ("inputs", "输入"),
    "plot.whose": ("whose values", "包含谁的值"),
    "plot.grad_gap": ("max |g_ddp − g_single|", "max |g_ddp − g_single|"),
    "plot.step": ("training step", "训练步"),
    "plot.rounding": ("rounding level", "舍入误差水平"),
    "plot.bound": ("bound: {k}× rounding level", "界限：舍入误差水平的 {k} 倍"),
    "plot.ms": ("ms from backward's start", "自反向传播开始的毫秒数"),
    "plot.backward": ("backward compute", "反向传播计算"),
    "plot.returned": ("backward() returned", "backward() 返回"),
    "plot.bucket": ("bucket {i} · {mb} MB", "桶 {i} · {mb} MB"),
    "plot.bytes": ("buffer (bytes)", "缓冲区（字节）"),
    "plot.time": ("time per all-reduce (ms)", "每次 all-reduce 耗时（毫秒）"),
    "plot.fit": ("α–β fit", "α–β 拟合"),
    "plot.held": ("held out", "留出"),
    "plot.median": ("median round", "中位轮次"),
    "plot.params": ("parameters", "参数量"),
    "plot.step_ms": ("ms per optimizer step", "每个优化器步的毫秒数"),
    "plot.m.ring": ("our ring", "我们的环形算法"),
    "plot.m.gloo": ("gloo all_reduce", "gloo all_reduce"),
    "plot.m.naive_ring": ("naive ring", "朴素环形"),
    "plot.m.parameter_server": ("parameter server", "参数服务器"),
    "plot.mode.every_step": ("sync every step", "每步同步"),
    "plot.mode.no_sync": ("no_sync, one sync", "no_sync，只同步一次"),
    "plot.allreduces": ("{n} all-reduces", "{n} 次 all-reduce"),
}
TEXT |= {  # the "yours" view: a visitor's nccl-tests output (ui/ddp/yours.py)
    "view": ("View", "视图"),
    "view.live": ("Live on this server", "本服务器实时运行"),
    "view.yours": ("Yours: nccl-tests output", "你的：nccl-tests 输出"),
    "yours.intro": ("Paste what `all_reduce_perf` (or `all_gather_perf`, `reduce_scatter_perf`) printed on your "
                    "machines, or upload the log. Every algbw is recomputed as size / time and every busbw as "
                    "algbw × the collective's factor (2(N−1)/N for all_reduce, (N−1)/N for all_gather and "
                    "reduce_scatter), each to the precision it was printed with; then t = α + size·factor / busbw "
                    "is fitted and drawn beside our ring and gloo on this server.",
                    "粘贴 `all_reduce_perf`（或 `all_gather_perf`、`reduce_scatter_perf`）在你的机器上打印的内容，"
                    "或上传日志。每个 `algbw` 都按 `size / time` 重算，每个 `busbw` 按 `algbw` × 该集合通信的系数重算"
                    "（all_reduce 为 2(N−1)/N，all_gather 和 reduce_scatter 为 (N−1)/N），精度与打印的位数一致；"
                    "然后拟合 `t = α + size·factor / busbw`，并与本服务器上我们的环形算法和 gloo 画在同一坐标上。"),
    "yours.collective": ("collective", "集合通信"),
    "yours.ranks": ("ranks N", "进程数 N"),
    "yours.rows": ("sizes", "大小个数"),
    "yours.alpha": ("fitted α", "拟合 α"),
    "yours.busbw": ("fitted busbw", "拟合 busbw"),
    "yours.clean": ("All {k} printed bandwidths recompute from size and time within their printed precision "
                    "(busbw = algbw × {factor} for N = {n}).",
                    "全部 {k} 个打印的带宽都能在其打印精度内由 size 和 time 重算出来（N = {n} 时 busbw = algbw × {factor}）。"),
    "yours.problems": ("{k} printed number(s) do not add up:", "{k} 个打印的数字对不上："),
    "yours.devices": ("Devices: {devices}.", "设备：{devices}。"),
    "yours.ours": ("Ours: our ring and gloo's all_reduce on {n} processes of this server, each size's median "
                   "round, busbw computed the way nccl-tests does. Choose N above to compare another world size.",
                   "我们的：本服务器上 {n} 个进程运行我们的环形算法和 gloo 的 all_reduce，取每个大小的中位轮次，"
                   "busbw 按 nccl-tests 的方式计算。在上方选择 N 可以比较另一种进程数。"),
    "yours.live_ours": ("Our curves were measured live on this server just now.", "我们的曲线刚刚在本服务器上实时测得。"),
    "yours.col.size": ("size (B)", "大小（B）"),
    "yours.col.count": ("count", "元素数"),
    "yours.col.type": ("type", "类型"),
    "yours.col.redop": ("redop", "归约"),
    "yours.col.time": ("time (µs), out-of-place", "耗时（µs），out-of-place"),
    "yours.col.algbw": ("algbw (GB/s)", "algbw（GB/s）"),
    "yours.col.busbw": ("busbw (GB/s)", "busbw（GB/s）"),
    "yours.col.recomputed": ("size / time (GB/s)", "size / time（GB/s）"),
    "yours.col.time_in": ("time (µs), in-place", "耗时（µs），in-place"),
    "yours.col.wrong": ("#wrong", "#wrong（错误元素数）"),
    "plot.time_us": ("time per call (µs)", "每次调用耗时（µs）"),
    "plot.busbw": ("busbw (GB/s)", "busbw（GB/s）"),
    "plot.yours.out_of_place": ("yours, out-of-place", "你的，out-of-place"),
    "plot.yours.in_place": ("yours, in-place", "你的，in-place"),
    "plot.yours.fit": ("your fit: α {a} µs, busbw {b} GB/s", "你的拟合：α {a} µs，busbw {b} GB/s"),
    "plot.ours": ("{m} here, N = {n}", "{m}（本机，N = {n}）"),
}
TEXT |= {  # bytes on the wire (ui/ddp/wire.py), DDP through our ring, its buckets replayed
    "wire": ("Bytes on the wire: measured, not only scheduled", "线路上的字节：实测，而不只是计划"),
    "wire.intro": ("One large all-reduce per method, with the loopback interface's byte counters "
                   "(`/proc/net/dev`, `lo`) read before and after it: every rank talks over 127.0.0.1, so the "
                   "difference is what all ranks really sent, gloo's framing and TCP/IP headers included. `lo` is "
                   "shared with the rest of the machine, so the smallest of three rounds counts. algbw = S / t and "
                   "busbw = algbw · 2(N−1)/N, as nccl-tests defines them for an all-reduce.",
                   "每种算法做一次大的 all-reduce，并在前后读取回环接口的字节计数（`/proc/net/dev` 的 `lo`）："
                   "所有进程都通过 127.0.0.1 通信，所以差值就是全部进程实际发送的字节，包括 gloo 的分帧和 TCP/IP 包头。"
                   "`lo` 与本机其他程序共用，因此取三轮中最小的一次。`algbw = S / t`，`busbw = algbw · 2(N−1)/N`，"
                   "与 nccl-tests 对 all-reduce 的定义相同。"),
    "wire.col.scheduled": ("scheduled, all ranks (MiB)", "计划载荷，全部进程（MiB）"),
    "wire.col.measured": ("measured on lo (MiB)", "lo 上实测（MiB）"),
    "wire.col.overhead": ("measured − scheduled", "实测 − 计划"),
    "wire.col.ms": ("time (ms)", "耗时（ms）"),
    "wire.col.algbw": ("algbw (GB/s)", "algbw（GB/s）"),
    "wire.col.busbw": ("busbw (GB/s)", "busbw（GB/s）"),
    "wire.note": ("N = {n}, S = {s} MiB per rank. The ring schedules 2(N−1)·S = {ring} MiB over all ranks (each of its "
                  "2(N−1) steps sends every chunk once); lo carried {over} more: headers and gloo's own messages. "
                  "gloo's all_reduce is given the ring's schedule, which its measured bytes follow.",
                  "N = {n}，每个进程 S = {s} MiB。环形算法在全部进程上安排 2(N−1)·S = {ring} MiB（2(N−1) 步中每一步每个分块"
                  "只发送一次）；lo 上多出 {over}：包头和 gloo 自己的消息。gloo 的 all_reduce 按环形的计划计，其实测字节也与之相符。"),
    "wire.no_lo": ("This machine shows no loopback counters (/proc/net/dev has no lo): only the schedule is shown.",
                   "本机没有回环接口计数（/proc/net/dev 中没有 lo）：只显示计划载荷。"),
    "csv.wire": ("Download measured and scheduled bytes (CSV)", "下载实测与计划字节（CSV）"),
    "allreduce": ("DDP's all-reduce", "DDP 的 all-reduce"),
    "allreduce.ring": ("our ring (ring_hook)", "我们的环形算法（ring_hook）"),
    "allreduce.gloo": ("gloo (DDP's default)", "gloo（DDP 默认）"),
    "replay.source": ("Replay", "回放"),
    "replay.buffer": ("a seeded buffer", "一个随机种子生成的缓冲区"),
    "replay.ddp": ("DDP's gradient bucket", "DDP 的梯度桶"),
    "replay.bucket": ("Bucket {i} of DDP's last training step in the panel below: {p} parameter tensors, {e} "
                      "gradient values ({b} B) per rank, already divided by N, summed through our ring by ring_hook. "
                      "Equal to gloo's all_reduce of the same bucket: {eq}; replicas bit-identical: {same}. The table "
                      "shows the first {k} values.",
                      "下方面板中 DDP 最后一个训练步的第 {i} 个桶：{p} 个参数张量，每个进程 {e} 个梯度值（{b} B），"
                      "已除以 N，由 ring_hook 通过我们的环形算法求和。与 gloo 对同一个桶的 all_reduce 一致：{eq}；"
                      "各副本逐位相同：{same}。表中显示前 {k} 个值。"),
    "replay.bucket_pick": ("Bucket", "桶"),
    "replay.needs_ring": ("DDP's buckets went through gloo in the panel below: choose our ring there to replay them.",
                          "下方面板中 DDP 的桶走的是 gloo：在那里选择我们的环形算法即可回放它们。"),
}
TEXT |= {
    "eq.ring": ("DDP summed every gradient bucket through our ring (ring_hook, registered with register_comm_hook): "
                "{k} bucket(s), {b} B per rank in the last step; each equal to gloo's all_reduce of the same bucket: "
                "{ok}. Replay them above.",
                "DDP 的每个梯度桶都经由我们的环形算法求和（ring_hook，通过 register_comm_hook 注册）：最后一步共 {k} 个桶，"
                "每个进程 {b} B；每个桶都与 gloo 对同一个桶的 all_reduce 一致：{ok}。可在上方回放。"),
}
TEXT |= {
    "starting.shipped": ("Starting {n} worker processes (each imports torch and joins the gloo group). Meanwhile the "
                         "page shows a recording of this view made on real processes (said below); the live results "
                         "replace it when the processes are ready, and later visits reuse them.",
                         "正在启动 {n} 个工作进程（每个都要导入 torch 并加入 gloo 进程组）。在此期间页面显示此视图在真实进程上"
                         "录制的结果（见下方说明）；进程就绪后实时结果会替换它，之后的访问会复用这些进程。"),
}
TEXT |= {
    "walk.8": ("**Yours.** The bundled nccl-tests example ({n} ranks, {k} sizes, written by Glassbox in the tool's "
               "format): {bad} printed bandwidths fail to recompute, and the fit gives α = {a} µs and busbw = {b} "
               "GB/s, drawn beside our ring on this server. Paste your own `all_reduce_perf` output in its place.",
               "**你的。** 附带的 nccl-tests 示例（{n} 个 rank，{k} 个大小，由 Glassbox 按该工具的格式编写）：有 {bad} 个"
               "打印的带宽无法重算，拟合得 α = {a} µs、busbw = {b} GB/s，并与本服务器上我们的环形算法画在一起。"
               "把你自己的 `all_reduce_perf` 输出粘贴进去即可替换它。"),
    "walk.9": ("**DDP's own bucket.** DDP handed ring_hook one bucket of {p} parameter tensors, {e} gradient values "
               "per rank on {n} processes; replay it: the same {steps} ring steps as the small buffer, on real "
               "gradients.",
               "**DDP 自己的桶。** 在 {n} 个进程上，DDP 交给 ring_hook 一个包含 {p} 个参数张量、每个进程 {e} 个梯度值的桶；"
               "回放它：与小缓冲区相同的 {steps} 步环形传输，只是换成了真实的梯度。"),
    "walk.9.pending": ("**DDP's own bucket.** Replay a real gradient bucket that DDP handed to ring_hook (it appears "
                       "once DDP has run through our ring).",
                       "**DDP 自己的桶。** 回放 DDP 交给 ring_hook 的真实梯度桶（DDP 经由我们的环形算法运行后出现）。"),
}
TEXT |= {"yours.csv": ("Download the rows with size / time recomputed (CSV)", "下载附带 size / time 重算值的各行（CSV）")}
