"""Shared by the PyTorch anchors: import torch, or print the one-line skip answer (with how to
install it) that the Node side reads as "no PyTorch column"."""
import json


def torch_or_skip():
    """The torch module, or None after printing {"skipped": ...}."""
    try:
        import torch
        return torch
    except Exception as e:  # noqa: BLE001 - any import failure means: no anchor
        print(json.dumps({"skipped": f"PyTorch not importable ({e.__class__.__name__}: {e}); "
                          "install it with `sudo apt-get install python3-torch` (Debian) or "
                          "`/usr/bin/python3 -m pip install torch`"}))
        return None
