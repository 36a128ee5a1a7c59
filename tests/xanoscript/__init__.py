"""Tests of xsk_nb.xanoscript, one file per module (issue 22 item 4)."""
