"""The other files an HDF5 (NWB) file reads data from, so that they are tracked as its own.

An HDF5 file can hold data that lives elsewhere: an external link (``h5py.ExternalLink``, a
pattern NWB documents for keeping raw data apart), a virtual dataset mapping another file's
data, or a dataset whose raw storage is an external file. A reader sees that data as the
file's own, so a change in the other file would change a result while the file itself,
and so its sha256, stays the same. :func:`linked_files` finds every such file (following
links into linked files too), so that the workflow makes them inputs of the rule that reads
the recording and its provenance records their sha256. A broken link (a missing file, or a
target that is not in it) is refused as such: HDF5 would otherwise fail later with a
message about something else, or fill a virtual dataset with its fill value, silently.
"""

import os
from pathlib import Path

from ..errors import ConfigError

MAX_DEPTH = 64  # nesting of groups (and links) followed, far beyond any NWB file's


def linked_files(path):
    """The files other than ``path`` whose data ``path`` (an HDF5 file) reads, sorted, as
    paths relative to the working directory (absolute outside it); a broken link raises a
    ConfigError naming the link and its target."""
    import h5py

    found, seen = set(), set()
    with h5py.File(path, "r") as file:
        _walk(file, found, seen, 0)
    own = Path(path).resolve()
    return sorted(_shown(f) for f in found if Path(f).resolve() != own)


def _walk(group, found, seen, depth):
    import h5py

    info = h5py.h5o.get_info(group.id)
    if (info.fileno, info.addr) in seen or depth > MAX_DEPTH:
        return
    seen.add((info.fileno, info.addr))
    for name in group:
        link = group.get(name, getlink=True)
        where = f"{group.name.rstrip('/')}/{name}"
        if isinstance(link, h5py.ExternalLink):
            target = _followed(group, name, where, link)
            found.add(target.file.filename)
        elif isinstance(link, h5py.SoftLink):
            target = _followed(group, name, where, link)
        else:
            target = group[name]
        if isinstance(target, h5py.Group):
            _walk(target, found, seen, depth + 1)
        elif isinstance(target, h5py.Dataset):
            found.update(_dataset_files(target, where))


def _followed(group, name, where, link):
    """The object a link leads to; a broken one refused, saying what is missing."""
    import h5py

    try:
        return group[name]
    except (KeyError, OSError):
        pass
    if isinstance(link, h5py.ExternalLink):
        target = f"{link.filename}:{link.path}"
        home = Path(group.file.filename).parent
        places = [Path(link.filename), home / link.filename]
        missing = not any(p.is_file() for p in places)
        why = f"the file {link.filename} is missing" if missing else f"it has no {link.path}"
    else:
        target, why = link.path, "the file has no such object"
    raise ConfigError(
        f"the link {where} -> {target} is broken ({why}): the data it points to cannot be read"
    )


def _dataset_files(dataset, where):
    """The files a virtual dataset maps or a dataset's external raw storage lives in."""
    files = []
    home = Path(dataset.file.filename).parent
    if dataset.is_virtual:
        for source in dataset.virtual_sources():
            if source.file_name == ".":
                continue
            name = Path(source.file_name)
            name = name if name.is_absolute() else home / name
            files.append(_existing(name, where, f"{source.file_name}:{source.dset_name}"))
    for name, *_ in dataset.external or ():
        name = Path(os.fsdecode(name))
        files.append(_existing(name, where, str(name)))
    return files


def _existing(path, where, target):
    if not Path(path).is_file():
        raise ConfigError(
            f"the dataset {where} maps data of {target}, which is missing: the data it points "
            "to cannot be read"
        )
    return str(path)


def _shown(path):
    """``path`` relative to the working directory if it lies inside it, else absolute."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)
