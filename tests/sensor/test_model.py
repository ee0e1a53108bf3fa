"""The element equations' coefficients: updates equal a rebuild."""

import dataclasses

import numpy as np

import mixpot
from mixpot.gas import composition
from mixpot.sensor.model import build_model, with_exhaust


def test_with_exhaust_equals_a_rebuild_for_the_new_exhaust():
    d = mixpot.designs.load("patent-preferred")
    t, p, p_ref, x_set = [1050.0, 990.0], [1.2e5, 0.9e5], [21227.0, 21227.0], [0.046, 0.046]
    t, p, p_ref, x_set = (np.array(v) for v in (t, p, p_ref, x_set))
    fuels = ("CO", "H2", "C3H6")
    a = composition({"O2": 0.05, "H2O": 0.1, "CO2": 0.1, "CO": 1e-3, "H2": 3e-4, "C3H6": 5e-4})
    b = composition(
        {"O2": [0.12, 0.01], "H2O": 0.07, "CO2": 0.06, "CO": [2e-3, 0], "H2": 1e-4, "C3H6": 1e-4}
    )
    a = composition({s: np.broadcast_to(v, (2,)) for s, v in a.as_dict().items()})
    rebuilt = build_model(d, b, t, p, p_ref, x_set, fuels=fuels)
    updated = with_exhaust(build_model(d, a, t, p, p_ref, x_set, fuels=fuels), b)
    for f in dataclasses.fields(rebuilt):
        old, new = getattr(rebuilt, f.name), getattr(updated, f.name)
        if isinstance(old, np.ndarray):
            np.testing.assert_array_equal(new, old, err_msg=f.name)
