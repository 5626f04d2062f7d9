"""The bottom layer: the one error type (``errors``) and the shared vocabulary (``vocabulary``), imported by all."""
