"""aidpress: YAML patient decision aids → printable PDF handouts.

The pipeline, one module per stage:
    source.load      YAML text → nodes that remember file, line and column
    validate.validate  nodes → frozen models (aidpress.model), or every error at once
    layouts.render     model → PDF bytes (ReportLab, one module per aid kind)
    write.write_atomic bytes → output/<id>.pdf, never a half-written file
pipeline.py strings them together; cli.py only parses arguments and calls it.
"""

__version__ = "0.1.0"
