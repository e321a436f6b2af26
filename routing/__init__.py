"""Database routing for TITAN's two aliases: relational ``default`` and time-series ``timescale``.

``TimescaleModel`` is the abstract base of time-series models; ``TimescaleRouter`` sends them
(and their migrations) to the ``timescale`` alias and everything else to ``default``.
"""
