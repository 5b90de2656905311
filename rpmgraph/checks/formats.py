"""The report formats of the gate's results, by name: the command line offers these
choices without importing the writers (and the graph libraries they need)."""

STATS = ("text", "json", "markdown")
CHECK = ("text", "json", "markdown", "junit")
DIFF_REPORTS = ("text", "json", "markdown")
DIFF_PICTURES = ("dot", "svg", "png", "pdf")  # the union graph, drawn
DIFF = (*DIFF_REPORTS, *DIFF_PICTURES)
