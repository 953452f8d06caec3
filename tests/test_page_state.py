"""#29: a page's controls are its own. Arriving from another page starts them from the URL, else their defaults,
as a direct visit does, even where two pages use the same key name; a walkthrough step resets what it does not
name."""

from streamlit.testing.v1 import AppTest


def _two_pages() -> None:
    import streamlit as st

    from ui.state import arrive, bind, walkthrough

    page = st.session_state.setdefault("which", "a")
    arrive(page)
    default = {"a": 5, "b": 50}[page]
    bind("k", default, int)
    bind("mode", "x", str)
    st.slider("k", 0, 100, key="k")
    st.selectbox("mode", ["x", "y", "z"], key="mode")
    if page == "a":
        walkthrough(lambda key, **f: key, {1: {"mode": "z"}})


def test_a_value_set_on_one_page_does_not_follow_the_visitor_to_another() -> None:
    at = AppTest.from_function(_two_pages, default_timeout=30).run()
    at.slider(key="k").set_value(7).run()
    at.selectbox(key="mode").set_value("y").run()
    assert at.session_state["k"] == 7
    at.session_state["which"] = "b"  # to page b: its own default, not page a's 7
    at.run()
    assert at.slider(key="k").value == 50 and at.selectbox(key="mode").value == "x"
    at.session_state["which"] = "a"  # and back: a direct visit's view, not what was left there
    at.run()
    assert at.slider(key="k").value == 5 and at.selectbox(key="mode").value == "x"
    at.slider(key="k").set_value(9).run()  # staying on the page keeps what the visitor set
    at.run()
    assert at.slider(key="k").value == 9


def test_the_url_still_wins_on_arrival() -> None:
    at = AppTest.from_function(_two_pages, default_timeout=30)
    at.query_params["k"] = "42"
    at.run()
    assert at.slider(key="k").value == 42


def test_a_walkthrough_step_sets_what_it_does_not_name_back_to_the_default() -> None:
    at = AppTest.from_function(_two_pages, default_timeout=30).run()
    at.slider(key="k").set_value(80).run()
    at.button(key="walk_1").click().run()
    assert at.selectbox(key="mode").value == "z" and at.slider(key="k").value == 5
