"""What the inference reads: recorded voltages, the spike trains to test, and the true wiring
where it is known.

A :class:`Recording` is made from a simulation's dataset (:meth:`Recording.of_simulation`)
or from plain arrays (:meth:`Recording.of_arrays`, the Python API's and the recording files'
way in). The inference (:mod:`.run`) reads nothing else: no model parameter, no dataset.

Trains are numbered 0 to ``n_trains - 1`` (a simulation's neurons, then its spike sources;
a recording's trains in the order given); a pair's ``pre`` is the train's id (``train_ids``:
a simulation's neuron index, an NWB unit's id; by default its number). Spikes are held as
sample indices of the voltage (``round(t / dt)`` for spike times ``t`` in s).
"""

from dataclasses import dataclass, field

import numpy as np

from ..errors import ConfigError
from ..model.signs import synapse_signs


@dataclass
class Recording:
    """One recording: voltages sampled every ``dt`` and the spike trains to test."""

    name: str  # the simulation's experiment, or the recording's own name
    dt: float  # s between samples
    voltages: dict  # recorded neuron -> samples (float64), ``units``
    units: str  # of the voltages: "V" for a simulation, anything for a recording
    spike_step: np.ndarray  # sample index of every spike of the trains
    spike_train: np.ndarray  # the train (0 .. n_trains - 1) each spike belongs to
    n_trains: int
    truth: dict | None = None  # recorded neuron -> {train: (sign, weight in S)}; None: unknown
    own_train: dict = field(default_factory=dict)  # recorded neuron -> its own train, if any
    simulated: bool = False  # imaging noise is added only to simulations
    train_ids: np.ndarray | None = None  # each train's id (a pair's ``pre``); None: 0, 1, ...

    @property
    def n_samples(self):
        return min(len(v) for v in self.voltages.values())

    @property
    def neurons(self):
        return sorted(self.voltages)

    @property
    def has_truth(self):
        return self.truth is not None

    @property
    def ids(self):
        """Each train's id: what a pair's ``pre`` reports and its random streams are keyed by."""
        if self.train_ids is None:
            return np.arange(self.n_trains, dtype=np.int64)
        return np.asarray(self.train_ids, dtype=np.int64)

    def inputs_of(self, post):
        """{train: (sign, weight)} of the true inputs of recorded neuron ``post``, or None
        where the wiring is unknown."""
        return None if self.truth is None else self.truth.get(post, {})

    @classmethod
    def of_simulation(cls, ds, params, neurons_used):
        """The recording of simulation ``ds`` (resolved ``params``): the voltage of each of
        ``neurons_used``, every neuron's and source's spikes, and the true wiring."""
        recorded = set(ds["v"].coords["neuron"].values.tolist()) if "v" in ds else set()
        missing = [post for post in neurons_used if post not in recorded]
        if missing:
            raise ConfigError(
                f"neuron(s) {missing} have no recorded voltage in the simulation "
                f"'{params['experiment']}' (recorded: {sorted(recorded) or 'none'})",
                key="inference.neurons",
            )
        return cls(
            name=params["experiment"],
            dt=params["sim"]["dt"],
            voltages={post: ds["v"].sel(neuron=post).values for post in neurons_used},
            units="V",
            spike_step=ds["spike_step"].values,
            spike_train=ds["spike_neuron"].values,
            n_trains=int(ds.attrs["n_neurons"]) + int(ds.attrs.get("n_sources", 0)),
            truth={post: _true_inputs(ds, post, params) for post in neurons_used},
            own_train={post: post for post in neurons_used},
            simulated=True,
        )

    @classmethod
    def of_arrays(cls, name, voltage, rate, trains, truth=None, units="1"):
        """A recording from arrays: ``voltage`` (one neuron's samples, or {neuron: samples}),
        its sampling ``rate`` (Hz), ``trains`` (a list of spike-time arrays, s, from the
        voltage's first sample) and optionally ``truth`` ({neuron: {train: sign}}, or for one
        neuron a sequence of +1 / -1 / 0 per train). Refuses what cannot be analysed."""
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not rate > 0:
            raise ConfigError(f"the sampling rate must be a positive number (Hz), got {rate!r}")
        voltages = voltage if isinstance(voltage, dict) else {0: voltage}
        voltages = {int(k): _samples(v, k) for k, v in voltages.items()}
        dt = 1.0 / float(rate)
        steps, owners = [], []
        for j, train in enumerate(trains):
            times = np.asarray(train, dtype=np.float64).ravel()
            if not np.all(np.isfinite(times)) or np.any(times < 0):
                raise ConfigError(f"train {j}: spike times must be finite and >= 0 (s)")
            steps.append(np.round(times / dt).astype(np.int64))
            owners.append(np.full(len(times), j, dtype=np.int64))
        if not steps:
            raise ConfigError("no spike trains to test")
        return cls(
            name=name,
            dt=dt,
            voltages=voltages,
            units=units,
            spike_step=np.concatenate(steps),
            spike_train=np.concatenate(owners),
            n_trains=len(steps),
            truth=None if truth is None else _given_truth(truth, voltages, len(steps)),
        )


def sign_of(kind):
    if kind in (1, -1):
        return int(kind)
    text = str(kind).strip().lower()
    if text in ("excitatory", "exc", "e", "1", "+1"):
        return 1
    if text in ("inhibitory", "inh", "i", "-1"):
        return -1
    raise ConfigError(
        f"a connection's type must be excitatory or inhibitory, got {kind!r}", key="recording.truth"
    )


def own_train_of(neuron, train_ids):
    """{neuron: its own train's index}, if it is among the trains."""
    hits = np.flatnonzero(train_ids == neuron)
    return {neuron: int(hits[0])} if len(hits) else {}


def inputs_onto(truth, neuron, train_ids):
    """{train index: (sign, summed weight)} of the synapses onto ``neuron``."""
    pre, post, signs, weight = truth
    index = {i: j for j, i in enumerate(train_ids.tolist())}
    inputs = {}
    for p, s, w in zip(
        pre[post == neuron].tolist(),
        signs[post == neuron].tolist(),
        weight[post == neuron].tolist(),
        strict=True,
    ):
        if p in index:
            j = index[p]
            inputs[j] = (s, inputs.get(j, (s, 0.0))[1] + w)
    return inputs


def _samples(v, neuron):
    v = np.asarray(v, dtype=np.float64)
    if v.ndim != 1 or len(v) < 2:
        raise ConfigError(f"the voltage of neuron {neuron} must be a 1-D array of samples")
    if not np.all(np.isfinite(v)):
        raise ConfigError(f"the voltage of neuron {neuron} holds NaN or infinite samples")
    return v


def _given_truth(truth, voltages, n_trains):
    """{neuron: {train: (sign, NaN)}} from {neuron: {train: sign}} or one neuron's signs."""
    if not isinstance(truth, dict):
        if len(voltages) != 1:
            raise ConfigError("give the truth per recorded neuron: {neuron: {train: sign}}")
        signs = np.asarray(truth).ravel()
        if len(signs) != n_trains:
            raise ConfigError(f"the truth gives {len(signs)} signs for {n_trains} trains")
        truth = {next(iter(voltages)): {j: s for j, s in enumerate(signs.tolist()) if s}}
    resolved = {}
    for post, inputs in truth.items():
        if int(post) not in voltages:
            raise ConfigError(f"the truth names neuron {post}, which has no recorded voltage")
        one = {}
        for pre, sign in inputs.items():
            if not 0 <= int(pre) < n_trains or sign not in (1, -1):
                raise ConfigError(f"truth of neuron {post}: train {pre} with sign {sign!r}")
            one[int(pre)] = (int(sign), np.nan)  # weight unknown
        resolved[int(post)] = one
    return resolved


def _true_inputs(ds, post, params):
    """{pre: (type sign, summed weight in S)} of the synapses onto ``post``."""
    mask = ds["synapse_post"].values == post
    pre, weight = ds["synapse_pre"].values[mask], ds["synapse_weight"].values[mask]
    signs = synapse_signs(ds, params)[mask]
    inputs = {}
    for i, s, w in zip(pre.tolist(), signs.tolist(), weight.tolist(), strict=True):
        inputs[i] = (s, inputs.get(i, (s, 0.0))[1] + w)
    return inputs
