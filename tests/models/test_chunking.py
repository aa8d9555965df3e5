"""Long text is packed into windows that fit the encoder, whole units first."""

from models.chunking import pack_windows


def words(n: int, tag: str = "w") -> str:
    return " ".join(f"{tag}{i}" for i in range(n))


def test_units_are_packed_in_order_up_to_the_limit() -> None:
    units = [words(4, "a"), words(4, "b"), words(4, "c")]
    windows = pack_windows(units, [4, 4, 4], max_tokens=8)
    assert windows == [f"{units[0]} {units[1]}", units[2]]


def test_a_unit_longer_than_a_window_is_cut_into_slices_that_fit() -> None:
    long = words(30)
    windows = pack_windows(["short", long, "tail"], [1, 30, 1], max_tokens=8)
    assert windows[0] == "short" and windows[-1] == "tail"
    middle = windows[1:-1]
    assert len(middle) == 4 and all(len(w.split()) <= 8 for w in middle)
    assert " ".join(middle) == long


def test_nothing_in_nothing_out() -> None:
    assert pack_windows([], [], 8) == []
