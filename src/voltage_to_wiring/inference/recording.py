"""What the inference reads: recorded voltages, the spike trains to test, and the true wiring
where it is known.

A :class:`Recording` is made from a simulation's dataset (:meth:`Recording.of_simulation`)
or from plain arrays (:func:`.from_arrays.recording`, the Python API's and the recording
files' way in). The inference (:mod:`.run`) reads nothing else: no model parameter, no dataset.

Trains are numbered 0 to ``n_trains - 1``: a simulation's neurons, then its spike sources;
a recording's units in ascending id order, whatever order the input gives them in. A pair's
``pre`` is the train's id (``train_ids``: a simulation's neuron index, a recording's unit
id), and so is the key of its random streams (:mod:`.surrogates`): the same unit with the
same seed gets the same surrogates through the API, a file or a simulation. Spikes are held
as sample indices of the voltage (``round(t / dt)`` for spike times ``t`` in s), each
train's in ascending order.
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
    common_inputs: dict = field(default_factory=dict)  # recorded neuron -> per train (int64),
    #   the presynaptic trains it shares with the neuron (a simulation's; absent: unknown)
    own_train: dict = field(default_factory=dict)  # recorded neuron -> its own train, if any
    simulated: bool = False  # imaging noise is added only to simulations
    train_ids: np.ndarray | None = None  # each train's id (a pair's ``pre``); None: 0, 1, ...
    linked: list = field(default_factory=list)  # other files a recording file's data is in
    observed: dict = field(default_factory=dict)  # train -> (k, 2) half-open sample ranges
    #   it is observed in (only for trains observed in part of the recording)
    assumed: list = field(default_factory=list)  # what reading it assumed, in sentences
    warnings: list = field(default_factory=list)  # what about the reading may mislead

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

    def spike_times(self):
        """{train: its spike times (s, on the voltage's clock, ascending)} of every train."""
        # A stable sort keeps each train's spikes in time order; on ids of 16 bits or fewer
        # numpy's is a radix sort, linear in the spikes (a 10-minute nto1: 0.8 s, not 2.7).
        narrow = self.spike_train.astype(np.min_scalar_type(max(self.n_trains - 1, 0)))
        order = np.argsort(narrow, kind="stable")
        times = self.spike_step[order] * self.dt
        bounds = np.searchsorted(narrow[order], np.arange(self.n_trains + 1))
        return {j: times[bounds[j] : bounds[j + 1]] for j in range(self.n_trains)}

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
        n_trains = int(ds.attrs["n_neurons"]) + int(ds.attrs.get("n_sources", 0))
        pre, post = ds["synapse_pre"].values, ds["synapse_post"].values
        return cls(
            name=params["experiment"],
            dt=params["sim"]["dt"],
            voltages={post: ds["v"].sel(neuron=post).values for post in neurons_used},
            units="V",
            spike_step=ds["spike_step"].values,
            spike_train=ds["spike_neuron"].values,
            n_trains=n_trains,
            truth={neuron: _true_inputs(ds, neuron, params) for neuron in neurons_used},
            common_inputs=common_inputs(pre, post, neurons_used, np.arange(n_trains)),
            own_train={neuron: neuron for neuron in neurons_used},
            simulated=True,
        )


def keyed(key, function, *args):
    """``function(*args)``; a ConfigError it raises without a key gets ``key`` (the config
    key of the part of a recording file it reads)."""
    try:
        return function(*args)
    except ConfigError as err:
        if err.key is not None:
            raise
        raise ConfigError(err.problem, key=key) from None


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


def common_inputs(pre, post, neurons, train_ids):
    """{recorded neuron: :func:`shared_presynaptic` of every train (ids ``train_ids``)} from
    the synapse table ``pre`` -> ``post`` (a simulation's, or a recording's ground truth);
    empty where every synapse is onto a recorded neuron (an N-to-1 experiment, or a table of
    the recorded neurons' inputs only: nothing else's inputs are known)."""
    if not set(np.unique(post).tolist()) - set(neurons):
        return {}
    return {neuron: shared_presynaptic(pre, post, neuron, train_ids) for neuron in neurons}


def shared_presynaptic(pre, post, neuron, train_ids):
    """Per train (of ids ``train_ids``): how many of ``neuron``'s presynaptic neurons and
    spike sources also make a synapse onto that train's neuron, in the synapse table ``pre``
    -> ``post`` (ids; a pair of neurons counted once however many synapses join them; 0 for
    a spike source, which has no inputs): the unconnected neurons that share input with a
    recorded one, the classic false positives of a recurrent network."""
    pre, post = np.asarray(pre, dtype=np.int64), np.asarray(post, dtype=np.int64)
    onto = np.isin(pre, np.unique(pre[post == neuron]))
    pairs = np.unique(np.stack([pre[onto], post[onto]], axis=1), axis=0)
    targets, counts = np.unique(pairs[:, 1], return_counts=True)
    train_ids = np.asarray(train_ids, dtype=np.int64)
    out = np.zeros(len(train_ids), dtype=np.int64)
    if len(targets):
        at = np.minimum(np.searchsorted(targets, train_ids), len(targets) - 1)
        hit = targets[at] == train_ids
        out[hit] = counts[at[hit]]
    return out


def _true_inputs(ds, post, params):
    """{pre: (type sign, summed weight in S)} of the synapses onto ``post``."""
    mask = ds["synapse_post"].values == post
    pre, weight = ds["synapse_pre"].values[mask], ds["synapse_weight"].values[mask]
    signs = synapse_signs(ds, params)[mask]
    inputs = {}
    for i, s, w in zip(pre.tolist(), signs.tolist(), weight.tolist(), strict=True):
        inputs[i] = (s, inputs.get(i, (s, 0.0))[1] + w)
    return inputs
