"""The CI gate: sizes in words, budgets, baselines, diffs, and their reports.

Asked through ``rpmgraph.Universe``: ``measure`` (``measure.Measured``), ``snapshot``
(``snapshot.Snapshot``, a lock file), ``diff`` (``compare.DiffReport``) and ``check``
(``run.CheckReport``); ``run.run_check`` loads a config's own sources and checks it.
``config`` reads rpmgraph.toml, ``budgets`` holds limits against closures, ``report_*``
write each result in each format (``formats`` names them).
"""
