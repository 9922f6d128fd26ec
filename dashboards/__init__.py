"""Static dashboards built from the gold marts (plotly, bundled offline, Japanese with English).

One folder per audience under the site: ``ministry/`` now; ``association/`` and ``project/``
later. Entry point: :func:`dashboards.publish.publish_site`.
"""
