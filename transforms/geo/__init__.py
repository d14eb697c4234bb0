"""The geocoder: place mentions in news resolved to GeoNames, offline (pure; no I/O).

- :mod:`transforms.geo.names`: the name key shared by the gazetteer and the text.
- :mod:`transforms.geo.gazetteer`: the compiled gazetteer and its compiler.
- :mod:`transforms.geo.aliases`: the alias table (abbreviations, demonyms).
- :mod:`transforms.geo.mentions`: place mentions and datelines in a text.
- :mod:`transforms.geo.resolve`: disambiguation by evidence.
- :mod:`transforms.geo.events`: one place per coded event.
- :mod:`transforms.geo.evaluation`: the scorers ``make eval`` uses.
"""
