def check(n: i32) -> i32:
    assert n >= 0, 'negative'
    if n > 100:
        raise ValueError('too big') # cases/redshift/raise_and_assert.spy:4
    return n
