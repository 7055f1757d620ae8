"""Errors a user can act on: each names the experiment, the config key and the problem.

Also the one "did you mean" hint of the package (:func:`did_you_mean`).
"""

import difflib


class ConfigError(ValueError):
    """A config value that cannot be used as written.

    Parameters
    ----------
    problem : str
        What is wrong, and where possible how to fix it.
    key : str, optional
        Dotted path of the offending key, e.g. ``"synapse.delay"``.
    experiment : str, optional
        Name of the experiment (or sweep) the key belongs to.
    kind : str
        What ``experiment`` names: ``"experiment"`` or ``"sweep"``.
    """

    def __init__(self, problem, key=None, experiment=None, kind="experiment"):
        self.problem = problem
        self.key = key
        self.experiment = experiment
        self.kind = kind
        super().__init__(str(self))

    def __str__(self):
        where = []
        if self.experiment is not None:
            where.append(f"{self.kind} '{self.experiment}'")
        if self.key:
            where.append(f"key '{self.key}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.problem}" if prefix else self.problem

    def located(self, key=None, experiment=None):
        """Return a copy with the key prefixed by ``key`` and the experiment filled in."""
        full_key = ".".join(k for k in (key, self.key) if k)
        if self.experiment is not None:
            return ConfigError(self.problem, full_key or None, self.experiment, self.kind)
        return ConfigError(self.problem, full_key or None, experiment)


class ConfigErrors(ConfigError):
    """Several ConfigErrors at once (every refused experiment of a config): one line each,
    in the config's order; ``errors`` holds them. With one, it reads as that one."""

    def __init__(self, errors):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.problem, first.key, first.experiment, first.kind)

    def __str__(self):
        return "\n".join(str(e) for e in self.errors)

    def located(self, key=None, experiment=None):
        return ConfigErrors([e.located(key, experiment) for e in self.errors])


class SimulationError(RuntimeError):
    """The simulation could not be carried out faithfully (e.g. numerical blow-up)."""


class OutputError(RuntimeError):
    """An output could not be written (full disk, read-only or unwritable folder)."""


def located(function, key, *args):
    """``function(*args)``, its ConfigError located at ``key``."""
    try:
        return function(*args)
    except ConfigError as err:
        raise err.located(key=key) from None


def did_you_mean(word, known):
    """``"; did you mean 'x'?"`` for the entry of ``known`` closest to ``word``, or ``""``."""
    close = difflib.get_close_matches(str(word), [str(k) for k in known], n=1)
    return f"; did you mean '{close[0]}'?" if close else ""
