import pytest

# The shared helpers (tests/support) assert like test modules do: detailed failure messages.
pytest.register_assert_rewrite("tests.support")
