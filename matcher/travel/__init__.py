"""Travel models: the one interface every model answers (``protocol``), the straight line, the national model
with its end corrections, and quickest paths over a road graph."""
