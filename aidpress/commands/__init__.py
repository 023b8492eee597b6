"""The top layer: what `aidpress` commands do (build, check, aftercare sheets, watch).

Commands call down into the core (aidpress: load → validate → models) and into
layouts/ (models → PDF bytes). Nothing below imports from here.
"""
