"""Full-text prefilter of the mention search: an index that narrows candidates quickly.

The exact matcher of the query language has the final word; this app only keeps, in the
database, the folded words of each mention's title and text so that a search (and a
watch's preview) evaluates a few candidates rather than every mention.
"""
