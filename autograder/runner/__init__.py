"""Running student notebooks outside nbgrader: cells in a forked, pre-warmed interpreter."""
