"""Put on PYTHONPATH by the smoke run: every Python process it starts (dvc, the stages,
their workers) fails loudly on any attempt to open a network connection."""

import socket

_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


def _refuse(sock, address):
    if sock.family != socket.AF_UNIX:
        raise RuntimeError(f"network access attempted: {address}")


def _guarded_connect(self, address):
    _refuse(self, address)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    _refuse(self, address)
    return _connect_ex(self, address)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
