"""Distributed data parallel on real gloo processes: a logged ring all-reduce, DDP against one process,
gradient buckets overlapping backward, and an α–β cost model fitted to measured all-reduces."""

from engine.ddp.allreduce import (
                                  METHODS,
                                  AllReduceResult,
                                  Transfer,
                                  allreduce_times,
                                  naive_ring_allreduce,
                                  parameter_server_allreduce,
                                  ring_allreduce,
)
from engine.ddp.buckets import Bucket, Timeline, bucket_timeline, step_times
from engine.ddp.cluster import Cluster, ClusterError, Task, is_warm, warm_cluster
from engine.ddp.cost import AlphaBeta, fit, ring_terms
from engine.ddp.equivalence import MISTAKES, Accumulation, Equivalence, ddp_vs_single, no_sync_accumulation
from engine.ddp.hook import DdpBucket, RingState, ring_hook

__all__ = ["METHODS", "MISTAKES", "Accumulation", "AllReduceResult", "AlphaBeta", "Bucket", "Cluster", "ClusterError",
           "DdpBucket", "Equivalence", "RingState", "Task", "Timeline", "Transfer", "allreduce_times",
           "bucket_timeline", "ddp_vs_single", "fit", "is_warm", "naive_ring_allreduce", "no_sync_accumulation",
           "parameter_server_allreduce", "ring_allreduce", "ring_hook", "ring_terms", "step_times", "warm_cluster"]
