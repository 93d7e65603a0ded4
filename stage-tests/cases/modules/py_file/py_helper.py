# A Python file: `import py_helper` from a .spy module must not load it (docs/spec/LANGUAGE.md §2.5).
def answer():
    return 42
