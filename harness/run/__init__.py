"""Floor 6, running an evaluation, in the order data flows: the persistent cache (`cache`), one
process's text processors (`processors`), one document's stages (`document`), the pipeline over all
documents (`pipeline`), and the process pool (`executors`), which receives a plain function and its
data, or Dask and any concurrent.futures.Executor (`distributed`), which receive shards of documents. Documents may be scored in any process and any order: aggregation runs once, in document
order, so the output is byte-identical whatever the number of processes.

Beside the evaluation, `stream` scores a stream of pairs in memory that does not grow with it
(`score_stream`): no corpus, no aggregation; one result per pair, in input order, on this process,
the pool or an executor.
"""
