"""Crashes the interpreter with a segmentation fault."""
# reason: SIGSEGV
# %% cell: double_answer
import ctypes
ctypes.string_at(0)
