"""Ingest beyond one machine: inputs cut into tasks (``splits``), extraction on a Dask
cluster with one writer (``cluster``), and a store-free Parquet output (``parquet``)."""
