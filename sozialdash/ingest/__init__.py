"""Import a city's own files: areas, indicator values, the catalogue and institutions, as a mapping (YAML) says.

Every reader returns what it read and adds what it found to one ``Report`` (file, row, column, value, and how to
fix it); errors block the build, warnings do not. Nothing here writes the store: ``run`` hands a complete
``Dataset`` to ``build.build_store``, which writes a new file and swaps it in, so a failed import changes nothing.
"""
