"""The inference from a notebook: a recorded voltage and spike trains in, a dataset out.

    from voltage_to_wiring.inference.api import infer_inputs

    ds = infer_inputs(voltage, 10_000, trains)     # samples, Hz, spike times (s) per train
    ds.statistic.sel(inference_method="kernel")  # > 0 excitatory, < 0 inhibitory
    ds.predicted.sel(inference_method="kernel")  # the calls at alpha: 1, -1 or 0

The same code as the pipeline's ``infer`` step (:mod:`.run`), and the same dataset as
``results/inference/{experiment}.nc`` (see docs/inference.md).
"""

from ..config.inference import resolve_recording_inference
from . import output
from .recording import Recording
from .run import infer


def infer_inputs(voltage, rate, trains, settings=None, truth=None, units="1", name="recording"):
    """Infer which ``trains`` are inputs of the recorded neuron, and their signs.

    Parameters
    ----------
    voltage : array_like, or dict of them
        The recorded membrane potential, one sample every ``1 / rate`` seconds, rising with
        depolarisation (multiply an indicator whose signal falls with it by -1); or
        ``{neuron: samples}`` for several recorded neurons.
    rate : float
        Sampling rate of the voltage (Hz).
    trains : list of array_like
        Spike times (s, from the voltage's first sample) of each train to test; a pair's
        ``pre`` in the result is the train's position in this list.
    settings : dict, optional
        Inference settings as in a config's ``inference`` section (``methods``, ``window``,
        ``shuffles``, ``surrogates``, ``alpha``, ``clip``, ``duration``, ``seed``,
        ``neurons``); every train
        is tested against every recorded neuron unless ``truth`` is given.
    truth : optional
        The true inputs, for scoring: ``{neuron: {train: +1 or -1}}``, or for one neuron a
        sequence of +1 (excitatory), -1 (inhibitory) or 0 (none) per train.
    units : str
        Units of the voltage (``"V"``, ``"mV"``, or ``"1"`` for arbitrary units such as dF/F).
    name : str
        The recording's name in the dataset's attributes.

    Returns
    -------
    xarray.Dataset
        One row per (recorded neuron, train) pair: ``statistic``, ``p_value``, ``q_value``,
        ``predicted`` per inference method, the STAs, and ``true_type`` where truth is given.
    """
    recording = Recording.of_arrays(name, voltage, rate, trains, truth, units)
    resolved = resolve_recording_inference(settings, recording)
    return output.build(name, infer(recording, resolved), recording, resolved)
