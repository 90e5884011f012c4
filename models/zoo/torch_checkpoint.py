# ===- torch_checkpoint.py - Read a PyTorch state dict without torch -----=== #
#
# Loads a `torch.save`d state dict into {name: numpy.ndarray} with the
# standard library and NumPy only (torch is far too large to install just to
# read weights). Both serialization formats are understood:
#   * zip (torch >= 1.6): archive/data.pkl + archive/data/<key> raw storages;
#   * legacy (torch < 1.6): magic, protocol, sys_info, the main pickle, the
#     list of storage keys, then per storage an int64 element count and the
#     raw little-endian bytes.
# Tensors are pickled as torch._utils._rebuild_tensor_v2(storage, offset,
# size, stride, ...); storages are persistent ids resolved by persistent_load.
#
# ===----------------------------------------------------------------------=== #

import collections
import pickle
import struct
import zipfile

import numpy as np

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C

_STORAGE_DTYPES = {
    "FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
    "LongStorage": np.int64, "IntStorage": np.int32, "ShortStorage": np.int16,
    "CharStorage": np.int8, "ByteStorage": np.uint8, "BoolStorage": np.bool_,
}


class _StorageType:
    def __init__(self, name):
        if name not in _STORAGE_DTYPES:
            raise ValueError(f"unsupported torch storage type {name}")
        self.dtype = np.dtype(_STORAGE_DTYPES[name])


class _Storage:
    """A storage whose bytes are attached after the pickle is read (legacy)."""

    def __init__(self, dtype, key, numel):
        self.dtype, self.key, self.numel = dtype, key, numel
        self.array = None


class _LazyTensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset = storage, offset
        self.size, self.stride = tuple(size), tuple(stride)

    def materialize(self):
        base = self.storage.array
        if base is None:
            raise ValueError(f"storage {self.storage.key} has no data")
        item = base.itemsize
        view = np.lib.stride_tricks.as_strided(
            base[self.offset:], shape=self.size, strides=[s * item for s in self.stride])
        return np.array(view)  # owns its memory, C order


def _rebuild_tensor(storage, offset, size, stride, *unused):
    return _LazyTensor(storage, offset, size, stride)


class _Unpickler(pickle.Unpickler):
    def __init__(self, f, storages):
        super().__init__(f)
        self.storages = storages

    def find_class(self, module, name):
        if module == "torch._utils" and name in ("_rebuild_tensor_v2", "_rebuild_tensor"):
            return _rebuild_tensor
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        if module == "torch" and name.endswith("Storage"):
            return _StorageType(name)
        raise pickle.UnpicklingError(f"checkpoint refers to unsupported {module}.{name}")

    def persistent_load(self, pid):
        # ('storage', storage_type, key, location, numel[, view_metadata])
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unsupported persistent id {pid!r}")
        stype, key, numel = pid[1], str(pid[2]), pid[4]
        if key not in self.storages:
            self.storages[key] = _Storage(stype.dtype, key, numel)
        return self.storages[key]


def _load_zip(path):
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        pkl = next(n for n in names if n.endswith("/data.pkl") or n == "data.pkl")
        prefix = pkl[: -len("data.pkl")]
        storages = {}
        with z.open(pkl) as f:
            obj = _Unpickler(f, storages).load()
        for key, st in storages.items():
            raw = z.read(f"{prefix}data/{key}")
            st.array = np.frombuffer(raw, dtype=st.dtype.newbyteorder("<"))
    return obj


def _load_legacy(path):
    with open(path, "rb") as f:
        if pickle.load(f) != LEGACY_MAGIC:
            raise ValueError(f"{path}: not a PyTorch checkpoint (bad magic number)")
        pickle.load(f)  # protocol version
        sys_info = pickle.load(f)
        if not sys_info.get("little_endian", True):
            raise ValueError(f"{path}: big-endian checkpoints are not supported")
        storages = {}
        obj = _Unpickler(f, storages).load()
        keys = pickle.load(f)
        for key in keys:
            (numel,) = struct.unpack("<q", f.read(8))
            st = storages[str(key)]
            raw = f.read(numel * st.dtype.itemsize)
            if len(raw) != numel * st.dtype.itemsize:
                raise ValueError(f"{path}: storage {key} is truncated")
            st.array = np.frombuffer(raw, dtype=st.dtype.newbyteorder("<"))
    return obj


def load_state_dict(path):
    """Returns an OrderedDict {parameter name: numpy array} of the checkpoint."""
    obj = _load_zip(path) if zipfile.is_zipfile(path) else _load_legacy(path)
    if isinstance(obj, dict) and "state_dict" in obj:
        obj = obj["state_dict"]
    return collections.OrderedDict(
        (k, v.materialize()) for k, v in obj.items() if isinstance(v, _LazyTensor))
