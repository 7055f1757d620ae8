"""The inference from a notebook: a recorded voltage and spike trains in, a dataset out.

    from voltage_to_wiring.inference.api import infer_inputs

    ds = infer_inputs(voltage, 10_000, trains)     # samples, Hz, spike times (s) per train
    ds.statistic.sel(inference_method="kernel")  # > 0 excitatory, < 0 inhibitory
    ds.predicted.sel(inference_method="kernel")  # the calls at alpha: 1, -1 or 0

The same code as the pipeline's ``infer`` step (:mod:`.run`), and the same dataset as
``results/inference/{experiment}.nc`` (see docs/inference.md).
"""

from ..config.inference import resolve_recording_inference
from ..config.recording import resolve_reading
from ..errors import ConfigError
from . import from_arrays, output
from .run import infer


def infer_inputs(
    voltage,
    rate,
    trains,
    settings=None,
    truth=None,
    units="1",
    name="recording",
    polarity="auto",
    baseline="auto",
):
    """Infer which ``trains`` are inputs of the recorded neuron, and their signs.

    Parameters
    ----------
    voltage : array_like, or dict of them
        The recorded membrane potential, one sample every ``1 / rate`` seconds, rising with
        depolarisation (multiply an indicator whose signal falls with it by -1); or
        ``{neuron: samples}`` for several recorded neurons (all of one length).
    rate : float
        Sampling rate of the voltage (Hz): a number, numpy scalars included.
    trains : dict or list of array_like
        Spike times (s, from the voltage's first sample) of each train to test:
        ``{unit id: times}`` (a pair's ``pre`` in the result is the unit id), or a list
        (unit ids 0, 1, ... in its order). Each train is sorted; the result's rows are in
        ascending unit id order.
    settings : dict, optional
        Inference settings as in a config's ``inference`` section (``methods``, ``window``,
        ``shuffles``, ``surrogates``, ``alpha``, ``clip``, ``duration``, ``seed``,
        ``neurons``); every train
        is tested against every recorded neuron unless ``truth`` is given.
    truth : optional
        The true inputs, for scoring: ``{neuron: {unit id: +1 or -1}}``, or for one neuron
        a sequence of +1 (excitatory), -1 (inhibitory) or 0 (none) per train, in the order
        ``trains`` gives them.
    units : str
        Units of the voltage: ``"V"``, ``"mV"``, ``"uV"`` (read as volts), or anything else
        (``"1"``, ``"a.u."``) for a fluorescence trace.
    name : str
        The recording's name in the dataset's attributes.
    polarity : {"auto", "positive", "negative"}
        Whether the trace rises with depolarisation: ``auto`` takes a voltage as it is and
        tells a fluorescence trace's from the neuron's own spikes (negating one that falls,
        with a warning); see :mod:`.conditioning`.
    baseline : "auto", "none" or float
        The slow baseline taken out (dF/F over a running median of this many s); ``auto``:
        2 s for a trace that is not a voltage, none for a voltage.

    Returns
    -------
    xarray.Dataset
        One row per (recorded neuron, train) pair: ``statistic``, ``p_value``, ``q_value``,
        ``predicted`` per inference method, the STAs, and ``true_type`` where truth is given.

    Raises
    ------
    ConfigError
        For any argument that cannot be analysed, naming the argument and the problem (the
        checks of :mod:`.arrays`, the same as a recording file's).

    Notes
    -----
    The same seed gives the same answer through this function and the pipeline: every
    random stream (each pair's surrogates) is keyed by the seed, the recorded neuron and
    the unit id, never by a train's position, so the order of the trains, of their spikes
    or of the ids does not change any unit's result. Giving a unit another id draws other
    surrogates, as another seed would.
    """
    if not isinstance(units, str) or not isinstance(name, str):
        raise ConfigError(
            f"arguments 'units' and 'name' must be strings, got {units!r} and {name!r}"
        )
    if settings is not None and not isinstance(settings, dict):
        raise ConfigError(
            f"argument 'settings' must be a mapping of inference settings, got {settings!r}"
        )
    try:
        reading = resolve_reading({"polarity": polarity, "baseline": baseline})
    except ConfigError as err:
        raise ConfigError(f"argument '{err.key.split('.')[-1]}': {err.problem}") from None
    recording = from_arrays.recording(name, voltage, rate, trains, truth, units, reading=reading)
    resolved = resolve_recording_inference(settings, recording)
    return output.build(name, infer(recording, resolved), recording, resolved)
