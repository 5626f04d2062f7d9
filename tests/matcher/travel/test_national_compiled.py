"""The national formula's compiled sum against the array operations it replaces: the coefficients times
``design_terms``, added term by term, bit for bit."""

import numpy as np

from matcher.travel.national_formula import design_terms, log_driving, packaged_fit


def summed_terms(km, o5, d5, middle, m10, coefficients):
    """ln T as array operations: the reference the compiled sum keeps to."""
    terms = design_terms(km, o5, d5, middle, m10)
    exponent = coefficients[0] * terms[0]
    for coefficient, term in zip(coefficients[1:], terms[1:], strict=True):
        exponent += coefficient * term
    return exponent


def test_ln_t_is_the_sum_of_the_design_terms_bit_for_bit():
    rng = np.random.default_rng(11)
    count = 50_000
    km = np.concatenate([rng.uniform(0, 200, count - 20), np.array([0.0, 0.1, 0.2, 2.0, 5.0, 15.0, 40.0, np.nan]),
                         np.exp(rng.uniform(-3, 6, 12))])
    o5, d5, middle, m10 = (rng.integers(0, 900, len(km)).astype(float) for _ in range(4))
    coefficients = packaged_fit().coefficients
    got, expected = log_driving(km, o5, d5, middle, m10, coefficients), summed_terms(km, o5, d5, middle, m10,
                                                                                    coefficients)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got.view(np.int64), expected.view(np.int64))


def test_ln_t_broadcasts_as_the_terms_do():
    rng = np.random.default_rng(12)
    km = rng.uniform(0, 100, (30, 1)) + np.zeros((1, 20))
    o5 = np.full((30, 20), 37.0)
    d5, middle, m10 = (rng.integers(0, 900, (1, 20)).astype(float) + np.zeros((30, 1)) for _ in range(3))
    coefficients = packaged_fit().coefficients
    got = log_driving(km, o5, d5, middle, m10, coefficients)
    assert got.shape == (30, 20)
    np.testing.assert_array_equal(got, summed_terms(km, o5, d5, middle, m10, coefficients))
