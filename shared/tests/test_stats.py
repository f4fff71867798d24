from shared.stats import percentile


def test_percentiles_interpolate_between_the_closest_ranks_as_postgresql_does():
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([6.0, 2.0, 4.0], 0.5) == 4.0  # order does not matter
    assert abs(percentile([2.0, 4.0, 6.0], 0.9) - 5.6) < 1e-9
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
