"""``sourcetrace batch``: analyse crawl archives (WARC, JSONL) on a Dask cluster into a Parquet dataset.

- ``plan``: inputs (files, directories, globs) split into partitions by record offsets;
- ``records``: one partition read into articles, with the filters that drop what is not an English article;
- ``dataset``: the output folder (Parquet tables hive-partitioned by month, failures, the manifest);
- ``engine``: the Dask tasks and the driver that schedules them, resumes and reports progress.
"""
